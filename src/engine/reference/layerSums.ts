// The sums of metrics.ts's LayerSums, in float64, straight from their definitions.

import type { Csr } from '../../data/graph';
import type { LayerSums } from '../metrics';
import { ROW_NORM_EPS } from '../metrics';
import type { AttentionSums, Mat } from './ops';

/**
 * Gram matrix of the rows of x (n×d) minus `shift` (length d, or null for none): XᵀX (d×d)
 * when n ≥ d, else XXᵀ (n×n), which has the same nonzero eigenvalues. Zero entries are
 * skipped, which makes sparse inputs (bag-of-words features) cheap.
 */
export function gramOf(x: Mat, n: number, d: number, shift: Float64Array | null): Float64Array {
  const row = new Float64Array(d);
  const load = (i: number): void => {
    for (let t = 0; t < d; t++) row[t] = shift ? x[i * d + t] - shift[t] : x[i * d + t];
  };
  if (n >= d) {
    const g = new Float64Array(d * d);
    const nz = new Int32Array(d);
    for (let i = 0; i < n; i++) {
      load(i);
      let count = 0;
      for (let t = 0; t < d; t++) if (row[t] !== 0) nz[count++] = t;
      for (let a = 0; a < count; a++) {
        const ta = nz[a];
        const va = row[ta];
        const o = ta * d;
        for (let b = 0; b <= a; b++) g[o + nz[b]] += va * row[nz[b]];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) g[b * d + a] = g[a * d + b];
    return g;
  }
  const centered = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    load(i);
    centered.set(row, i * d);
  }
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += centered[i * d + t] * centered[j * d + t];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  return g;
}

/** Σ_i Σ_{j∈N(i)} ‖x_i − x_j‖² over the stored (both-way) edges of the graph, unweighted (SPEC §2). */
export function dirichletSum(graph: Csr, x: Mat, n: number, d: number): number {
  let s = 0;
  for (let i = 0; i < n; i++)
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) {
      const j = graph.colIdx[k];
      for (let t = 0; t < d; t++) s += (x[i * d + t] - x[j * d + t]) ** 2;
    }
  return s;
}

/** Count NaN and ±Inf entries. */
export function countNonFinite(x: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) c++;
  return c;
}

export function computeLayerSums(
  x: Mat,
  n: number,
  d: number,
  options: {
    graph?: Csr;
    centered: boolean;
    attention: AttentionSums | null;
    /** Another way to the same Gram matrix (the fast engine's WebAssembly one); gramOf by default. */
    gram?: (x: Mat, n: number, d: number, shift: Float64Array | null) => Float64Array;
  },
): LayerSums {
  const colSum = new Float64Array(d);
  const unitColSum = new Float64Array(d);
  let unitRowCount = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t];
      colSum[t] += v;
      sq += v * v;
    }
    sumSq += sq;
    const inv = 1 / Math.max(Math.sqrt(sq), ROW_NORM_EPS);
    for (let t = 0; t < d; t++) unitColSum[t] += x[i * d + t] * inv;
    unitRowCount += sq * inv * inv;
  }
  // Second pass with γ known, so that nearly collapsed rows do not cancel.
  const gamma = colSum.map((v) => v / n);
  let centeredSumSq = 0;
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) centeredSumSq += (x[i * d + t] - gamma[t]) ** 2;
  return {
    n,
    d,
    gram: (options.gram ?? gramOf)(x, n, d, options.centered ? gamma : null),
    colSum,
    unitColSum,
    unitRowCount,
    sumSq,
    centeredSumSq,
    dirichletSum: options.graph ? dirichletSum(options.graph, x, n, d) : null,
    attention: options.attention,
  };
}
