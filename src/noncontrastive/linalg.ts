// Small dense float64 linear algebra for the linear SimSiam/BYOL model: row-major matrices,
// sizes ≤ 64×1024, so plain loops are fast enough and keep every operation readable.

import { matMulAB, matMulABt, matMulAtB } from '../math/dense';
import { symmetricEigen as jacobiEigen } from '../math/spectrum';

export { matMulAB, matMulABt, matMulAtB };

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
