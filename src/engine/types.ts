// The one engine API. The UI, the tests and the benchmark all speak these types;
// the GPU engine (src/engine/gpu) and the float64 reference (src/engine/reference)
// both implement `Engine`. Everything in `EngineConfig` is plain JSON so the URL
// can hold it (SPEC §1 names the options; the names here are SPEC's names).
import type { Dataset, DatasetSpec } from '../data/types';
import type { ContraNormVariant } from '../math/contranorm';
import type { ProjectionMode } from '../math/projection';

export type { ProjectionMode } from '../math/projection';

// The engine's configuration and runs name data sets; their types live with the data, below the engine.
export type { Dataset, DatasetSpec, DatasetSplit } from '../data/types';

export type Model = 'gnn' | 'transformer';
export type Adjacency = 'rw' | 'sym';
export type Activation = 'none' | 'relu' | 'tanh';
export type NormKind = 'none' | 'layernorm' | 'batchnorm' | 'pairnorm' | 'contranorm';
export type { ContraNormVariant } from '../math/contranorm';
export type Residual = 'none' | 'residual' | 'lipschitz';
export type WeightInit = 'gaussian' | 'orthogonal' | 'identity';

export interface NormConfig {
  kind: NormKind;
  /** ContraNorm strength s (≥ 0). */
  s: number;
  /** ContraNorm temperature τ (> 0). */
  tau: number;
  variant: ContraNormVariant;
  /** PairNorm scale s_pn. */
  pairnormScale: number;
}

/**
 * The layer stack of SPEC §1 on a data set: what the forward engines run (EngineConfig) and the
 * trainer trains (training/types.ts TrainConfig), named alike in both.
 */
export interface StackConfig {
  dataset: DatasetSpec;
  /** Number of layers L; results hold layers 0..L (layer 0 is the input). */
  layers: number;
  /** Hidden width d. Layer 1 maps the input dimension to d; later layers are d → d. */
  hidden: number;
  /** GNN only: propagation matrix Â. */
  adjacency: Adjacency;
  norm: NormConfig;
  activation: Activation;
  /** `residual`: H' = H + α·Z. `lipschitz`: H' = (H + α·Z)/(1 + α‖W‖₂‖Â‖₂). Skipped on a layer whose input and output widths differ. */
  residual: Residual;
  alpha: number;
}

export interface EngineConfig extends StackConfig {
  model: Model;
  /** Transformer only: where the normalization sits relative to the attention sublayer. */
  normPlacement: 'pre' | 'post';
  weights: { init: WeightInit; gain: number; tied: boolean; seed: number };
  /** Spectrum of H (uncentered, as in the ContraNorm code) or of the column-centered H. */
  centeredSpectrum: boolean;
}

export interface LayerMetrics {
  /** σ₁ ≥ … ≥ σ_min(N,d) of H (or of the centered H), in float64 from the Gram matrix. */
  singularValues: Float64Array;
  effectiveRank: number;
  /** Mean cosine similarity over distinct pairs; NaN when N = 1. */
  meanCosine: number;
  /** Consensus distance ‖H − 1γᵀ‖_F / ‖H‖_F. */
  mu: number;
  /** (1/N) Σ_i Σ_{j∈N(i)} ‖H_i − H_j‖²; null without a graph. */
  dirichlet: number | null;
  /** Mean cosine between distinct rows of the attention map P of the layer that produced H; null for layer 0 and GNNs. */
  attentionSimilarity: number | null;
  /** ‖H‖_F. */
  frobenius: number;
}

export interface LayerResult {
  index: number;
  /** N×d row-major features of this layer (present when requested, see RunOptions.features). */
  features?: Float32Array | Float64Array;
  width: number;
  metrics: LayerMetrics;
  /** Count of NaN/±Inf entries in H_ℓ (0 when finite). */
  nonFinite: number;
  /**
   * The layer's 2-D picture when RunOptions.projection asked for it: N×2 (x, y interleaved),
   * src/math/projection.ts's definition; null where the layer is not data (non-finite).
   */
  projection?: Float32Array | null;
}

export interface RunResult {
  config: EngineConfig;
  engine: 'gpu' | 'cpu';
  n: number;
  layers: LayerResult[];
  /** First layer with a non-finite entry, or null. Layers from there on are not to be trusted, nor plotted as data. */
  firstNonFinite: number | null;
  /** Human-readable notes: skipped residuals, divergence, limits hit. */
  warnings: string[];
  /** Layers actually computed by this call (the rest came from the incremental cache). */
  computedLayers: number;
  timeMs: number;
  /**
   * Present only on a partial result handed to RunOptions.onProgress: layers 0..done of a run
   * that will end at layer `total` (its config.layers is `done`).
   */
  progress?: { done: number; total: number };
  /** The mode of the layers' pictures (LayerResult.projection), when the run asked for them. */
  projection?: ProjectionMode;
  /** Present when the layers were recorded from a real model and loaded, not computed here. */
  recorded?: RecordedInfo;
}

/** What a page says about a recorded result: which model, from which files, of what size. */
export interface RecordedInfo {
  /** The stack's name: its key in the .npz, or the file's name. */
  model: string;
  files: string[];
  n: number;
  /** Width of the last layer (layers may differ; `widths` has them all). */
  d: number;
  widths: number[];
  layers: number;
}

export interface RunOptions {
  /** Which layers' features to return: all (theory plots), only the last, or none (the page's picture, benchmarks). */
  features?: 'all' | 'last' | 'none';
  /**
   * Also return every layer's 2-D picture (LayerResult.projection) in this mode: what the page
   * draws, N×2 numbers a layer instead of N×d. Independent of `features`.
   */
  projection?: ProjectionMode;
  /** Aborting rejects the run with an AbortError-named Error. */
  signal?: AbortSignal;
  /** A data set already resolved by the caller (otherwise built from config.dataset). */
  dataset?: Dataset;
  /**
   * Called now and then during a long run with the layers computed so far (features as asked),
   * so that a page can draw the first picture as it grows. Engines may never call it.
   */
  onProgress?: (partial: RunResult) => void;
}

export interface Engine {
  readonly kind: 'gpu' | 'cpu';
  /**
   * Compute layers 0..config.layers. A later call supersedes an earlier one still running:
   * the earlier rejects with an Error named 'AbortError' (latest wins).
   * With everything but `layers` unchanged, only layers beyond the cached ones are computed.
   */
  run(config: EngineConfig, options?: RunOptions): Promise<RunResult>;
  dispose(): void;
}

export class SupersededError extends Error {
  constructor(message = 'superseded by a newer request') {
    super(message);
    this.name = 'AbortError';
  }
}
