// Backward of LayerNorm, BatchNorm and PairNorm (SPEC §1.3). Each takes the forward input x
// (what the tape keeps) and ∂y, recomputes the statistics, and returns ∂x.
//
// LayerNorm / BatchNorm: y = (x − m)·r, r = 1/√(v + ε), biased variance over the row (column),
// so ∂x = r·(∂y − mean(∂y) − ŷ·mean(∂y ∘ ŷ)) with ŷ = y and the means over the same row (column).
// PairNorm: c = x − 1·meanᵀ, y = f·c, f = s/√(ε + q/N), q = Σ‖c_i‖²; then
// ∂c = f·∂y − c·(f³/(s²N))·⟨∂y, c⟩ and ∂x = ∂c − 1·colmean(∂c)ᵀ.

import {
  NORM_EPS,
  PAIRNORM_EPS,
  batchNorm,
  columnMeans,
  layerNorm,
  layerNormStats,
  pairNorm,
} from '../../engine/reference/ops';

export { batchNorm, layerNorm, pairNorm };

export function layerNormBackward(x: Float64Array, g: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  const yhat = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const { mean, inv: r } = layerNormStats(x, o, d);
    let gMean = 0;
    let gyMean = 0;
    for (let t = 0; t < d; t++) {
      yhat[t] = (x[o + t] - mean) * r;
      gMean += g[o + t];
      gyMean += g[o + t] * yhat[t];
    }
    gMean /= d;
    gyMean /= d;
    for (let t = 0; t < d; t++) out[o + t] = r * (g[o + t] - gMean - yhat[t] * gyMean);
  }
  return out;
}

export function batchNormBackward(x: Float64Array, g: Float64Array, n: number, d: number): Float64Array {
  const mean = columnMeans(x, n, d);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) r[t] += (x[i * d + t] - mean[t]) ** 2;
  for (let t = 0; t < d; t++) r[t] = 1 / Math.sqrt(r[t] / n + NORM_EPS);
  const gMean = new Float64Array(d);
  const gyMean = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const k = i * d + t;
      gMean[t] += g[k];
      gyMean[t] += g[k] * (x[k] - mean[t]) * r[t];
    }
  for (let t = 0; t < d; t++) {
    gMean[t] /= n;
    gyMean[t] /= n;
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const k = i * d + t;
      out[k] = r[t] * (g[k] - gMean[t] - (x[k] - mean[t]) * r[t] * gyMean[t]);
    }
  return out;
}

export function pairNormBackward(
  x: Float64Array,
  g: Float64Array,
  n: number,
  d: number,
  scale: number,
): Float64Array {
  const mean = columnMeans(x, n, d);
  const c = new Float64Array(n * d);
  let q = 0;
  let gc = 0;
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const k = i * d + t;
      c[k] = x[k] - mean[t];
      q += c[k] * c[k];
      gc += g[k] * c[k];
    }
  const f = scale / Math.sqrt(PAIRNORM_EPS + q / n);
  // ∂f/∂q = −(s/2N)(ε + q/N)^{−3/2} = −f³/(2s²N), and ∂q/∂c = 2c; s = 0 gives y ≡ 0 and ∂x = 0.
  const k2 = scale === 0 ? 0 : (f * f * f) / (scale * scale * n);
  const dc = new Float64Array(n * d);
  for (let k = 0; k < dc.length; k++) dc[k] = f * g[k] - c[k] * k2 * gc;
  const dcMean = columnMeans(dc, n, d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) dc[i * d + t] -= dcMean[t];
  return dc;
}
