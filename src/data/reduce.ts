// Feature reduction to a chosen width d: PCA (top-d principal components of the centered
// features, by subspace iteration with Rayleigh–Ritz, zero features skipped so sparse
// bag-of-words sets are cheap) or a seeded Gaussian random projection. Both return a new
// Dataset (same graph and labels) whose id records the reduction.

import type { Dataset } from './types';
import { Rng } from '../math/random';
import { addMatMul, matMulAtB } from '../math/dense';
import { symmetricEigen } from '../math/spectrum';

// Re-exported: the PCA's Rayleigh–Ritz step is its main user.
export { symmetricEigen };

export interface PcaOptions {
  /** Seed of the starting block (default 1): results agree across seeds to the tolerance. */
  seed?: number;
  /** Extra block columns beyond d (default 10): faster, surer convergence. */
  oversample?: number;
  /** Stop when every kept Ritz pair has ‖C u − λ u‖ ≤ tol·λ₁ (default 1e-5: on Cora → 64, variances to ~1e-7 relative). */
  tol?: number;
  /** Multiplications by the covariance between two orthonormalizations (default 3). */
  powerSteps?: number;
  maxIterations?: number;
  /** Called after each iteration with the worst relative residual of the kept pairs (for progress). */
  onIteration?: (iteration: number, residual: number, tol: number) => void;
}

export interface PcaResult {
  dataset: Dataset;
  /** Variances (eigenvalues of the covariance, divisor N) of the d components, descending. */
  variances: Float64Array;
  /** Total variance of the input (trace of the covariance). */
  totalVariance: number;
  /** featureDim×d row-major: column c is component c (unit norm, largest entry positive). */
  components: Float64Array;
  /** Column means removed before projecting. */
  mean: Float64Array;
  iterations: number;
  converged: boolean;
}

function checkWidth(ds: Dataset, d: number): void {
  if (!Number.isInteger(d) || d < 1 || d > ds.featureDim)
    throw new Error(`reduce: the target width must be an integer in 1..${ds.featureDim} (got ${d})`);
}

/**
 * Orthonormalize the k columns of the D×k row-major matrix q in place (modified
 * Gram–Schmidt, twice); a column that vanishes is replaced by a fresh random one.
 */
function orthonormalize(q: Float64Array, dim: number, k: number, rng: Rng): void {
  const col = new Float64Array(dim);
  const cols: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < dim; j++) col[j] = q[j * k + c];
    let original = 0;
    for (let j = 0; j < dim; j++) original += col[j] * col[j];
    for (let attempt = 0; ; attempt++) {
      for (let pass = 0; pass < 2; pass++)
        for (const b of cols) {
          let dot = 0;
          for (let j = 0; j < dim; j++) dot += b[j] * col[j];
          for (let j = 0; j < dim; j++) col[j] -= dot * b[j];
        }
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += col[j] * col[j];
      if (norm > 1e-20 * original && norm > 0) {
        norm = Math.sqrt(norm);
        for (let j = 0; j < dim; j++) col[j] /= norm;
        break;
      }
      if (attempt > 5) throw new Error('reduce: could not orthonormalize the PCA block');
      for (let j = 0; j < dim; j++) col[j] = rng.normal();
      original = dim;
    }
    cols.push(Float64Array.from(col));
    for (let j = 0; j < dim; j++) q[j * k + c] = col[j];
  }
}

/** y (N×k) = (X − 1μᵀ) q for q (D×k), zero entries of X skipped. */
function multiplyCentered(
  x: Float32Array,
  n: number,
  dim: number,
  mean: Float64Array,
  q: Float64Array,
  k: number,
  y: Float64Array,
): void {
  const shift = new Float64Array(k); // μᵀ q
  for (let j = 0; j < dim; j++)
    if (mean[j] !== 0) for (let c = 0; c < k; c++) shift[c] += mean[j] * q[j * k + c];
  const start = shift.map((s) => -s);
  for (let i = 0; i < n; i++) y.set(start, i * k);
  addMatMul(y, x, q, n, dim, k, false);
}

/** z (D×k) = (X − 1μᵀ)ᵀ y / N for y (N×k). */
function multiplyCenteredT(
  x: Float32Array,
  n: number,
  dim: number,
  mean: Float64Array,
  y: Float64Array,
  k: number,
  z: Float64Array,
): void {
  const colSum = new Float64Array(k); // 1ᵀ y
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) colSum[c] += y[i * k + c];
  z.fill(0);
  addMatMul(z, x, y, n, dim, k, true);
  for (let j = 0; j < dim; j++)
    for (let c = 0; c < k; c++) z[j * k + c] = (z[j * k + c] - mean[j] * colSum[c]) / n;
}

/**
 * Project the features onto their top-d principal components (the centered data times the
 * components: an N×d matrix with column means 0). The id is `<input id>|pca<d>`.
 */
export function reducePca(ds: Dataset, d: number, options: PcaOptions = {}): PcaResult {
  checkWidth(ds, d);
  const { n, featureDim: dim, features: x } = ds;
  const k = Math.min(dim, d + (options.oversample ?? 10));
  const tol = options.tol ?? 1e-5;
  const powerSteps = options.powerSteps ?? 3;
  const maxIterations = options.maxIterations ?? 300;
  const rng = new Rng(options.seed ?? 1, 0x50434131 /* 'PCA1' */, dim, d);

  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  let totalVariance = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const c = x[i * dim + j] - mean[j];
      totalVariance += c * c;
    }
  totalVariance /= n;

  let q = new Float64Array(dim * k);
  rng.fillNormal(q);
  orthonormalize(q, dim, k, rng);
  const y = new Float64Array(n * k);
  const z = new Float64Array(dim * k);
  let values: Float64Array = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  for (;;) {
    iterations++;
    multiplyCentered(x, n, dim, mean, q, k, y);
    multiplyCenteredT(x, n, dim, mean, y, k, z); // z = C q
    // Rayleigh–Ritz: B = qᵀ C q = V Λ Vᵀ; Ritz vectors q V, C q V = z V.
    const b = matMulAtB(q, z, dim, k, k);
    for (let r = 0; r < k; r++)
      for (let c = r + 1; c < k; c++) b[r * k + c] = b[c * k + r] = (b[r * k + c] + b[c * k + r]) / 2;
    const eig = symmetricEigen(b, k);
    values = eig.values;
    const qv = new Float64Array(dim * k);
    const zv = new Float64Array(dim * k);
    for (let j = 0; j < dim; j++)
      for (let r = 0; r < k; r++) {
        const qr = q[j * k + r];
        const zr = z[j * k + r];
        for (let c = 0; c < k; c++) {
          const vrc = eig.vectors[r * k + c];
          qv[j * k + c] += qr * vrc;
          zv[j * k + c] += zr * vrc;
        }
      }
    // Residuals of the kept pairs.
    const scale = Math.max(values[0], 1e-300);
    let worst = 0;
    for (let c = 0; c < d; c++) {
      let r2 = 0;
      for (let j = 0; j < dim; j++) {
        const r = zv[j * k + c] - values[c] * qv[j * k + c];
        r2 += r * r;
      }
      worst = Math.max(worst, Math.sqrt(r2) / scale);
    }
    options.onIteration?.(iterations, worst, tol);
    if (worst <= tol || values[0] <= 0) {
      q = qv;
      converged = true;
      break;
    }
    if (iterations >= maxIterations) {
      q = qv;
      break;
    }
    // The next block: C^powerSteps times the Ritz vectors (zv is already one product).
    q = zv;
    for (let step = 1; step < powerSteps; step++) {
      multiplyCentered(x, n, dim, mean, q, k, y);
      multiplyCenteredT(x, n, dim, mean, y, k, z);
      q.set(z);
    }
    orthonormalize(q, dim, k, rng);
  }

  // Keep d components, each with its largest-magnitude entry positive.
  const components = new Float64Array(dim * d);
  for (let c = 0; c < d; c++) {
    let best = 0;
    for (let j = 0; j < dim; j++) if (Math.abs(q[j * k + c]) > Math.abs(best)) best = q[j * k + c];
    const sign = best < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) components[j * d + c] = sign * q[j * k + c];
  }
  const proj = new Float64Array(n * d);
  multiplyCentered(x, n, dim, mean, components, d, proj);
  const dataset: Dataset = {
    ...ds,
    id: `${ds.id}|pca${d}`,
    name: `${ds.name} (PCA ${d})`,
    featureDim: d,
    features: Float32Array.from(proj),
  };
  return {
    dataset,
    variances: values.slice(0, d).map((v) => Math.max(v, 0)),
    totalVariance,
    components,
    mean,
    iterations,
    converged,
  };
}

/**
 * Multiply the features by a seeded featureDim×d Gaussian matrix with N(0, 1/d) entries
 * (Johnson–Lindenstrauss: distances kept in expectation). The id is `<input id>|rp<d>s<seed>`.
 */
export function reduceRandomProjection(ds: Dataset, d: number, seed = 1): Dataset {
  checkWidth(ds, d);
  const { n, featureDim: dim, features: x } = ds;
  const w = new Float64Array(dim * d);
  new Rng(seed, 0x52505231 /* 'RPR1' */, dim, d).fillNormal(w, 1 / Math.sqrt(d));
  const out = new Float64Array(n * d); // summed in float64, stored as float32
  addMatMul(out, x, w, n, dim, d, false);
  return {
    ...ds,
    id: `${ds.id}|rp${d}s${seed}`,
    name: `${ds.name} (random projection ${d})`,
    featureDim: d,
    features: Float32Array.from(out),
  };
}

/** One entry point for the UI: PCA or a random projection to width d. */
export function reduceFeatures(
  ds: Dataset,
  reduction: { method: 'pca'; d: number; seed?: number } | { method: 'random'; d: number; seed?: number },
  onIteration?: PcaOptions['onIteration'],
): Dataset {
  return reduction.method === 'pca'
    ? reducePca(ds, reduction.d, { seed: reduction.seed, onIteration }).dataset
    : reduceRandomProjection(ds, reduction.d, reduction.seed);
}
