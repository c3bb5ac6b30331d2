// The two dense float64 products that gradients and linear models need besides A·B: row-major
// matrices, plain loops in a fixed summation order so that every user gets the same bits (Aᵀ·B
// skips zero entries of A: sparse bag-of-words features cost O(nnz)). The SimSiam/BYOL model
// and the reference trainer's backward both use them.

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
