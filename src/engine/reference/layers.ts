// One layer of each model (SPEC §1.1, §1.2) in float64, from H_{ℓ−1} (n×inDim) to H_ℓ (n×hidden).

import { residualSkipped } from '../warnings';
import type { EngineConfig } from '../types';
import type { Csr } from '../../data/graph';
import type { LayerWeights } from '../weights';
import { activate, attention, matmul, normalize, propagate, type AttentionSums } from './ops';

export interface LayerOutput {
  h: Float64Array;
  width: number;
  /** Sums over the attention map P of this layer (Transformer), else null. */
  attention: AttentionSums | null;
  /** Notes for the lecturer about this layer (a skipped residual, …). */
  warnings: string[];
}

/**
 * The residual option: H + α·Z, or the Lipschitz-bounded (H + α·Z)/(1 + α·lipschitzNorm)
 * (‖Â‖₂ = 1 for `rw` and `sym`). Callers skip it when the widths differ.
 */
function combineResidual(
  h: Float64Array,
  z: Float64Array,
  config: EngineConfig,
  lipschitzNorm: number,
): Float64Array {
  const out = new Float64Array(z.length);
  const a = config.alpha;
  const f = config.residual === 'lipschitz' ? 1 / (1 + a * lipschitzNorm) : 1;
  for (let i = 0; i < z.length; i++) out[i] = (h[i] + a * z[i]) * f;
  return out;
}

/** GNN layer: Z = Â H W, then the normalization, the activation, the residual. */
export function gnnLayer(
  h: Float64Array,
  n: number,
  inDim: number,
  layer: number,
  config: EngineConfig,
  weights: LayerWeights,
  graph: Csr,
): LayerOutput {
  const d = config.hidden;
  const W = weights.W;
  if (!W) throw new Error('GNN layer without a W matrix');
  // Â(HW) = (ÂH)W: propagate on the narrower side.
  const z =
    d <= inDim
      ? propagate(graph, matmul(h, n, inDim, W, d), n, d, config.adjacency)
      : matmul(propagate(graph, h, n, inDim, config.adjacency), n, inDim, W, d);
  const zn = activate(normalize(z, n, d, config.norm, graph), config.activation);
  const warnings: string[] = [];
  let out = zn;
  if (config.residual !== 'none') {
    if (inDim === d) out = combineResidual(h, zn, config, weights.lipschitzNorm);
    else warnings.push(residualSkipped(layer, inDim, d));
  }
  return { h: out, width: d, attention: null, warnings };
}

/**
 * Transformer layer, one head. Attn(X) = act(softmax(X W_Q (X W_K)ᵀ/√d) X W_V W_O); Norm is
 * config.norm in LayerNorm's place. With a residual: pre-LN H + α·Attn(Norm(H)), post-LN
 * Norm(H + α·Attn(H)); without one: Attn(Norm(H)) and Norm(Attn(H)).
 */
export function transformerLayer(
  h: Float64Array,
  n: number,
  inDim: number,
  layer: number,
  config: EngineConfig,
  weights: LayerWeights,
  graph: Csr | undefined,
): LayerOutput {
  const d = config.hidden;
  const { Wq, Wk, Wv, Wo } = weights;
  if (!Wq || !Wk || !Wv || !Wo) throw new Error('Transformer layer without its four matrices');
  const norm = (x: Float64Array, width: number): Float64Array => normalize(x, n, width, config.norm, graph);
  const attn = (x: Float64Array): { z: Float64Array; sums: AttentionSums } => {
    const { pv, sums } = attention(x, n, inDim, Wq, Wk, Wv, d);
    return { z: activate(matmul(pv, n, d, Wo, d), config.activation), sums };
  };
  const warnings: string[] = [];
  let useResidual = config.residual !== 'none';
  if (useResidual && inDim !== d) {
    warnings.push(residualSkipped(layer, inDim, d));
    useResidual = false;
  }
  const pre = config.normPlacement === 'pre';
  const { z, sums } = attn(pre ? norm(h, inDim) : h);
  let out: Float64Array;
  if (useResidual) {
    const r = combineResidual(h, z, config, weights.lipschitzNorm);
    out = pre ? r : norm(r, d);
  } else {
    out = pre ? z : norm(z, d);
  }
  return { h: out, width: d, attention: sums, warnings };
}
