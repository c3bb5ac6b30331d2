// One layer of each model (SPEC §1.1, §1.2), from H_{ℓ−1} (n×inDim) to H_ℓ (n×hidden), written
// once for both CPU engines: the heavy operations come from a `LayerOps` table (float64
// TypeScript in the reference engine, float32 WebAssembly in the fast engine); the O(N·d) steps
// (activation, residual) are shared and keep the matrices' type.

import { residualSkipped } from '../warnings';
import type { Adjacency, EngineConfig, NormConfig } from '../types';
import type { Csr } from '../../data/graph';
import type { LayerWeights } from '../weights';
import {
  activate,
  asF64,
  attention,
  like,
  matmul,
  normalize,
  propagate,
  type AttentionSums,
  type HeadWeights,
  type Mat,
} from './ops';

/** The operations a CPU engine supplies; each may answer now or later (worker threads). */
export interface LayerOps {
  matmul(x: Mat, n: number, k: number, w: Float64Array, m: number): Mat | Promise<Mat>;
  propagate(graph: Csr, x: Mat, n: number, d: number, adjacency: Adjacency): Mat | Promise<Mat>;
  normalize(x: Mat, n: number, d: number, norm: NormConfig, graph?: Csr): Mat | Promise<Mat>;
  /** P·V without the output projection, and the sums over P's unit rows (see ops.attention). */
  attention(
    x: Mat,
    n: number,
    k: number,
    head: HeadWeights,
    m: number,
  ): { pv: Mat; sums: AttentionSums } | Promise<{ pv: Mat; sums: AttentionSums }>;
}

/** The float64 reference's operations. */
export const referenceOps: LayerOps = {
  matmul: (x, n, k, w, m) => matmul(asF64(x), n, k, w, m),
  propagate: (graph, x, n, d, adjacency) => propagate(graph, asF64(x), n, d, adjacency),
  normalize,
  attention: (x, n, k, head, m) => attention(asF64(x), n, k, head, m),
};

export interface LayerOutput {
  h: Mat;
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
function combineResidual<M extends Mat>(h: Mat, z: M, config: EngineConfig, weights: LayerWeights): M {
  const out = like(z, z.length);
  const a = config.alpha;
  // lipschitzNorm is read only here: it costs a power iteration on first read.
  const f = config.residual === 'lipschitz' ? 1 / (1 + a * weights.lipschitzNorm) : 1;
  for (let i = 0; i < z.length; i++) out[i] = (h[i] + a * z[i]) * f;
  return out;
}

/** What a layer starts from: H_{ℓ−1} (n×inDim), its weights and the engine's operations. */
export interface LayerInput {
  ops: LayerOps;
  h: Mat;
  n: number;
  inDim: number;
  /** ℓ, 1-based (for the warnings). */
  layer: number;
  config: EngineConfig;
  weights: LayerWeights;
  /** The data set's graph: Â for a GNN, ContraNorm's `mask` neighbours for either model. */
  graph: Csr | undefined;
}

/** GNN layer: Z = Â H W, then the normalization, the activation, the residual. */
export async function gnnLayer(input: LayerInput): Promise<LayerOutput> {
  const { ops, h, n, inDim, layer, config, weights, graph } = input;
  const d = config.hidden;
  const W = weights.W;
  if (!W) throw new Error('GNN layer without a W matrix');
  if (!graph) throw new Error('GNN layer without a graph');
  // Â(HW) = (ÂH)W: propagate on the narrower side.
  const z =
    d <= inDim
      ? await ops.propagate(graph, await ops.matmul(h, n, inDim, W, d), n, d, config.adjacency)
      : await ops.matmul(await ops.propagate(graph, h, n, inDim, config.adjacency), n, inDim, W, d);
  const zn = activate(await ops.normalize(z, n, d, config.norm, graph), config.activation);
  const warnings: string[] = [];
  let out = zn;
  if (config.residual !== 'none') {
    if (inDim === d) out = combineResidual(h, zn, config, weights);
    else warnings.push(residualSkipped(layer, inDim, d));
  }
  return { h: out, width: d, attention: null, warnings };
}

/**
 * Transformer layer, one head. Attn(X) = act(softmax(X W_Q (X W_K)ᵀ/√d) X W_V W_O); Norm is
 * config.norm in LayerNorm's place. With a residual: pre-LN H + α·Attn(Norm(H)), post-LN
 * Norm(H + α·Attn(H)); without one: Attn(Norm(H)) and Norm(Attn(H)).
 */
export async function transformerLayer(input: LayerInput): Promise<LayerOutput> {
  const { ops, h, n, inDim, layer, config, weights, graph } = input;
  const d = config.hidden;
  const { Wq, Wk, Wv, Wo } = weights;
  if (!Wq || !Wk || !Wv || !Wo) throw new Error('Transformer layer without its four matrices');
  const norm = (x: Mat, width: number): Mat | Promise<Mat> => ops.normalize(x, n, width, config.norm, graph);
  const attn = async (x: Mat): Promise<{ z: Mat; sums: AttentionSums }> => {
    const { pv, sums } = await ops.attention(x, n, inDim, { wq: Wq, wk: Wk, wv: Wv }, d);
    return { z: activate(await ops.matmul(pv, n, d, Wo, d), config.activation), sums };
  };
  const warnings: string[] = [];
  let useResidual = config.residual !== 'none';
  if (useResidual && inDim !== d) {
    warnings.push(residualSkipped(layer, inDim, d));
    useResidual = false;
  }
  const pre = config.normPlacement === 'pre';
  const { z, sums } = await attn(pre ? await norm(h, inDim) : h);
  let out: Mat;
  if (useResidual) {
    const r = combineResidual(h, z, config, weights);
    out = pre ? r : await norm(r, d);
  } else {
    out = pre ? z : await norm(z, d);
  }
  return { h: out, width: d, attention: sums, warnings };
}
