// Plain-data types shared by the bench page (bench/bench.ts, in Chromium) and the Node runner
// (bench/run.ts). Everything here crosses the Playwright boundary, so: numbers, strings,
// arrays and plain objects only.

import type { HostStats } from '../src/engine/gpu/recorder';
export type WorkloadName = 'W1' | 'W2' | 'W3';
/** gpu: the WGSL engine; fast: the WebAssembly CPU engine; cpu: the float64 reference; tfjs: TensorFlow.js WebGPU. */
export type PeerName = 'gpu' | 'fast' | 'cpu' | 'tfjs';

export interface AdapterSummary {
  architecture: string;
  vendor: string;
  description: string;
  /** The adapter's isFallbackAdapter flag (true for a software adapter where the browser reports it). */
  isFallbackAdapter: boolean | null;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export interface PageInfo {
  userAgent: string;
  adapter: AdapterSummary | null;
  hardwareConcurrency: number;
}

export interface PrepareArgs {
  workload: WorkloadName;
  /** Cora's Planetoid JSON text, read by the runner (W1); null when the file is absent. */
  coraJson?: string | null;
  /** Override the depth L (for quick trials); null keeps the workload's own. */
  depth?: number | null;
}

/** The workload as it was set up in the page. */
export interface WorkloadInfo {
  workload: WorkloadName;
  title: string;
  /** Where the data came from, in words (e.g. the Cora projection, or the fallback graph). */
  dataNote: string;
  n: number;
  /** Width of layer 0 (input features). */
  inputDim: number;
  hidden: number;
  depth: number;
  /** Undirected edges stored both ways (nnz of A), 0 without a graph. */
  nnzA: number;
  /** nnz of Â = D̃⁻¹(A + I): nnz(A) + N. */
  nnzProp: number;
  features: 'all' | 'last' | 'none';
  /** The configuration as run (weights.seed is replaced per repetition, see seedsUsed). */
  config: unknown;
  /** Flop count of one full run, by operation (see bench/flops.ts). */
  flops: Record<string, number>;
  totalFlops: number;
  /** How long building the data set took in the page (not part of any timing). */
  prepareMs: number;
}

export interface RunPeerArgs {
  workload: WorkloadName;
  peer: PeerName;
  /** Untimed runs first (compiles shaders, warms JIT and caches). */
  warmup: number;
  /** Timed runs; the median is reported. */
  reps: number;
  /** Depth L to run at: the workload's own, or less for a calibration or a reduced (extrapolated) measurement. */
  depth: number;
}

/** Per-layer summary of one run, for cross-checks between peers. */
export interface LayerSummary {
  effectiveRank: number[];
  mu: number[];
  meanCosine: number[];
  dirichlet: (number | null)[];
  attentionSimilarity: (number | null)[];
  frobenius: number[];
  nonFinite: number[];
}

export interface PeerResult {
  workload: WorkloadName;
  peer: PeerName;
  /** GPU engine only: what the host did in the last timed run (src/engine/gpu/recorder.ts HostStats). */
  hostStats?: HostStats | null;
  /** The depth these runs used. */
  depth: number;
  /** Wall time of each timed run (ms), in order. */
  timesMs: number[];
  warmupMs: number[];
  medianMs: number;
  /** The weights seed of each timed run (alternated so no incremental cache can answer). */
  seedsUsed: number[];
  /** Layers the engine reports having computed per timed run (must be L + 1). */
  computedLayers: number[];
  /** Metrics of the run with the reference seed (the first timed one), for cross-checks. */
  layers: LayerSummary;
  firstNonFinite: number | null;
  warnings: string[];
  /** Largest GPUBuffer created during the timed runs (bytes), null for the CPU peer. */
  largestBufferBytes: number | null;
  largestBufferLabel: string | null;
  /** How the peer computes the workload, in words. */
  method: string;
  /** Anything else worth knowing (e.g. tfjs tensors still allocated after the runs). */
  notes: string[];
  error?: string;
}

export interface PlainMatmulArgs {
  m: number;
  k: number;
  n: number;
  /** At most this many timed repetitions… */
  reps: number;
  /** …and none started after this much time was spent (at least one always runs). */
  budgetMs: number;
}

export interface PlainMatmulResult extends PlainMatmulArgs {
  timesMs: number[];
  medianMs: number;
  gflops: number;
  /** Max |C − C_ref| over a few sampled entries, checked against a float64 product. */
  maxSampleError: number;
  kernel: string;
}
