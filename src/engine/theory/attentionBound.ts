// The rank-collapse bound of Dong, Cordonnier & Loukas, "Attention is not all you need: pure
// attention loses rank doubly exponentially with depth" (ICML 2021), Theorem 2.2 as stated in
// the paper's main text, for a single-head self-attention network without skip connections,
// normalization or MLP (here: `transformer`, norm `none`, residual `none`, activation `none`):
//
//   ‖res(H_ℓ)‖_{1,∞} ≤ c_ℓ·‖res(H_{ℓ−1})‖³_{1,∞},   c_ℓ = 4γ·β_ℓ/√d_qk,
//   β_ℓ = ‖W_Q W_Kᵀ‖₁·‖W_V W_O‖_{1,∞},
//
// chained over the layers (the paper's (4γβ/√d_qk)^{(3^L−1)/2}·‖res(X)‖^{3^L} when every β_ℓ = β).
// Norms: ‖M‖₁ the largest column sum of |M|, ‖M‖_∞ the largest row sum, ‖M‖_{1,∞} = √(‖M‖₁‖M‖_∞);
// res(H) = H − 1xᵀ. Two choices are ours and the page states them:
// - γ, which the paper leaves as "a term that depends on the attention entries", is taken as 1;
// - x is the column-wise median of H (it minimizes ‖res‖₁ exactly; the paper takes the x that
//   minimizes the mixed norm), so the residual plotted is at least the paper's.
// The bound is cubic: it shrinks only while √c·‖res‖ < 1. For unit-scale data it is far above
// that, and the chained bound grows without limit: the page then says it is vacuous.

import type { EngineConfig, LayerResult } from '../types';
import { layerWeights } from '../weights';

/** ‖M‖_{1,∞} = √(‖M‖₁·‖M‖_∞) of a rows×cols row-major matrix. */
export function mixedNorm(m: ArrayLike<number>, rows: number, cols: number): number {
  const colSum = new Float64Array(cols);
  let rowMax = 0;
  for (let i = 0; i < rows; i++) {
    let r = 0;
    for (let t = 0; t < cols; t++) {
      const a = Math.abs(m[i * cols + t]);
      r += a;
      colSum[t] += a;
    }
    rowMax = Math.max(rowMax, r);
  }
  let colMax = 0;
  for (let t = 0; t < cols; t++) colMax = Math.max(colMax, colSum[t]);
  return Math.sqrt(colMax * rowMax);
}

/** ‖H − 1·medianᵀ‖_{1,∞}, the median taken per column. */
export function residualNorm(h: ArrayLike<number>, n: number, width: number): number {
  const r = new Float64Array(n * width);
  const col = new Float64Array(n);
  for (let t = 0; t < width; t++) {
    for (let i = 0; i < n; i++) col[i] = h[i * width + t];
    col.sort();
    const med = n % 2 ? col[(n - 1) / 2] : 0.5 * (col[n / 2 - 1] + col[n / 2]);
    for (let i = 0; i < n; i++) r[i * width + t] = h[i * width + t] - med;
  }
  return mixedNorm(r, n, width);
}

function product(a: Float64Array, rows: number, inner: number, b: Float64Array, cols: number, bT: boolean) {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let p = 0; p < inner; p++) {
      const x = a[i * inner + p];
      for (let j = 0; j < cols; j++) out[i * cols + j] += x * (bT ? b[j * inner + p] : b[p * cols + j]);
    }
  return out;
}

/** ‖M‖₁ (largest column sum of |M|). */
function norm1(m: Float64Array, rows: number, cols: number): number {
  let best = 0;
  for (let t = 0; t < cols; t++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += Math.abs(m[i * cols + t]);
    best = Math.max(best, s);
  }
  return best;
}

/** c_ℓ of the module comment for one layer (γ = 1). */
export function layerConstant(config: EngineConfig, layer: number, inDim: number): number {
  const { Wq, Wk, Wv, Wo } = layerWeights(config, layer, inDim);
  if (!Wq || !Wk || !Wv || !Wo) return NaN;
  const d = config.hidden;
  const wqk = product(Wq, inDim, d, Wk, inDim, true); // W_Q W_Kᵀ: inDim×inDim
  const wvo = product(Wv, inDim, d, Wo, d, false); // W_V W_O: inDim×d
  const beta = norm1(wqk, inDim, inDim) * mixedNorm(wvo, inDim, d);
  return (4 * beta) / Math.sqrt(d);
}

/** Why the theorem does not apply to this configuration (empty when it does). */
export function attentionAssumptionsBroken(config: EngineConfig): string[] {
  const out: string[] = [];
  if (config.model !== 'transformer') out.push('the model is not self-attention');
  if (config.norm.kind !== 'none') out.push('a normalization rescales the tokens after each layer');
  if (config.residual !== 'none') out.push('a skip connection keeps H in every layer’s output');
  if (config.activation !== 'none') out.push(`${config.activation} follows the attention`);
  return out;
}

export interface AttentionTheory {
  /** ‖res(H_ℓ)‖_{1,∞}, null where the layer has no features. */
  measured: (number | null)[];
  /** The chained bound on ‖res(H_ℓ)‖_{1,∞} from ‖res(H_0)‖ (may overflow to Infinity). */
  bound: number[];
  /** c_ℓ per layer (index 0 unused, NaN). */
  constants: number[];
  /** √c_1·‖res(H_0)‖: below 1 the bound shrinks from the first layer on; above it, it grows. */
  contraction: number;
}

/**
 * Residuals and chained bound for one run; a residual below `relativeFloor`·‖H_ℓ‖_{1,∞} (the
 * rounding of the features) is null.
 */
export function attentionTheory(
  config: EngineConfig,
  n: number,
  layers: LayerResult[],
  relativeFloor = 0,
): AttentionTheory {
  const measured = layers.map((l) => {
    if (!l.features) return null;
    const r = residualNorm(l.features, n, l.width);
    return r < relativeFloor * mixedNorm(l.features, n, l.width) ? null : r;
  });
  const constants: number[] = [NaN];
  const logBound: number[] = [Math.log(measured[0] ?? NaN)];
  for (let l = 1; l < layers.length; l++) {
    const c = layerConstant(config, l, layers[l - 1].width);
    constants.push(c);
    logBound.push(Math.log(c) + 3 * logBound[l - 1]);
  }
  return {
    measured,
    bound: logBound.map((v) => Math.exp(v)),
    constants,
    contraction: Math.sqrt(constants[1] ?? NaN) * (measured[0] ?? NaN),
  };
}
