// The first layer on sparse input features (bag of words: Cora has 1.3% non-zeros): dropout,
// X·W and ∂W = Xᵀ·G over the non-zeros only, O(nnz·m) instead of O(n·inDim·m).

import type { SparseRows } from '../data';
import { dropoutKey, dropoutUniform } from '../model';

/** Dropout on the non-zeros: values × mask[index] (an explicit full mask) or drawn per entry. */
export function dropSparse(
  x: SparseRows,
  drop: { mask: Float64Array } | { seed: number; epoch: number; site: number; p: number } | null,
): SparseRows {
  if (!drop) return x;
  const val = new Float64Array(x.val.length);
  const { rows, cols, rowPtr, col } = x;
  if ('mask' in drop) {
    for (let i = 0; i < rows; i++)
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) val[k] = x.val[k] * drop.mask[i * cols + col[k]];
  } else if (drop.p > 0) {
    const key = dropoutKey(drop.seed, drop.epoch, drop.site);
    const keep = 1 / (1 - drop.p);
    for (let i = 0; i < rows; i++)
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++)
        val[k] = dropoutUniform(key, i * cols + col[k]) >= drop.p ? x.val[k] * keep : 0;
  } else val.set(x.val);
  return { rows, cols, rowPtr, col, val };
}

/** x (sparse n×k) · w (k×m). */
export function sparseMatmul(x: SparseRows, w: Float64Array, m: number): Float64Array {
  return addProducts(x, w, m, new Float64Array(x.rows * m), false);
}

/** xᵀ (k×n) · g (n×m) for sparse x: the gradient with respect to W. */
export function sparseGradWeight(x: SparseRows, g: Float64Array, m: number): Float64Array {
  return addProducts(x, g, m, new Float64Array(x.cols * m), true);
}

/**
 * For every non-zero a = x[i, c], in the order of x's rows: out row i += a·(src row c), which sums
 * x·src, or with `transposed` out row c += a·(src row i), which sums xᵀ·src. Returns out.
 */
function addProducts(
  x: SparseRows,
  src: Float64Array,
  m: number,
  out: Float64Array,
  transposed: boolean,
): Float64Array {
  for (let i = 0; i < x.rows; i++)
    for (let k = x.rowPtr[i]; k < x.rowPtr[i + 1]; k++) {
      const a = x.val[k];
      if (a === 0) continue;
      const to = (transposed ? x.col[k] : i) * m;
      const from = (transposed ? i : x.col[k]) * m;
      for (let j = 0; j < m; j++) out[to + j] += a * src[from + j];
    }
  return out;
}
