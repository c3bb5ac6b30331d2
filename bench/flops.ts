// Flop counts of the dominant operations of one full run (layers 1..L and the metrics of
// layers 0..L), as the GPU engine performs them. A multiply-add counts 2 flops.
//   dense product (N×K)·(K×M):           2·N·K·M
//   sparse product Â·X (X N×d):          2·nnz(Â)·d
//   streaming softmax softmax(QKᵀ)·V:    4·N²·d   (2·N²·d for the scores, 2·N²·d to accumulate V)
//   Gram HᵀH (metrics, every layer):     2·N·d²
//   attention-map metric (Transformer):  2·N²·d   (the engine recomputes the scores QKᵀ to get
//                                                   the column sums of the row-normalized P)
// Everything O(N·d) (norms, activations, row statistics, Dirichlet energy) and the exponentials
// are left out, so the GFLOP/s figure is a lower bound of the arithmetic actually done.
import type { EngineConfig } from '../src/engine/types';

export interface FlopInput {
  config: EngineConfig;
  n: number;
  inputDim: number;
  /** nnz of Â (A + I). */
  nnzProp: number;
}

export function countFlops({ config, n, inputDim, nnzProp }: FlopInput): Record<string, number> {
  const d = config.hidden;
  const L = config.layers;
  const out: Record<string, number> = {};
  const add = (k: string, v: number): void => {
    out[k] = (out[k] ?? 0) + v;
  };
  const contranorm = config.norm.kind === 'contranorm';
  for (let l = 1; l <= L; l++) {
    const din = l === 1 ? inputDim : d;
    if (config.model === 'gnn') {
      add('matmul H·W', 2 * n * din * d);
      add('sparse Â·X', 2 * nnzProp * d);
      if (contranorm) add('ContraNorm softmax(UUᵀ/τ)·Z', 4 * n * n * d);
    } else {
      const preNormed = config.normPlacement === 'pre';
      add('matmul Q,K,V,W_O', 3 * 2 * n * din * d + 2 * n * d * d);
      add('attention softmax(QKᵀ/√d)·V', 4 * n * n * d);
      add('attention-map metric (QKᵀ again)', 2 * n * n * d);
      if (contranorm) add('ContraNorm softmax(UUᵀ/τ)·Z', 4 * n * n * (preNormed ? din : d));
    }
  }
  for (let l = 0; l <= L; l++) {
    const w = l === 0 ? inputDim : d;
    add('Gram HᵀH', 2 * n * w * w);
  }
  return out;
}

export function totalFlops(f: Record<string, number>): number {
  return Object.values(f).reduce((a, b) => a + b, 0);
}
