// Backward of the sparse propagation Â·H (SPEC §1.1). The forward is the engine's `propagate`.
// ∂/∂H of ⟨G, Â H⟩ is Âᵀ G, applied by the same CSR walk as the forward (applyPropagation).

import type { Adjacency } from '../../engine/types';
import type { Csr } from '../../data/graph';
import { applyPropagation, propagate } from '../../engine/reference/ops';

export { propagate };

/** Âᵀ g for g n×d, without forming Â. */
export function propagateTranspose(
  graph: Csr,
  g: Float64Array,
  n: number,
  d: number,
  adjacency: Adjacency,
): Float64Array {
  return applyPropagation(graph, g, n, d, adjacency, true);
}
