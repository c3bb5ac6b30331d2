// The bench page's script (bench/bench.html, served by the Vite dev server that bench/run.ts
// starts). It exposes `window.bench`, whose functions the runner calls through Playwright one
// workload and one peer at a time, so that progress shows in the terminal as it goes.
import { installBufferProbe, largestBuffer, resetLargestBuffer } from './bufferProbe';
installBufferProbe(); // before any GPUDevice exists

import { createGpuEngine, type GpuEngine } from '../src/engine/gpu/engine';
import { createReferenceEngine } from '../src/engine/reference/engine';
import { createFastEngine, type FastEngine } from '../src/engine/fast/engine';
import { layerWeights } from '../src/engine/weights';
import type { Engine, EngineConfig, LayerMetrics, RunResult } from '../src/engine/types';
import { makeWorkload, withSeed, SEED_A, SEED_B, type Workload } from './workloads';
import { countFlops, totalFlops } from './flops';
import { initTfjs, prepareGraph, runTfjs, tfjsMemory, TFJS_METHOD, type TfjsGraph } from './tfjsPeer';
import { plainMatmul } from './plainMatmul';
import { hostSolve } from './hostSolve';
import { prepareTrain, runTrainPeer } from './trainBench';
import type {
  LayerSummary,
  PageInfo,
  PeerResult,
  PlainMatmulArgs,
  PlainMatmulResult,
  PrepareArgs,
  RunPeerArgs,
  WorkloadInfo,
  WorkloadName,
} from './types';

const workloads = new Map<WorkloadName, Workload>();
let gpuEngine: Promise<GpuEngine> | null = null;
let fastEngine: Promise<FastEngine> | null = null;
let tfjsGraph: { workload: WorkloadName; graph: TfjsGraph | null } | null = null;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function info(): Promise<PageInfo> {
  let adapter: PageInfo['adapter'] = null;
  const a = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (a) {
    const i = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    adapter = {
      architecture: i.architecture,
      vendor: i.vendor,
      description: i.description,
      isFallbackAdapter: typeof i.isFallbackAdapter === 'boolean' ? i.isFallbackAdapter : null,
      maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
      maxBufferSize: a.limits.maxBufferSize,
    };
  }
  return { userAgent: navigator.userAgent, adapter, hardwareConcurrency: navigator.hardwareConcurrency };
}

async function prepare(args: PrepareArgs): Promise<WorkloadInfo> {
  const t0 = performance.now();
  const w = makeWorkload(args.workload, args.coraJson, args.depth);
  workloads.set(w.name, w);
  const ds = w.dataset;
  // Draw every layer's weights for both seeds now, so no peer's timing pays for drawing them.
  for (const seed of [SEED_A, SEED_B]) {
    const c = withSeed(w.config, seed);
    for (let l = 1; l <= c.layers; l++) layerWeights(c, l, l === 1 ? ds.featureDim : c.hidden);
  }
  const nnzA = ds.graph ? ds.graph.colIdx.length : 0;
  const nnzProp = ds.graph ? nnzA + ds.n : 0;
  const flops = countFlops({ config: w.config, n: ds.n, inputDim: ds.featureDim, nnzProp });
  return {
    workload: w.name,
    title: w.title,
    dataNote: w.dataNote,
    n: ds.n,
    inputDim: ds.featureDim,
    hidden: w.config.hidden,
    depth: w.config.layers,
    nnzA,
    nnzProp,
    features: w.features,
    config: w.config,
    flops,
    totalFlops: totalFlops(flops),
    prepareMs: performance.now() - t0,
  };
}

function summarize(layers: { metrics: LayerMetrics; nonFinite: number }[]): LayerSummary {
  return {
    effectiveRank: layers.map((l) => l.metrics.effectiveRank),
    mu: layers.map((l) => l.metrics.mu),
    meanCosine: layers.map((l) => l.metrics.meanCosine),
    dirichlet: layers.map((l) => l.metrics.dirichlet),
    attentionSimilarity: layers.map((l) => l.metrics.attentionSimilarity),
    frobenius: layers.map((l) => l.metrics.frobenius),
    nonFinite: layers.map((l) => l.nonFinite),
  };
}

/** Seeds of the warm-up and timed runs: consecutive runs always differ (SEED_B, SEED_A, SEED_B, …; timed runs start with SEED_A). */
function seedPlan(warmup: number, reps: number): { warm: number[]; timed: number[] } {
  const timed = Array.from({ length: reps }, (_, i) => (i % 2 === 0 ? SEED_A : SEED_B));
  const warm = Array.from({ length: warmup }, (_, i) => ((warmup - i) % 2 === 1 ? SEED_B : SEED_A));
  return { warm, timed };
}

async function runPeer(args: RunPeerArgs): Promise<PeerResult> {
  const w = workloads.get(args.workload);
  if (!w) throw new Error(`workload ${args.workload} was not prepared`);
  const { warm, timed } = seedPlan(args.warmup, args.reps);
  const base: PeerResult = {
    workload: w.name,
    peer: args.peer,
    depth: args.depth,
    timesMs: [],
    warmupMs: [],
    medianMs: NaN,
    seedsUsed: timed,
    computedLayers: [],
    layers: summarize([]),
    firstNonFinite: null,
    warnings: [],
    largestBufferBytes: null,
    largestBufferLabel: null,
    method: '',
    notes: [],
  };
  const config: EngineConfig = { ...w.config, layers: args.depth };
  const work: Workload = { ...w, config };
  try {
    if (args.peer === 'tfjs') return await runTfjsPeer(work, warm, timed, base);
    return await runEnginePeer(work, args.peer, warm, timed, base);
  } catch (err) {
    base.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return base;
  }
}

async function runEnginePeer(
  w: Workload,
  peer: 'gpu' | 'fast' | 'cpu',
  warm: number[],
  timed: number[],
  out: PeerResult,
): Promise<PeerResult> {
  const options = { dataset: w.dataset, features: w.features };
  let engine: Engine | null = null;
  if (peer === 'fast') {
    fastEngine ??= createFastEngine();
    engine = await fastEngine;
    out.method = `fast CPU engine (src/engine/fast): float32 WebAssembly SIMD kernels (${(engine as FastEngine).build} build), softmax products over ${(engine as FastEngine).threads + 1} threads`;
  } else if (peer === 'gpu') {
    gpuEngine ??= createGpuEngine();
    engine = await gpuEngine;
    out.method =
      'GPU engine (src/engine/gpu): WGSL kernels (software or hardware set by adapter), CSR propagation, streaming/tiled softmax; metric sums read back per group of up to 16 layers, pipelined';
  } else {
    out.method =
      'float64 CPU reference engine (src/engine/reference), a fresh engine per run, in the page main thread';
  }
  resetLargestBuffer();
  const once = async (seed: number): Promise<{ ms: number; r: RunResult }> => {
    const config: EngineConfig = withSeed(w.config, seed);
    const e = engine ?? createReferenceEngine();
    const t0 = performance.now();
    const r = await e.run(config, options);
    const ms = performance.now() - t0;
    if (!engine) e.dispose();
    return { ms, r };
  };
  for (const seed of warm) out.warmupMs.push((await once(seed)).ms);
  for (const [i, seed] of timed.entries()) {
    const { ms, r } = await once(seed);
    out.timesMs.push(ms);
    out.computedLayers.push(r.computedLayers);
    if (i === 0) {
      out.layers = summarize(r.layers);
      out.firstNonFinite = r.firstNonFinite;
      out.warnings = r.warnings;
    }
  }
  out.medianMs = median(out.timesMs);
  if (peer === 'gpu') {
    const big = largestBuffer();
    out.largestBufferBytes = big.bytes;
    out.largestBufferLabel = big.label;
    out.hostStats = (engine as GpuEngine).lastStats;
  }
  return out;
}

async function runTfjsPeer(
  w: Workload,
  warm: number[],
  timed: number[],
  out: PeerResult,
): Promise<PeerResult> {
  await initTfjs();
  out.method = TFJS_METHOD;
  resetLargestBuffer();
  if (!tfjsGraph || tfjsGraph.workload !== w.name) {
    tfjsGraph?.graph?.dispose();
    tfjsGraph = { workload: w.name, graph: prepareGraph(w.dataset, w.config.adjacency) };
  }
  const g = tfjsGraph.graph;
  const once = async (seed: number) => {
    const t0 = performance.now();
    const r = await runTfjs(withSeed(w.config, seed), w.dataset, g, w.features);
    return { ms: performance.now() - t0, r };
  };
  for (const seed of warm) out.warmupMs.push((await once(seed)).ms);
  for (const [i, seed] of timed.entries()) {
    const { ms, r } = await once(seed);
    out.timesMs.push(ms);
    out.computedLayers.push(r.layers.length - 1);
    if (i === 0) {
      out.layers = summarize(r.layers);
      const bad = r.layers.findIndex((l) => l.nonFinite > 0);
      out.firstNonFinite = bad < 0 ? null : bad;
    }
  }
  out.medianMs = median(out.timesMs);
  const big = largestBuffer();
  out.largestBufferBytes = big.bytes;
  out.largestBufferLabel = big.label;
  const mem = tfjsMemory();
  out.notes.push(
    `tfjs tensors alive after the runs: ${mem.numTensors} (${mem.numBytes} bytes; the graph's index tensors are kept)`,
  );
  return out;
}

async function matmul(args: PlainMatmulArgs): Promise<PlainMatmulResult> {
  return plainMatmul(args);
}

/** Release the engines and tfjs's graph tensors (between workloads, to keep memory low). */
async function release(): Promise<void> {
  if (gpuEngine) (await gpuEngine).dispose();
  gpuEngine = null;
  if (fastEngine) (await fastEngine).dispose();
  fastEngine = null;
  tfjsGraph?.graph?.dispose();
  tfjsGraph = null;
}

// trainPrepare / trainPeer: the training workload (bench/trainBench.ts).
const api = {
  info,
  prepare,
  runPeer,
  matmul,
  release,
  hostSolve,
  trainPrepare: prepareTrain,
  trainPeer: runTrainPeer,
};
export type BenchApi = typeof api;

declare global {
  interface Window {
    bench: BenchApi;
    benchReady?: boolean;
  }
}

window.bench = api;
window.benchReady = true;
