// Engine cases: run a configuration through the GPU engine (and, for comparisons, through the
// float64 reference engine in the same page) and return summaries small enough to cross the
// Playwright boundary.
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import { buildDataset } from '../../../src/data/datasets';
import type { Engine, EngineConfig, RunResult } from '../../../src/engine/types';
import { createFastEngine, type FastEngine } from '../../../src/engine/fast/engine';
import { makeGraph, type GraphRecipe } from './kernels';
import { metricLayout } from '../../../src/engine/gpu/layerMetrics';
import { covarianceLayout } from '../../../src/engine/gpu/projection';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

export interface MetricRow {
  index: number;
  nonFinite: number;
  effectiveRank: number;
  meanCosine: number;
  mu: number;
  dirichlet: number | null;
  attentionSimilarity: number | null;
  frobenius: number;
  sv: number[];
}

function rows(r: RunResult): MetricRow[] {
  return r.layers.map((l) => ({
    index: l.index,
    nonFinite: l.nonFinite,
    effectiveRank: l.metrics.effectiveRank,
    meanCosine: l.metrics.meanCosine,
    mu: l.metrics.mu,
    dirichlet: l.metrics.dirichlet,
    attentionSimilarity: l.metrics.attentionSimilarity,
    frobenius: l.metrics.frobenius,
    sv: Array.from(l.metrics.singularValues),
  }));
}

export async function gpuRun(args: {
  config: EngineConfig;
}): Promise<{ layers: MetricRow[]; warnings: string[]; timeMs: number; firstNonFinite: number | null }> {
  const e = await gpu();
  const ds = buildDataset(args.config.dataset);
  const r = await e.run(args.config, { dataset: ds, features: 'none' });
  return { layers: rows(r), warnings: r.warnings, timeMs: r.timeMs, firstNonFinite: r.firstNonFinite };
}

/** Largest |gpu − ref| over a layer's features, over the largest |ref|. */
function featureError(g: ArrayLike<number> | undefined, r: ArrayLike<number> | undefined): number {
  if (!g || !r) return NaN;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < r.length; i++) {
    err = Math.max(err, Math.abs(g[i]! - r[i]!));
    scale = Math.max(scale, Math.abs(r[i]!));
  }
  return scale > 0 ? err / scale : err;
}

/** A float32 engine (`f32`: the GPU engine or the fast CPU engine) beside the float64 reference. */
export interface EngineComparison {
  f32: MetricRow[];
  ref: MetricRow[];
  featureRelErr: number[];
  f32Warnings: string[];
  refWarnings: string[];
  f32FirstNonFinite: number | null;
  refFirstNonFinite: number | null;
  f32Ms: number;
  refMs: number;
}

/** The float32 engines the shared engine cases run on. */
/**
 * gpu: the GPU engine as this adapter gets it; gpu-hw: the GPU engine with the kernels of hardware
 * GPUs (tiled softmax, matmul and Gram) on a device created at WebGPU's default limits, the least
 * any adapter offers; fast: the WebAssembly CPU engine.
 */
export type Float32EngineName = 'gpu' | 'gpu-hw' | 'fast';

let hardwareEngine: Promise<GpuEngine> | null = null;
function gpuHardware(): Promise<GpuEngine> {
  hardwareEngine ??= createGpuEngine({ defaultLimits: true, kernelSet: 'hardware' });
  return hardwareEngine;
}

let fastEngine: Promise<FastEngine> | null = null;
/**
 * The fast CPU engine of this page, with its worker threads; it splits every product over them,
 * however small (the engine on its own splits only products worth it), so that the test cases
 * take the threaded paths.
 */
export function fast(): Promise<FastEngine> {
  fastEngine ??= createFastEngine({ minMaddsPerPart: 1 });
  return fastEngine;
}

export const engineNamed = (name: Float32EngineName = 'gpu'): Promise<Engine> =>
  name === 'gpu' ? gpu() : name === 'gpu-hw' ? gpuHardware() : fast();

/** The same configuration through a float32 engine and the reference in this page. */
export async function compareEngines(args: {
  config: EngineConfig;
  graph?: GraphRecipe;
  engine?: Float32EngineName;
}): Promise<EngineComparison> {
  const { createReferenceEngine } = await import('../../../src/engine/reference/engine');
  const e = await engineNamed(args.engine);
  let ds = buildDataset(args.config.dataset);
  if (args.graph)
    ds = { ...ds, id: `${ds.id}+${JSON.stringify(args.graph)}`, graph: makeGraph(ds.n, args.graph) };
  const g = await e.run(args.config, { dataset: ds, features: 'all' });
  const r = await createReferenceEngine().run(args.config, { dataset: ds, features: 'all' });
  return {
    f32: rows(g),
    ref: rows(r),
    featureRelErr: g.layers.map((l, i) => featureError(l.features, r.layers[i]?.features)),
    f32Warnings: g.warnings,
    refWarnings: r.warnings,
    f32FirstNonFinite: g.firstNonFinite,
    refFirstNonFinite: r.firstNonFinite,
    f32Ms: g.timeMs,
    refMs: r.timeMs,
  };
}

/** Incremental depth and latest-wins on a float32 engine (the GPU engine unless named). */
export async function gpuIncremental(args: { config: EngineConfig; engine?: Float32EngineName }) {
  const e = await engineNamed(args.engine);
  const ds = buildDataset(args.config.dataset);
  const shallow = { ...args.config, layers: Math.floor(args.config.layers / 2) };
  const a = await e.run(shallow, { dataset: ds, features: 'none' });
  const b = await e.run(args.config, { dataset: ds, features: 'none' });
  const c = await e.run(shallow, { dataset: ds, features: 'none' });
  // A fresh run of the full depth (other seed then back, to defeat the cache).
  await e.run(
    { ...args.config, weights: { ...args.config.weights, seed: args.config.weights.seed + 1 }, layers: 1 },
    { dataset: ds, features: 'none' },
  );
  const fresh = await e.run(args.config, { dataset: ds, features: 'none' });
  // Latest wins: the first of two overlapping runs rejects with an AbortError.
  const other = { ...args.config, weights: { ...args.config.weights, seed: args.config.weights.seed + 2 } };
  const p1 = e.run(other, { dataset: ds, features: 'none' });
  const p2 = e.run(args.config, { dataset: ds, features: 'none' });
  const [s1, s2] = await Promise.allSettled([p1, p2]);
  return {
    computed: [a.computedLayers, b.computedLayers, c.computedLayers, fresh.computedLayers],
    extendedRanks: b.layers.map((l) => l.metrics.effectiveRank),
    freshRanks: fresh.layers.map((l) => l.metrics.effectiveRank),
    firstRejected: s1.status === 'rejected' ? (s1.reason as Error).name : 'fulfilled',
    secondStatus: s2.status,
    secondDepth: s2.status === 'fulfilled' ? s2.value.layers.length - 1 : -1,
  };
}

/** Input with a NaN in it, and a ContraNorm setting that overflows: both reported, neither hangs. */
export async function gpuNonFinite(args: {
  config: EngineConfig;
  poisonRow: number;
  engine?: Float32EngineName;
}) {
  const e = await engineNamed(args.engine);
  const clean = buildDataset(args.config.dataset);
  const features = clean.features.slice();
  if (args.poisonRow >= 0) features[args.poisonRow * clean.featureDim] = NaN;
  const ds = { ...clean, id: `${clean.id}+nan${args.poisonRow}`, features };
  const r = await e.run(args.config, { dataset: ds, features: 'none' });
  return {
    firstNonFinite: r.firstNonFinite,
    warnings: r.warnings,
    nonFinite: r.layers.map((l) => l.nonFinite),
    ranks: r.layers.map((l) => l.metrics.effectiveRank),
  };
}

/** Lose the device on purpose: the engine reports it, and a new engine works again. */
export async function gpuDeviceLoss(args: { config: EngineConfig }) {
  const e = await createGpuEngine();
  const before = await e.run(args.config, { features: 'none' });
  e.context.device.destroy();
  await e.context.device.lost;
  let message = '';
  try {
    await e.run({ ...args.config, layers: args.config.layers + 1 }, { features: 'none' });
  } catch (err) {
    message = (err as Error).message;
  }
  const again = await createGpuEngine();
  const after = await again.run(args.config, { features: 'none' });
  again.dispose();
  return {
    message,
    lostNote: e.context.lost,
    sameRank: before.layers.at(-1)!.metrics.effectiveRank === after.layers.at(-1)!.metrics.effectiveRank,
  };
}

/** A data set whose N×d matrix exceeds the adapter's storage binding limit is refused with the limit named. */
export async function gpuTooLarge() {
  const e = await gpu();
  const limit = e.context.limits.maxStorageBufferBindingSize;
  const d = 1024;
  const n = Math.floor(limit / (4 * d)) + 1;
  // A fake data set: the engine must refuse before touching the (absent) feature values.
  const ds = { id: `too-large-${n}`, name: 'too large', n, featureDim: d, features: new Float32Array(0) };
  const config = { ...args0(), model: 'transformer' as const, hidden: 8, layers: 1 };
  try {
    await e.run(config, { dataset: ds, features: 'none' });
    return { refused: false, message: '' };
  } catch (err) {
    return { refused: true, message: (err as Error).message };
  }
}

function args0(): EngineConfig {
  return {
    dataset: { kind: 'tokens', n: 8, featureDim: 4, clusters: 2, separation: 1, seed: 1 },
    model: 'transformer',
    layers: 1,
    hidden: 4,
    adjacency: 'rw',
    norm: { kind: 'none', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 },
    activation: 'none',
    residual: 'none',
    alpha: 1,
    normPlacement: 'post',
    weights: { init: 'gaussian', gain: 1, tied: false, seed: 1 },
    centeredSpectrum: false,
  };
}

/** The worker-hosted engine (what the page uses) against the engine run in this thread. */
export async function workerEngineCase(args: { config: EngineConfig; choice: 'gpu' | 'cpu' | 'auto' }) {
  const { createWorkerEngine } = await import('../../../src/engine/workerEngine');
  const w = await createWorkerEngine({ choice: args.choice });
  try {
    const viaWorker = await w.run(args.config, { features: 'all' });
    const p1 = w.run({ ...args.config, layers: args.config.layers + 5 }, { features: 'none' });
    const p2 = w.run({ ...args.config, layers: args.config.layers + 6 }, { features: 'none' });
    const [s1, s2] = await Promise.allSettled([p1, p2]);
    let direct: RunResult | null = null;
    if (w.kind === 'gpu') direct = await (await gpu()).run(args.config, { features: 'none' });
    return {
      kind: w.kind,
      name: w.name,
      reason: w.reason,
      calibration: w.calibration,
      adapter: w.adapter,
      fallbackReason: w.fallbackReason,
      ranks: viaWorker.layers.map((l) => l.metrics.effectiveRank),
      directRanks: direct?.layers.map((l) => l.metrics.effectiveRank) ?? null,
      featuresLength: viaWorker.layers.at(-1)!.features?.length ?? 0,
      n: viaWorker.n,
      supersededName: s1.status === 'rejected' ? (s1.reason as Error).name : 'fulfilled',
      latestDepth: s2.status === 'fulfilled' ? s2.value.layers.length - 1 : -1,
    };
  } finally {
    w.dispose();
  }
}

const doublingEngines = new Map<'gpu' | 'gpu-hw', Promise<GpuEngine>>();
/** The GPU engine whose groups of layers grow 2, 4, 8, 16 however long they take. */
function doublingEngine(name: 'gpu' | 'gpu-hw'): Promise<GpuEngine> {
  let e = doublingEngines.get(name);
  if (!e) {
    e = createGpuEngine({
      groupGrowth: 'doubling',
      ...(name === 'gpu-hw' ? { defaultLimits: true, kernelSet: 'hardware' as const } : {}),
    });
    doublingEngines.set(name, e);
  }
  return e;
}

/**
 * HostStats of two identical runs (other weights between them, so the second recomputes), with
 * features 'none' and, when asked, the pictures the page draws; `sumBytes`: the bytes of the metric
 * (and covariance) chunk sums of all layers, what the readback holds besides the pictures.
 * `doubling`: on an engine whose groups grow whatever their time (the host loop's structure,
 * independent of this machine's speed).
 */
export async function gpuHostStats(args: {
  config: EngineConfig;
  engine?: 'gpu' | 'gpu-hw';
  projection?: 'pca-aligned';
  doubling?: boolean;
}) {
  const e = args.doubling
    ? await doublingEngine(args.engine ?? 'gpu')
    : ((await engineNamed(args.engine)) as GpuEngine);
  const ds = buildDataset(args.config.dataset);
  const other = { ...args.config, weights: { ...args.config.weights, seed: args.config.weights.seed + 1 } };
  const opts = { dataset: ds, features: 'none' as const, projection: args.projection };
  const r = await e.run(args.config, opts);
  const first = e.lastStats;
  await e.run(other, opts);
  await e.run(args.config, opts);
  const attention = args.config.model === 'transformer';
  let sumFloats = 0;
  r.layers.forEach((l, i) => {
    sumFloats += metricLayout(ds.n, l.width, attention && i > 0, 0).size;
    if (args.projection && i > 0) sumFloats += covarianceLayout(ds.n, l.width, 0).size;
  });
  return {
    first,
    second: e.lastStats,
    sumBytes: sumFloats * 4,
    pictures: r.layers.filter((l) => l.projection).length,
  };
}
