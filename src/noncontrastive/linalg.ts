// Small dense float64 linear algebra for the linear SimSiam/BYOL model: row-major matrices,
// sizes ≤ 64×1024, so plain loops are fast enough and keep every operation readable.

import { symmetricEigen as jacobiEigen } from '../math/spectrum';

/** C (m×n) = A (m×k) · Bᵀ, where B is n×k: the shape of "each row of A through the map B". */
export function matMulABt(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += a[ai + t] * b[bj + t];
      c[i * n + j] = s;
    }
  }
  return c;
}

/** C (k×n) = Aᵀ (A is m×k) · B (m×n): sums over the batch rows, as in a gradient Gᵀ·X. */
export function matMulAtB(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(k * n);
  for (let r = 0; r < m; r++) {
    const ar = r * k;
    const br = r * n;
    for (let i = 0; i < k; i++) {
      const v = a[ar + i];
      if (v === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] += v * b[br + j];
    }
  }
  return c;
}

/** (A + Aᵀ)/2 of a square n×n matrix. */
export function symmetricPart(a: Float64Array, n: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = 0.5 * (a[i * n + j] + a[j * n + i]);
  return s;
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

export interface EigenSystem {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as rows: row j (length n) belongs to values[j]. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors (as rows) of a symmetric n×n matrix, input left intact. Used
 * where the vectors are needed (the ODE's initial modes, PCA); n ≤ 64, so O(n³) per sweep
 * and a handful of sweeps cost a few milliseconds. Non-finite input gives NaN values.
 */
export function symmetricEigen(input: Float64Array, n: number): EigenSystem {
  const a = Float64Array.from(input.subarray(0, n * n));
  if (!allFinite(a)) {
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    return { values: new Float64Array(n).fill(NaN), vectors: eye };
  }
  // The project's one Jacobi solver (src/math/spectrum.ts) gives the vectors as columns.
  const eig = jacobiEigen(a, n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) vectors[j * n + k] = eig.vectors[k * n + j];
  return { values: eig.values, vectors };
}
