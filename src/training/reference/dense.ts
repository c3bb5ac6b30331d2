// Backward of the dense product Y = X W (X n×k, W k×m): ∂X = ∂Y Wᵀ, ∂W = Xᵀ ∂Y.
// Both skip zero entries of the left factor, so the first layer on bag-of-words features
// (Cora: 1433 columns, ~1.3% non-zero, and more zeros after dropout) costs O(nnz·m).

import { matmul } from '../../engine/reference/ops';
import { matMulABt, matMulAtB } from '../../math/dense';

export { matmul };

/** g (n×m) · wᵀ for w k×m: the gradient with respect to X. */
export function matmulGradInput(
  g: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  k: number,
): Float64Array {
  return matMulABt(g, w, n, m, k);
}

/** xᵀ (k×n) · g (n×m): the gradient with respect to W; zero entries of x are skipped. */
export function matmulGradWeight(
  x: Float64Array,
  n: number,
  k: number,
  g: Float64Array,
  m: number,
): Float64Array {
  return matMulAtB(x, g, n, k, m);
}
