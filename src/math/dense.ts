// The dense float64 products A·B, A·Bᵀ and Aᵀ·B: row-major matrices, plain loops in a fixed
// summation order so that every user gets the same bits (A·B and Aᵀ·B skip zero entries of A:
// sparse bag-of-words features cost O(nnz)). The reference engine, the reference trainer's
// backward, the SimSiam/BYOL model and the PCA of loaded features use them.

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

/** C (m×n) = A (m×k) · B (k×n). */
export function matMulAB(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  return addMatMul(new Float64Array(m * n), a, b, m, k, n, false);
}

/** C (k×n) = Aᵀ (A is m×k) · B (m×n): sums over the batch rows, as in a gradient Gᵀ·X. */
export function matMulAtB(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  return addMatMul(new Float64Array(k * n), a, b, m, k, n, true);
}

/**
 * C += A·B (B k×n, C m×n) or, with `transposeA`, C += Aᵀ·B (B m×n, C k×n), for A m×k; returns C.
 * One walk over A's non-zeros v = A[r, t] in row order: C row r += v·(B row t), or C row t +=
 * v·(B row r). A may be float32 (features as loaded); the sums are float64.
 */
export function addMatMul(
  c: Float64Array,
  a: Float32Array | Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
): Float64Array {
  for (let r = 0; r < m; r++)
    for (let t = 0; t < k; t++) {
      const v = a[r * k + t];
      if (v === 0) continue;
      const to = (transposeA ? t : r) * n;
      const from = (transposeA ? r : t) * n;
      for (let j = 0; j < n; j++) c[to + j] += v * b[from + j];
    }
  return c;
}
