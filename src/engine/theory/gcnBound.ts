// The oversmoothing bound of a GCN (Oono & Suzuki, ICLR 2020, Thm. 1 and Cor. 2; Cai & Wang,
// 2020, for the Dirichlet-energy form): with no normalization and no residual, one layer
// H' = σ(Â H W) with σ the identity or ReLU satisfies d(H') ≤ s_W·λ·d(H), where
//   d(H) = distance of H to U⊗R^d (U: the limit subspace of spectralGap.ts) in the norm in which
//          Â is symmetric: ‖H − Π_U H‖_F for `sym`, ‖D̃^{1/2}(H − Π H)‖_F for `rw` (Π the
//          D̃-weighted projection on rows constant per component),
//   λ    = the largest |eigenvalue| of Â off U,
//   s_W  = ‖W‖₂, the largest singular value of that layer's weights.
// ReLU does not increase d because U has a basis of non-negative vectors (Oono & Suzuki,
// Prop. 2); for `rw`, D̃^{1/2} is a positive diagonal scaling, which commutes with ReLU.
// Hence d(H_ℓ) ≤ d(H_0)·∏_{k≤ℓ} s_{W,k}·λ^ℓ: the product over layers is the bound drawn.

import type { Adjacency, EngineConfig, LayerResult } from '../types';
import type { Csr } from '../../data/graph';
import { layerWeights, spectralNorm } from '../weights';
import { offSubspaceSpectrum, type LimitSubspace } from './spectralGap';

/**
 * d(H) of the module comment, in float64 from H (N×width, row-major), and ‖G‖_F of the
 * coordinates it is measured in (G = H for `sym`, D̃^{1/2}H for `rw`): the scale that rounding
 * errors of H are relative to.
 */
export function distanceToLimit(
  u: LimitSubspace,
  h: ArrayLike<number>,
  width: number,
  adjacency: Adjacency,
): { distance: number; norm: number } {
  const { n, degree, component, scale } = u;
  const comps = scale.length;
  const g = (i: number, t: number): number =>
    adjacency === 'rw' ? Math.sqrt(degree[i]) * h[i * width + t] : h[i * width + t];
  const dots = new Float64Array(comps * width);
  for (let i = 0; i < n; i++) {
    const c = component[i];
    const w = Math.sqrt(degree[i]) * scale[c];
    for (let t = 0; t < width; t++) dots[c * width + t] += w * g(i, t);
  }
  // The residual entry by entry, not ‖G‖² − ‖Π G‖²: near the limit that difference cancels.
  let sum = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const c = component[i];
    const w = Math.sqrt(degree[i]) * scale[c];
    for (let t = 0; t < width; t++) {
      const v = g(i, t);
      sum += (v - w * dots[c * width + t]) ** 2;
      norm += v * v;
    }
  }
  return { distance: Math.sqrt(sum), norm: Math.sqrt(norm) };
}

/** Why the bound does not apply to this configuration (empty when it does). */
export function gcnAssumptionsBroken(config: EngineConfig): string[] {
  const out: string[] = [];
  if (config.model !== 'gnn') out.push('the model is not a GCN');
  if (config.norm.kind !== 'none') out.push('a normalization rescales the rows after each layer');
  if (config.activation === 'tanh') out.push('tanh is neither linear nor ReLU');
  if (config.residual !== 'none') out.push('the residual adds back H, which Â never shrinks');
  return out;
}

export interface GcnTheory {
  lambda: number;
  /** ‖W_ℓ‖₂ for layers 1..L (index 0 unused, NaN). */
  weightNorms: number[];
  /**
   * d(H_ℓ)/d(H_0) for every layer that has features, else null; null too where d(H_ℓ) is below
   * `relativeFloor`·‖G_ℓ‖_F, the rounding of the features it is computed from.
   */
  measured: (number | null)[];
  /** ∏_{k≤ℓ} s_{W,k}·λ^ℓ: the bound on d(H_ℓ)/d(H_0). */
  bound: number[];
  /** d(H_0). */
  d0: number;
}

/**
 * Distances and bound for one run of the GNN. Layers without features (runs that kept only the
 * last layer's) are null. The bound is computed whether or not the assumptions hold; the caller
 * says which (gcnAssumptionsBroken).
 */
export function gcnTheory(
  config: EngineConfig,
  graph: Csr,
  n: number,
  layers: LayerResult[],
  relativeFloor = 0,
): GcnTheory {
  const spec = offSubspaceSpectrum(graph, n);
  const weightNorms: number[] = [NaN];
  const bound: number[] = [1];
  for (let l = 1; l < layers.length; l++) {
    const inDim = layers[l - 1].width;
    const W = layerWeights(config, l, inDim).W;
    const s = W ? spectralNorm(W, inDim, config.hidden) : NaN;
    weightNorms.push(s);
    bound.push(bound[l - 1] * s * spec.lambda);
  }
  const raw = layers.map((l) => {
    if (!l.features) return null;
    const { distance, norm } = distanceToLimit(spec, l.features, l.width, config.adjacency);
    return distance < relativeFloor * norm ? null : distance;
  });
  const d0 = raw[0] ?? NaN;
  return {
    lambda: spec.lambda,
    weightNorms,
    measured: raw.map((v) => (v === null ? null : v / d0)),
    bound,
    d0,
  };
}
