// Per-layer gradient statistics (SPEC §2, "gradient similarity"): G_ℓ = ∂loss/∂H_ℓ for ℓ = 0..L,
// its Frobenius norm and its consensus distance μ(G_ℓ) = ‖G_ℓ − 1γᵀ‖_F/‖G_ℓ‖_F, beside μ(H_ℓ).
// Measured in eval mode (no dropout), so the numbers are a deterministic function of the weights.
// Gradient oversmoothing (Park & Kim 2024) shows as μ(G_ℓ) → 0 towards the input: every node
// receives nearly the same gradient; gradient expansion as ‖G_ℓ‖ growing towards the input.

import type { GradientLayerStats, TrainConfig } from '../types';
import type { TrainingData } from '../data';
import type { TrainingWeights } from '../model';
import { backward, forward, type Architecture } from './network';
import { softmaxCrossEntropy } from './loss';

/** μ(M) = ‖M − 1γᵀ‖_F / ‖M‖_F with γ the column means (0 for M = 0; NaN when not finite). */
export function consensusMu(m: Float64Array, n: number, d: number): number {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += m[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  let total = 0;
  let centered = 0;
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const v = m[i * d + t];
      total += v * v;
      centered += (v - mean[t]) ** 2;
    }
  if (!Number.isFinite(total) || !Number.isFinite(centered)) return NaN;
  return total === 0 ? 0 : Math.sqrt(centered / total);
}

export function frobenius(m: Float64Array): number {
  let s = 0;
  for (let k = 0; k < m.length; k++) s += m[k] * m[k];
  return Math.sqrt(s);
}

/** ‖G‖_F and μ(G) of G = P Wᵀ (P n×d, W k×d) without forming G: from PᵀP, Pcᵀ Pc and WᵀW (d×d). */
export function factoredGradStats(
  p: Float64Array,
  n: number,
  d: number,
  w: Float64Array,
  k: number,
): { gradNorm: number; gradMu: number } {
  // Column-centering G is column-centering P: (I − 11ᵀ/n) P Wᵀ = Pc Wᵀ; ‖P Wᵀ‖² = tr(PᵀP·WᵀW).
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += p[i * d + t] / n;
  const gram = (m: Float64Array, rows: number, shift: Float64Array | null): Float64Array => {
    const g = new Float64Array(d * d);
    for (let i = 0; i < rows; i++)
      for (let a = 0; a < d; a++) {
        const x = m[i * d + a] - (shift ? shift[a] : 0);
        for (let b = 0; b < d; b++) g[a * d + b] += x * (m[i * d + b] - (shift ? shift[b] : 0));
      }
    return g;
  };
  const ww = gram(w, k, null);
  const total = inner(gram(p, n, null), ww);
  const centered = inner(gram(p, n, mean), ww);
  if (!Number.isFinite(total) || !Number.isFinite(centered)) return { gradNorm: NaN, gradMu: NaN };
  return {
    gradNorm: Math.sqrt(Math.max(total, 0)),
    gradMu: total <= 0 ? 0 : Math.sqrt(Math.max(centered, 0) / total),
  };
}

function inner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

// μ(H_0) of the input features never changes during a run; for Cora (2708×1433) it is the most
// expensive number of a statistics pass, so it is kept per features array.
const inputMuCache = new WeakMap<Float64Array, number>();
function inputMu(h: Float64Array, n: number, d: number): number {
  let mu = inputMuCache.get(h);
  if (mu === undefined) inputMuCache.set(h, (mu = consensusMu(h, n, d)));
  return mu;
}

/**
 * Statistics of layers 0..L from the representations H_ℓ and their gradients G_ℓ. A null G_0
 * is taken from `input` = {P, W_1} as G_0 = P W_1ᵀ (eval mode: no dropout mask on it).
 */
export function layerStats(
  hs: readonly Float64Array[],
  grads: readonly (Float64Array | null)[],
  dims: readonly number[],
  n: number,
  input?: { factor: Float64Array; w: Float64Array },
): GradientLayerStats[] {
  return hs.map((h, l) => {
    const g = grads[l];
    let stats: { gradNorm: number; gradMu: number };
    if (g) stats = { gradNorm: frobenius(g), gradMu: consensusMu(g, n, dims[l]) };
    else if (l === 0 && input) stats = factoredGradStats(input.factor, n, dims[1], input.w, dims[0]);
    else throw new Error(`no gradient for layer ${l}`);
    return { layer: l, ...stats, repMu: l === 0 ? inputMu(h, n, dims[0]) : consensusMu(h, n, dims[l]) };
  });
}

export function architectureOf(config: TrainConfig): Architecture {
  const { adjacency, norm, activation, residual, alpha } = config;
  return { adjacency, norm, activation, residual, alpha };
}

/**
 * One eval-mode forward and backward of the training loss at `weights`: the loss, the
 * logits and the per-layer gradient statistics.
 */
export function gradientStats(
  config: TrainConfig,
  data: TrainingData,
  weights: TrainingWeights,
): { stats: GradientLayerStats[]; loss: number; logits: Float64Array; hs: Float64Array[] } {
  const arch = architectureOf(config);
  const fwd = forward(arch, weights, data.graph, data.features, data.n, { sparse: data.sparseFeatures });
  const { loss, grad } = softmaxCrossEntropy(fwd.logits, weights.classes, data.labels, data.split.train);
  // G_0 is n×inDim (Cora: 2708×1433); its two numbers come from the n×hidden factor instead.
  const g = backward(arch, weights, data.graph, data.n, fwd, grad, 'factored');
  if (!g.hs) throw new Error('backward did not keep the hidden gradients');
  const input = g.inputFactor ? { factor: g.inputFactor, w: weights.layers[0] } : undefined;
  return {
    stats: layerStats(fwd.hs, g.hs, weights.dims, data.n, input),
    loss,
    logits: fwd.logits,
    hs: fwd.hs,
  };
}
