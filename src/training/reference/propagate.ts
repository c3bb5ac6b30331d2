// Backward of the sparse propagation Â·H (SPEC §1.1). The forward is the engine's `propagate`.
// ∂/∂H of ⟨G, Â H⟩ is Âᵀ G. For `sym` Â is symmetric; for `rw` Â = D̃⁻¹Ã is not (Âᵀ = Ã D̃⁻¹),
// so the transpose is applied by scattering each CSR row i into the rows of its columns.

import type { Adjacency } from '../../engine/types';
import type { Csr } from '../../data/graph';
import { propagate, selfLoopDegrees } from '../../engine/reference/ops';

export { propagate };

/** Âᵀ g for g n×d, without forming Â. */
export function propagateTranspose(
  graph: Csr,
  g: Float64Array,
  n: number,
  d: number,
  adjacency: Adjacency,
): Float64Array {
  const deg = selfLoopDegrees(graph, n);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    const self = 1 / deg[i];
    for (let t = 0; t < d; t++) out[oi + t] += self * g[oi + t];
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) {
      const j = graph.colIdx[k];
      const a = graph.weights ? graph.weights[k] : 1;
      // Â_ij, sent from row i of g to row j of the result.
      const c = adjacency === 'rw' ? a / deg[i] : a / Math.sqrt(deg[i] * deg[j]);
      const oj = j * d;
      for (let t = 0; t < d; t++) out[oj + t] += c * g[oi + t];
    }
  }
  return out;
}
