// Layer weights (SPEC §1.4), drawn once per seed on the CPU in float64. Both engines use
// these numbers: the GPU engine uploads them cast to float32, so "same seed, same weights".
//
// Streams: every matrix has its own Rng stream keyed by
//   (weights.seed, WEIGHT_DOMAIN, layer id, matrix index)
// with matrix index W = 0 (GNN), W_Q = 1, W_K = 2, W_V = 3, W_O = 4 (Transformer).
// The layer id is the 1-based layer, or 0 for the shared matrices of tied weights (every
// layer whose input width is `hidden`; a first layer from a different input width draws its
// own, with layer id 1). Entries are drawn in row-major order, so a Gaussian and an
// orthogonal init from the same seed start from the same Gaussian matrix.

import type { EngineConfig, WeightInit } from './types';
import { Rng } from '../math/random';
import { symmetricEigenvalues } from '../math/spectrum';

/** Keeps weight streams apart from data-set streams that happen to use the same seed. */
const WEIGHT_DOMAIN = 0x57454947; // 'WEIG'

export const MATRIX_INDEX = { W: 0, Wq: 1, Wk: 2, Wv: 3, Wo: 4 } as const;

/**
 * One layer's matrices, row-major, each inDim×outDim so that Z = H·W for H (N×inDim);
 * W_O is hidden×hidden. The arrays are shared through a cache: read them, never write.
 */
export interface LayerWeights {
  inDim: number;
  outDim: number;
  W?: Float64Array;
  Wq?: Float64Array;
  Wk?: Float64Array;
  Wv?: Float64Array;
  Wo?: Float64Array;
  /**
   * Lipschitz constant used by the `lipschitz` residual (SPEC §1.3): GNN ‖W‖₂ (‖Â‖₂ = 1);
   * Transformer ‖W_V‖₂·‖W_O‖₂, the bound of the value path P·(H W_V) W_O when the
   * attention map P is held fixed. (Softmax attention itself is not globally Lipschitz,
   * Kim et al. 2021, so no exact bound exists; this one is the choice the app makes.)
   */
  lipschitzNorm: number;
}

/** A rows×cols matrix per the init: Gaussian N(0, gain²/rows), orthogonal·gain, or identity. */
export function initMatrix(
  init: WeightInit,
  gain: number,
  rows: number,
  cols: number,
  rng: Rng,
): Float64Array {
  const m = new Float64Array(rows * cols);
  if (init === 'identity') {
    // Pure propagation: no gain, ones on i == j, truncated when rectangular.
    for (let i = 0; i < Math.min(rows, cols); i++) m[i * cols + i] = 1;
    return m;
  }
  if (init === 'gaussian') {
    rng.fillNormal(m, gain / Math.sqrt(rows));
    return m;
  }
  rng.fillNormal(m, 1);
  orthonormalize(m, rows, cols);
  for (let i = 0; i < m.length; i++) m[i] *= gain;
  return m;
}

/**
 * Make a rows×cols matrix semi-orthogonal in place: orthonormal columns when rows ≥ cols,
 * orthonormal rows otherwise. Modified Gram–Schmidt in float64, with a second pass for any
 * vector that lost more than 30% of its norm to the first (Daniel–Gragg–Kaufman–Stewart),
 * which keeps the result orthonormal to rounding. From a Gaussian matrix this is the Q of
 * its QR factorization with R's diagonal positive: a Haar-distributed orthogonal matrix.
 */
export function orthonormalize(m: Float64Array, rows: number, cols: number): void {
  const byColumns = rows >= cols;
  const count = byColumns ? cols : rows;
  const len = byColumns ? rows : cols;
  // Work on contiguous vectors: the columns are copied out (transposed) and back.
  const v = byColumns ? new Float64Array(count * len) : m;
  if (byColumns)
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) v[j * len + i] = m[i * cols + j];
  const norm = (o: number): number => {
    let s = 0;
    for (let t = 0; t < len; t++) s += v[o + t] * v[o + t];
    return Math.sqrt(s);
  };
  for (let k = 0; k < count; k++) {
    const ok = k * len;
    for (let pass = 0; pass < 2; pass++) {
      const before = norm(ok);
      for (let j = 0; j < k; j++) {
        const oj = j * len;
        let dot = 0;
        for (let t = 0; t < len; t++) dot += v[oj + t] * v[ok + t];
        for (let t = 0; t < len; t++) v[ok + t] -= dot * v[oj + t];
      }
      if (norm(ok) > 0.7 * before) break;
    }
    const nk = norm(ok);
    // A Gaussian vector in the span of the others has probability zero; leave it zero.
    if (nk > 0) for (let t = 0; t < len; t++) v[ok + t] /= nk;
  }
  if (byColumns)
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m[i * cols + j] = v[j * len + i];
}

/** Power iterations allowed before the exact eigen solver takes over (slowly converging σ₁ ≈ σ₂). */
const POWER_MAX_ITERATIONS = 2000;
const POWER_TOLERANCE = 1e-10;

/**
 * ‖M‖₂ of a rows×cols matrix by power iteration on MᵀM in float64, from a fixed
 * pseudo-random start vector. Stops when the residual ‖MᵀMv − λv‖ ≤ 1e-10·λ (so λ is within
 * 1e-10 relative of an eigenvalue of MᵀM, and σ = √λ closer still). If σ₁ and σ₂ are so
 * close that this takes more than 2000 steps, the exact answer comes from the eigenvalues
 * of MᵀM instead; either way the result is deterministic.
 */
export function spectralNorm(m: Float64Array, rows: number, cols: number): number {
  if (rows === 0 || cols === 0) return 0;
  const rng = new Rng(0x5eed, rows, cols);
  let v = new Float64Array(cols);
  rng.fillNormal(v);
  const mv = new Float64Array(rows);
  let w = new Float64Array(cols);
  const normalize = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * x[i];
    const n = Math.sqrt(s);
    if (n > 0) for (let i = 0; i < x.length; i++) x[i] /= n;
    return n;
  };
  normalize(v);
  for (let iter = 0; iter < POWER_MAX_ITERATIONS; iter++) {
    // w = Mᵀ (M v)
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const o = i * cols;
      for (let j = 0; j < cols; j++) s += m[o + j] * v[j];
      mv[i] = s;
    }
    w.fill(0);
    for (let i = 0; i < rows; i++) {
      const o = i * cols;
      const a = mv[i];
      if (a !== 0) for (let j = 0; j < cols; j++) w[j] += m[o + j] * a;
    }
    let lambda = 0;
    for (let j = 0; j < cols; j++) lambda += w[j] * v[j];
    if (!Number.isFinite(lambda)) return NaN;
    if (lambda <= 0) return 0; // v in the null space: M v = 0 for a generic v means M = 0
    let r2 = 0;
    for (let j = 0; j < cols; j++) r2 += (w[j] - lambda * v[j]) ** 2;
    if (Math.sqrt(r2) <= POWER_TOLERANCE * lambda) return Math.sqrt(lambda);
    normalize(w);
    [v, w] = [w, v];
  }
  return Math.sqrt(Math.max(gramEigenMax(m, rows, cols), 0));
}

function gramEigenMax(m: Float64Array, rows: number, cols: number): number {
  const g = new Float64Array(cols * cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let a = 0; a < cols; a++) {
      const x = m[o + a];
      if (x !== 0) for (let b = 0; b <= a; b++) g[a * cols + b] += x * m[o + b];
    }
  }
  return symmetricEigenvalues(g, cols)[0];
}

// Cache: the UI asks for the same weights on every slider move. Bounded by the number of
// float64 entries held; the oldest entries go first (Map keeps insertion order, and a hit
// re-inserts its entry).
const CACHE_MAX_ENTRIES = 1 << 24; // 128 MiB of float64
const cache = new Map<string, LayerWeights>();
let cachedEntries = 0;

function sizeOf(w: LayerWeights): number {
  return (
    (w.W?.length ?? 0) + (w.Wq?.length ?? 0) + (w.Wk?.length ?? 0) + (w.Wv?.length ?? 0) + (w.Wo?.length ?? 0)
  );
}

/** Drop every cached matrix (tests; memory pressure). */
export function clearWeightCache(): void {
  cache.clear();
  cachedEntries = 0;
}

/** The stream's layer id: 0 for tied weights shared by all hidden→hidden layers, else the layer. */
export function weightStreamLayer(config: EngineConfig, layer: number, inDim: number): number {
  return config.weights.tied && inDim === config.hidden ? 0 : layer;
}

/** The weights of `layer` (1-based) mapping inDim → config.hidden, deterministic in config.weights. */
/**
 * `lipschitzNorm` computed on first read: the power iteration costs more than drawing the
 * matrices and only the Lipschitz-bounded residual reads it.
 */
function withLazyNorm(weights: Omit<LayerWeights, 'lipschitzNorm'>, norm: () => number): LayerWeights {
  let value: number | undefined;
  return Object.defineProperty(weights, 'lipschitzNorm', {
    enumerable: true,
    get: () => (value ??= norm()),
  }) as LayerWeights;
}

export function layerWeights(config: EngineConfig, layer: number, inDim: number): LayerWeights {
  const { init, gain, seed, tied } = config.weights;
  const outDim = config.hidden;
  const streamLayer = weightStreamLayer(config, layer, inDim);
  const key = JSON.stringify([init, gain, seed, tied, outDim, config.model, streamLayer, inDim]);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const draw = (index: number, rows: number, cols: number): Float64Array =>
    initMatrix(init, gain, rows, cols, new Rng(seed, WEIGHT_DOMAIN, streamLayer, index));
  let result: LayerWeights;
  if (config.model === 'gnn') {
    const W = draw(MATRIX_INDEX.W, inDim, outDim);
    result = withLazyNorm({ inDim, outDim, W }, () => spectralNorm(W, inDim, outDim));
  } else {
    const Wq = draw(MATRIX_INDEX.Wq, inDim, outDim);
    const Wk = draw(MATRIX_INDEX.Wk, inDim, outDim);
    const Wv = draw(MATRIX_INDEX.Wv, inDim, outDim);
    const Wo = draw(MATRIX_INDEX.Wo, outDim, outDim);
    result = withLazyNorm(
      { inDim, outDim, Wq, Wk, Wv, Wo },
      () => spectralNorm(Wv, inDim, outDim) * spectralNorm(Wo, outDim, outDim),
    );
  }
  cache.set(key, result);
  cachedEntries += sizeOf(result);
  for (const [k, w] of cache) {
    if (cachedEntries <= CACHE_MAX_ENTRIES || k === key) break;
    cache.delete(k);
    cachedEntries -= sizeOf(w);
  }
  return result;
}
