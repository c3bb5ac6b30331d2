// Backward of the dense product Y = X W (X n×k, W k×m): ∂X = ∂Y Wᵀ, ∂W = Xᵀ ∂Y.
// Both skip zero entries of the left factor, so the first layer on bag-of-words features
// (Cora: 1433 columns, ~1.3% non-zero, and more zeros after dropout) costs O(nnz·m).

import { matmul } from '../../engine/reference/ops';

export { matmul };

/** g (n×m) · wᵀ for w k×m: the gradient with respect to X. */
export function matmulGradInput(
  g: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  k: number,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const gi = i * m;
    const oi = i * k;
    for (let t = 0; t < k; t++) {
      const wt = t * m;
      let s = 0;
      for (let j = 0; j < m; j++) s += g[gi + j] * w[wt + j];
      out[oi + t] = s;
    }
  }
  return out;
}

/** xᵀ (k×n) · g (n×m): the gradient with respect to W; zero entries of x are skipped. */
export function matmulGradWeight(
  x: Float64Array,
  n: number,
  k: number,
  g: Float64Array,
  m: number,
): Float64Array {
  const out = new Float64Array(k * m);
  for (let i = 0; i < n; i++) {
    const xi = i * k;
    const gi = i * m;
    for (let t = 0; t < k; t++) {
      const a = x[xi + t];
      if (a === 0) continue;
      const ot = t * m;
      for (let j = 0; j < m; j++) out[ot + j] += a * g[gi + j];
    }
  }
  return out;
}
