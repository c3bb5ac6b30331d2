// Small dense float64 linear algebra for the linear SimSiam/BYOL model: row-major matrices,
// sizes ≤ 64×1024, so plain loops are fast enough and keep every operation readable.

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
 * Eigenvalues and eigenvectors of a symmetric n×n matrix by cyclic Jacobi rotations. Used
 * where the vectors are needed (the ODE's initial modes, PCA); n ≤ 64, so O(n³) per sweep
 * and a handful of sweeps cost a few milliseconds. Non-finite input gives NaN values.
 */
export function symmetricEigen(input: Float64Array, n: number): EigenSystem {
  const a = Float64Array.from(input.subarray(0, n * n));
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  if (!allFinite(a)) return { values: new Float64Array(n).fill(NaN), vectors: v };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const x = a[i * n + j] * a[i * n + j];
        total += x;
        if (i !== j) off += x;
      }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J on rows/columns p, q; V ← V J (columns of V are the eigenvectors).
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, j) => {
    values[j] = a[col * n + col];
    for (let k = 0; k < n; k++) vectors[j * n + k] = v[k * n + col];
  });
  return { values, vectors };
}
