// The operations of SPEC §1 in float64, written from the definitions for reading, not speed.
// Matrices are row-major Float64Arrays with their sizes passed alongside: x is n×d.
// Nothing here allocates an N×N matrix: softmax rows (attention, ContraNorm) are formed one
// row at a time.

import type { Activation, Adjacency, NormConfig } from '../types';
import { selfLoopDegrees, type Csr } from '../../data/graph';
import { contraNormCoefficients } from '../../math/contranorm';
import { ROW_NORM_EPS } from '../metrics';
import { matMulAB } from '../../math/dense';

/**
 * A row-major matrix: float64 in the reference engine, float32 in the fast CPU engine. The
 * O(N·d) operations below take either and return the same type (so the fast engine rounds their
 * results to float32, as a float32 engine must); the products stay float64 here.
 */
export type Mat = Float32Array | Float64Array;

/** A zeroed array of x's type. */
export function like<M extends Mat>(x: M, length: number): M {
  return (x instanceof Float32Array ? new Float32Array(length) : new Float64Array(length)) as M;
}

/** x itself when it is float64, else a float64 copy. */
export function asF64(x: Mat): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}

/** The variance floor of LayerNorm and BatchNorm (SPEC §1.3). */
export const NORM_EPS = 1e-5;
/** The floor under PairNorm's mean squared row norm. */
export const PAIRNORM_EPS = 1e-6;

/** x (n×k) · w (k×m), in the argument order of the engines' operations (LayerOps.matmul). */
export function matmul(x: Float64Array, n: number, k: number, w: Float64Array, m: number): Float64Array {
  return matMulAB(x, w, n, k, m);
}

/**
 * Â v, or Âᵀ v with `transpose`, for Â = D̃⁻¹Ã (`rw`) or D̃^{-1/2} Ã D̃^{-1/2} (`sym`), Ã = A + I
 * with the edge weights when present (self loops weigh 1); a sparse walk over the CSR that never
 * forms Â. For `sym` Â is symmetric; for `rw` it is not (Âᵀ = Ã D̃⁻¹), so the transpose scatters
 * each CSR row i into the rows of its columns. One walk, so both agree on every coefficient.
 */
export function applyPropagation(
  graph: Csr,
  v: Float64Array,
  n: number,
  d: number,
  adjacency: Adjacency,
  transpose = false,
): Float64Array {
  const deg = selfLoopDegrees(graph, n);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    const self = 1 / deg[i];
    // Forward, row i is written here first; transposed, earlier rows have scattered into it.
    if (transpose) for (let t = 0; t < d; t++) out[oi + t] += self * v[oi + t];
    else for (let t = 0; t < d; t++) out[oi + t] = self * v[oi + t];
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) {
      const j = graph.colIdx[k];
      const a = graph.weights ? graph.weights[k] : 1;
      const c = adjacency === 'rw' ? a / deg[i] : a / Math.sqrt(deg[i] * deg[j]);
      const oj = j * d;
      // Â_ij: row j of v into row i of the product, or row i of v into row j of the transpose.
      if (transpose) for (let t = 0; t < d; t++) out[oj + t] += c * v[oi + t];
      else for (let t = 0; t < d; t++) out[oi + t] += c * v[oj + t];
    }
  }
  return out;
}

/** Â x (see applyPropagation). */
export function propagate(
  graph: Csr,
  x: Float64Array,
  n: number,
  d: number,
  adjacency: Adjacency,
): Float64Array {
  return applyPropagation(graph, x, n, d, adjacency);
}

export function activate<M extends Mat>(x: M, activation: Activation): M {
  // NaN stays NaN (x > 0 and x <= 0 are both false), so divergence is not hidden.
  if (activation === 'relu') for (let i = 0; i < x.length; i++) x[i] = x[i] <= 0 ? 0 : x[i];
  else if (activation === 'tanh') for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i]);
  return x;
}

/** The mean and 1/sqrt(var + 1e-5) (biased variance) of the d values from x[o]: one LayerNorm row. */
export function layerNormStats(x: ArrayLike<number>, o: number, d: number): { mean: number; inv: number } {
  let mean = 0;
  for (let t = 0; t < d; t++) mean += x[o + t];
  mean /= d;
  let v = 0;
  for (let t = 0; t < d; t++) v += (x[o + t] - mean) ** 2;
  return { mean, inv: 1 / Math.sqrt(v / d + NORM_EPS) };
}

/** Per row: (z − mean) / sqrt(var + 1e-5), biased variance, no affine. */
export function layerNorm<M extends Mat>(x: M, n: number, d: number): M {
  const out = like(x, n * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    const { mean, inv } = layerNormStats(x, o, d);
    for (let t = 0; t < d; t++) out[o + t] = (x[o + t] - mean) * inv;
  }
  return out;
}

/** Per column over the n rows: (z − mean) / sqrt(var + 1e-5), batch statistics, no affine. */
export function batchNorm<M extends Mat>(x: M, n: number, d: number): M {
  const mean = columnMeans(x, n, d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) v[t] += (x[i * d + t] - mean[t]) ** 2;
  const out = like(x, n * d);
  for (let t = 0; t < d; t++) v[t] = 1 / Math.sqrt(v[t] / n + NORM_EPS);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) out[i * d + t] = (x[i * d + t] - mean[t]) * v[t];
  return out;
}

export function columnMeans(x: Mat, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += x[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  return mean;
}

/** PairNorm: Zc = Z − 1·meanᵀ, then s_pn·Zc / sqrt(1e-6 + (1/N) Σ_i ‖Zc_i‖²). */
export function pairNorm<M extends Mat>(x: M, n: number, d: number, scale: number): M {
  const mean = columnMeans(x, n, d);
  const out = like(x, n * d);
  let sq = 0;
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const c = x[i * d + t] - mean[t];
      out[i * d + t] = c;
      sq += c * c;
    }
  const f = scale / Math.sqrt(PAIRNORM_EPS + sq / n);
  for (let i = 0; i < out.length; i++) out[i] *= f;
  return out;
}

/** rn(x): each row divided by max(‖row‖, 1e-12). */
export function rowNormalize<M extends Mat>(x: M, n: number, d: number): M {
  const out = like(x, n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += x[i * d + t] ** 2;
    const inv = 1 / Math.max(Math.sqrt(s), ROW_NORM_EPS);
    for (let t = 0; t < d; t++) out[i * d + t] = x[i * d + t] * inv;
  }
  return out;
}

/**
 * Softmax of `scores` in place (stable: the row max is subtracted); −∞ entries get 0.
 * Returns false, leaving the row untouched, when every entry is −∞ (a fully masked row).
 * A NaN score makes the whole row NaN, so that divergence shows instead of being masked.
 */
export function softmaxInPlace(scores: Float64Array): boolean {
  let max = -Infinity;
  for (let j = 0; j < scores.length; j++) {
    if (Number.isNaN(scores[j])) {
      scores.fill(NaN); // a NaN score poisons the row visibly rather than being masked away
      return true;
    }
    if (scores[j] > max) max = scores[j];
  }
  if (max === -Infinity) return false;
  let sum = 0;
  for (let j = 0; j < scores.length; j++) {
    const e = Math.exp(scores[j] - max);
    scores[j] = e;
    sum += e;
  }
  for (let j = 0; j < scores.length; j++) scores[j] /= sum;
  return true;
}

/** scores[j] = scale·⟨a_i, b_j⟩ for j < n: row i of scale·A Bᵀ (A, B n×d), the scores of one softmax row. */
export function scoreRow(
  a: Float64Array,
  b: Float64Array,
  i: number,
  n: number,
  d: number,
  scale: number,
  scores: Float64Array,
): void {
  const oi = i * d;
  for (let j = 0; j < n; j++) {
    let dot = 0;
    const oj = j * d;
    for (let t = 0; t < d; t++) dot += a[oi + t] * b[oj + t];
    scores[j] = dot * scale;
  }
}

/**
 * Row i of ContraNorm's S = softmax(scale·u uᵀ) into `scores` (length n), for the forward engine
 * and the trainer alike. With `mask`, self and the graph neighbours (Ã_ij ≠ 0; only self without a
 * graph) are left out, marked in `stamp` (length n, filled with −1 once for all rows). Returns
 * false for a fully masked row (scores then meaningless: the row contributes S Z = 0).
 */
export function contraNormRow(
  i: number,
  u: Float64Array,
  n: number,
  d: number,
  scale: number,
  mask: boolean,
  graph: Csr | undefined,
  stamp: Int32Array,
  scores: Float64Array,
): boolean {
  scoreRow(u, u, i, n, d, scale, scores);
  if (mask) {
    stamp[i] = i;
    if (graph)
      for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++)
        if (!graph.weights || graph.weights[k] !== 0) stamp[graph.colIdx[k]] = i;
    for (let j = 0; j < n; j++) if (stamp[j] === i) scores[j] = -Infinity;
  }
  return softmaxInPlace(scores);
}

/**
 * ContraNorm (SPEC §1.3), all four variants, then LayerNorm. S is formed one row at a time.
 * `mask` removes self and graph neighbours (Ã_ij ≠ 0) from each row's softmax; a row with
 * nothing left contributes S Z = 0. Without a graph, `mask` removes only self.
 */
export function contraNorm(
  z: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  graph?: Csr,
): Float64Array {
  const mask = norm.variant === 'mask';
  const { paper, scoreScale, pull, keep } = contraNormCoefficients(norm);
  // Scores use rn(Z)/τ, or the raw Z for the printed form.
  const u = paper ? z : rowNormalize(z, n, d);
  const scores = new Float64Array(n);
  const stamp = new Int32Array(mask ? n : 0).fill(-1);
  const out = new Float64Array(n * d);
  const sz = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    sz.fill(0);
    if (contraNormRow(i, u, n, d, scoreScale, mask, graph, stamp, scores))
      for (let j = 0; j < n; j++) {
        const p = scores[j];
        if (p === 0) continue;
        const oj = j * d;
        for (let t = 0; t < d; t++) sz[t] += p * z[oj + t];
      }
    for (let t = 0; t < d; t++) out[oi + t] = keep * z[oi + t] - pull * sz[t];
  }
  return layerNorm(out, n, d);
}

/** The normalization of SPEC §1.3 named by `norm.kind`, as a new array (`none` copies). */
export function normalize<M extends Mat>(x: M, n: number, d: number, norm: NormConfig, graph?: Csr): M {
  switch (norm.kind) {
    case 'none':
      return x.slice() as M;
    case 'layernorm':
      return layerNorm(x, n, d);
    case 'batchnorm':
      return batchNorm(x, n, d);
    case 'pairnorm':
      return pairNorm(x, n, d, norm.pairnormScale);
    case 'contranorm':
      // float64 here; the fast engine supplies its own ContraNorm and never comes this way
      return x instanceof Float64Array
        ? (contraNorm(x, n, d, norm, graph) as M)
        : (Float32Array.from(contraNorm(asF64(x), n, d, norm, graph)) as M);
  }
}

/** The attention map's row sums for the attention-similarity metric (see LayerSums.attention). */
export interface AttentionSums {
  unitColSum: Float64Array;
  unitRowCount: number;
}

/** One attention head's projections W_Q, W_K, W_V, each k×m row-major (k in, m out). */
export interface HeadWeights {
  wq: Float64Array;
  wk: Float64Array;
  wv: Float64Array;
}

/**
 * One attention head without the output projection: returns P·V (n×m) with
 * P = softmax(Q Kᵀ/√d_k), Q = X W_Q, K = X W_K, V = X W_V (d_k = m), and the
 * sums of P's unit rows. P is formed one row at a time.
 */
export function attention(
  x: Float64Array,
  n: number,
  k: number,
  head: HeadWeights,
  m: number,
): { pv: Float64Array; sums: AttentionSums } {
  const q = matmul(x, n, k, head.wq, m);
  const kk = matmul(x, n, k, head.wk, m);
  const v = matmul(x, n, k, head.wv, m);
  const scale = 1 / Math.sqrt(m);
  const scores = new Float64Array(n);
  const pv = new Float64Array(n * m);
  const unitColSum = new Float64Array(n);
  let unitRowCount = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    scoreRow(q, kk, i, n, m, scale, scores);
    softmaxInPlace(scores);
    let sq = 0;
    for (let j = 0; j < n; j++) {
      const p = scores[j];
      sq += p * p;
      if (p === 0) continue;
      const oj = j * m;
      for (let t = 0; t < m; t++) pv[oi + t] += p * v[oj + t];
    }
    const norm = Math.sqrt(sq);
    const inv = 1 / Math.max(norm, ROW_NORM_EPS);
    for (let j = 0; j < n; j++) unitColSum[j] += scores[j] * inv;
    unitRowCount += sq * inv * inv;
  }
  return { pv, sums: { unitColSum, unitRowCount } };
}
