// The training model of src/training/types.ts in float64: forward with a tape per layer, and the
// backward pass through it.
//
//   H₀ = X;  for ℓ = 1..L:  X_ℓ = dropout(H_{ℓ−1});  Z = Â (X_ℓ W_ℓ);  N = norm(Z);  A = act(N);
//            H_ℓ = A,  or H_{ℓ−1} + α·A (`residual`),  or (H_{ℓ−1} + α·A)/(1 + α‖W_ℓ‖₂) (`lipschitz`)
//   logits = dropout(H_L) W_out
// As in the forward engine, the residual is skipped on a layer whose widths differ (layer 1 when
// the input width is not `hidden`). Â(XW) is evaluated right to left so the first product skips
// the zeros of sparse input features.
//
// Lipschitz-bounded residual: the divisor 1 + α‖W_ℓ‖₂ is treated as a constant with respect to
// W_ℓ (a stop-gradient): the bound rescales the layer, it is not a term to optimize through, and
// ∂‖W‖₂/∂W = u₁v₁ᵀ is ill-defined when σ₁ is repeated. The forward takes the norms as an option
// so finite-difference checks can freeze them exactly as the backward does.
//
// Sparse input: given the features' non-zeros (TrainingData.sparseFeatures), layer 1 runs
// dropout, X·W and ∂W over the non-zeros only (src/training/reference/sparse.ts).

import type { Activation, Adjacency, NormConfig, Residual } from '../../engine/types';
import type { Csr } from '../../data/graph';
import { spectralNorm } from '../../engine/weights';
import type { SparseRows } from '../data';
import { dropoutMask, type TrainingWeights } from '../model';
import { activate, activationBackward } from './activation';
import { contraNormBackward, contraNormForward, type ContraNormTape } from './contranorm';
import { matmul, matmulGradInput, matmulGradWeight } from './dense';
import { applyMask } from './dropout';
import {
  batchNorm,
  batchNormBackward,
  layerNorm,
  layerNormBackward,
  pairNorm,
  pairNormBackward,
} from './norms';
import { propagate, propagateTranspose } from './propagate';
import { dropSparse, sparseGradWeight, sparseMatmul } from './sparse';

/** The architecture options of TrainConfig that the forward and backward need. */
export interface Architecture {
  adjacency: Adjacency;
  norm: NormConfig;
  activation: Activation;
  residual: Residual;
  alpha: number;
}

export interface ForwardOptions {
  /** Explicit dropout masks for sites 0..L (site ℓ−1 = input of layer ℓ, site L = read-out input). */
  masks?: readonly (Float64Array | null)[] | null;
  /** Dropout drawn from the seeded masks of src/training/model.ts (when `masks` is absent). */
  dropout?: { seed: number; epoch: number; p: number } | null;
  /** The non-zeros of the features (same numbers as `features`): layer 1 then works on them only. */
  sparse?: SparseRows | null;
  /** ‖W_ℓ‖₂ for the Lipschitz divisor (index ℓ−1); computed from the weights when absent. */
  lipschitzNorms?: readonly number[];
}

interface LayerTape {
  /** dropout(H_{ℓ−1}): dense, or (layer 1 on sparse features) its non-zeros. */
  x: Float64Array | SparseRows;
  /** Z = Â X W, the normalization's input. */
  z: Float64Array;
  contra: ContraNormTape | null;
  /** act(norm(Z)). */
  a: Float64Array;
  /** H_ℓ = scale·(H_{ℓ−1} + α·A) when residual, else A. */
  residual: boolean;
  scale: number;
}

export interface ForwardResult {
  /** H_0..H_L. */
  hs: Float64Array[];
  logits: Float64Array;
  tapes: LayerTape[];
  /** dropout(H_L), the read-out input. */
  readoutInput: Float64Array;
  /** The dropout mask of each site (null: none); site 0's is drawn only when asked for (sparse input). */
  mask: (site: number) => Float64Array | null;
  lipschitzNorms: number[];
}

export interface Gradients {
  /** ∂loss/∂W_ℓ (index ℓ−1). */
  layers: Float64Array[];
  out: Float64Array;
  /** ∂loss/∂H_ℓ for ℓ = 0..L with `hidden: 'all'`; with 'factored' index 0 is null when `inputFactor` is set. */
  hs: (Float64Array | null)[] | null;
  /**
   * With `hidden: 'factored'` and no residual on layer 1: P = Âᵀ∂Z₁ (n×dims[1]), so that G_0 = (P W_1ᵀ) ∘ mask_0 without
   * forming the n×inDim product (statistics of G_0 follow from PᵀP and W_1ᵀW_1).
   */
  inputFactor: Float64Array | null;
}

/** Which hidden gradients `backward` returns: none (training), all, or all with G_0 factored. */
export type HiddenGrads = 'none' | 'all' | 'factored';

function normForward(
  z: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  graph: Csr,
): { out: Float64Array; tape: ContraNormTape | null } {
  switch (norm.kind) {
    case 'none':
      return { out: z.slice(), tape: null };
    case 'layernorm':
      return { out: layerNorm(z, n, d), tape: null };
    case 'batchnorm':
      return { out: batchNorm(z, n, d), tape: null };
    case 'pairnorm':
      return { out: pairNorm(z, n, d, norm.pairnormScale), tape: null };
    case 'contranorm':
      return contraNormForward(z, n, d, norm, graph);
  }
}

function normBackward(
  tape: LayerTape,
  g: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  graph: Csr,
): Float64Array {
  switch (norm.kind) {
    case 'none':
      return g;
    case 'layernorm':
      return layerNormBackward(tape.z, g, n, d);
    case 'batchnorm':
      return batchNormBackward(tape.z, g, n, d);
    case 'pairnorm':
      return pairNormBackward(tape.z, g, n, d, norm.pairnormScale);
    case 'contranorm':
      if (!tape.contra) throw new Error('ContraNorm backward without its tape');
      return contraNormBackward(tape.contra, g, n, d, norm, graph);
  }
}

export function forward(
  arch: Architecture,
  weights: TrainingWeights,
  graph: Csr,
  features: Float64Array,
  n: number,
  options: ForwardOptions = {},
): ForwardResult {
  const { dims, layers } = weights;
  const L = layers.length;
  const explicit = options.masks ?? null;
  const drop = explicit ? null : (options.dropout ?? null);
  const drawn = new Map<number, Float64Array>();
  const mask = (site: number): Float64Array | null => {
    if (explicit) return explicit[site] ?? null;
    if (!drop || drop.p === 0) return null;
    let m = drawn.get(site);
    if (!m) drawn.set(site, (m = dropoutMask(drop.seed, drop.epoch, site, n * dims[site], drop.p)));
    return m;
  };
  const lipschitzNorms =
    options.lipschitzNorms?.slice() ??
    layers.map((w, l) => (arch.residual === 'lipschitz' ? spectralNorm(w, dims[l], dims[l + 1]) : 0));
  const hs = [features];
  const tapes: LayerTape[] = [];
  for (let l = 1; l <= L; l++) {
    const din = dims[l - 1];
    const d = dims[l];
    const h = hs[l - 1];
    let x: Float64Array | SparseRows;
    let xw: Float64Array;
    if (l === 1 && options.sparse) {
      const m0 = explicit ? (explicit[0] ?? null) : null;
      const xs = dropSparse(options.sparse, m0 ? { mask: m0 } : drop ? { ...drop, site: 0 } : null);
      x = xs;
      xw = sparseMatmul(xs, layers[0], d);
    } else {
      const xd = applyMask(h, mask(l - 1));
      x = xd;
      xw = matmul(xd, n, din, layers[l - 1], d);
    }
    const z = propagate(graph, xw, n, d, arch.adjacency);
    const { out, tape: contra } = normForward(z, n, d, arch.norm, graph);
    const a = activate(out, arch.activation);
    const residual = arch.residual !== 'none' && din === d;
    const scale = arch.residual === 'lipschitz' ? 1 / (1 + arch.alpha * lipschitzNorms[l - 1]) : 1;
    let next = a;
    if (residual) {
      next = new Float64Array(a.length);
      for (let k = 0; k < a.length; k++) next[k] = scale * (h[k] + arch.alpha * a[k]);
    }
    hs.push(next);
    tapes.push({ x, z, contra, a, residual, scale });
  }
  const readoutInput = applyMask(hs[L], mask(L));
  const logits = matmul(readoutInput, n, dims[L], weights.out, weights.classes);
  return { hs, logits, tapes, readoutInput, mask, lipschitzNorms };
}

/**
 * Backward from ∂loss/∂logits through the tape of `fwd`. `hidden` also returns G_ℓ = ∂loss/∂H_ℓ
 * (the gradient view); with 'none' (training) G_0 is not computed at all.
 */
export function backward(
  arch: Architecture,
  weights: TrainingWeights,
  graph: Csr,
  n: number,
  fwd: ForwardResult,
  gLogits: Float64Array,
  hiddenGrads: HiddenGrads | boolean = 'none',
): Gradients {
  // `true`/`false` were this parameter's first form (keepHiddenGrads): all / none.
  const hidden: HiddenGrads = hiddenGrads === true ? 'all' : hiddenGrads === false ? 'none' : hiddenGrads;
  const { dims, layers, classes } = weights;
  const L = layers.length;
  const out = matmulGradWeight(fwd.readoutInput, n, dims[L], gLogits, classes);
  let gh = applyMask(matmulGradInput(gLogits, n, classes, weights.out, dims[L]), fwd.mask(L));
  const gLayers: Float64Array[] = new Array<Float64Array>(L);
  const gHs: (Float64Array | null)[] = new Array<Float64Array | null>(L + 1).fill(null);
  let inputFactor: Float64Array | null = null;
  gHs[L] = gh;
  for (let l = L; l >= 1; l--) {
    const tape = fwd.tapes[l - 1];
    const din = dims[l - 1];
    const d = dims[l];
    let ga = gh;
    if (tape.residual) {
      ga = new Float64Array(gh.length);
      for (let k = 0; k < gh.length; k++) ga[k] = tape.scale * arch.alpha * gh[k];
    }
    const gz = normBackward(tape, activationBackward(tape.a, ga, arch.activation), n, d, arch.norm, graph);
    const gxw = propagateTranspose(graph, gz, n, d, arch.adjacency);
    gLayers[l - 1] =
      tape.x instanceof Float64Array
        ? matmulGradWeight(tape.x, n, din, gxw, d)
        : sparseGradWeight(tape.x, gxw, d);
    // G_0 = (P W_1ᵀ) ∘ mask_0 (+ the skip term when layer 1 is residual, which needs din = d:
    // then the dense G_0 is cheap and is formed instead of the factor).
    if (l === 1 && (hidden === 'none' || (hidden === 'factored' && !tape.residual))) {
      if (hidden === 'factored') inputFactor = gxw;
      break;
    }
    const gx = applyMask(matmulGradInput(gxw, n, d, layers[l - 1], din), fwd.mask(l - 1));
    if (tape.residual) for (let k = 0; k < gx.length; k++) gx[k] += tape.scale * gh[k];
    gh = gx;
    gHs[l - 1] = gh;
  }
  return { layers: gLayers, out, hs: hidden === 'none' ? null : gHs, inputFactor };
}
