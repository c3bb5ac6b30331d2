// The GPU engine: runs EngineConfig through the WGSL kernels of shaders/ and returns the same
// RunResult as the float64 reference engine (../reference/engine.ts).
//
// Work is submitted in groups of layers; after each group the chunk sums of the metrics (and,
// when asked, the features) are read back and finished in float64. Between groups the run
// checks whether a newer run() has superseded it (latest wins) and whether the device is lost.
import { prefixKey, validateConfig } from '../config';
import { buildDataset, datasetId } from '../../data/datasets';
import { finishMetrics } from '../metrics';
import { layerWeights, type LayerWeights } from '../weights';
import {
  SupersededError,
  type Dataset,
  type Engine,
  type EngineConfig,
  type LayerResult,
  type RunOptions,
  type RunResult,
} from '../types';
import { acquireGpu, type GpuContext } from './device';
import { buildPipelines, type KernelName } from './kernels';
import { LayerEncoder, type LayerBuffers, type WeightBindings } from './layers';
import {
  encodeLayerMetrics,
  gramChunkFloats,
  layerSumsFromChunks,
  metricLayout,
  type MetricLayout,
} from './layerMetrics';
import { propagationCsr } from './graphBuffers';
import { datasetWarnings, nonFiniteWarning, residualSkipped } from '../warnings';
import { Recorder } from './recorder';
import { COLUMN_CHUNK, METRIC_CHUNK, STREAM_ROWS } from './kernels';

const POOL_SIZE = 9;
/**
 * Layers per submit, adapted to the adapter's speed: a group starts at one layer and doubles
 * while a group takes under GROUP_FAST_MS, halving when one takes over GROUP_SLOW_MS. Between
 * groups a superseded run stops, so on a slow adapter a dragged slider never waits behind many
 * layers of stale work, and on a fast one the per-group readback stays cheap.
 */
const MAX_GROUP_LAYERS = 16;
const GROUP_FAST_MS = 50;
const GROUP_SLOW_MS = 250;
/** Keep a group's feature readback under this many bytes. */
const GROUP_FEATURE_BYTES = 64 * 1024 * 1024;

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

interface Workspace {
  datasetId: string;
  adjacency: string;
  width: number;
  buffers: LayerBuffers;
  /** N×4 per-row metric quantities (metric_rows.wgsl). */
  metricRows: GPUBuffer;
  owned: GPUBuffer[];
}

interface Cache {
  key: string;
  datasetId: string;
  layers: LayerResult[];
  featuresKept: 'all' | 'last' | 'none';
  /** The last computed layer's features, kept on the GPU to extend the stack. */
  last: GPUBuffer;
  lastWidth: number;
  firstNonFinite: number | null;
  warnings: string[];
}

export interface GpuEngine extends Engine {
  readonly kind: 'gpu';
  readonly context: GpuContext;
  /** The compiled kernels, for the kernel-level tests and the benchmark. */
  readonly pipelines: Record<KernelName, GPUComputePipeline>;
}

export async function createGpuEngine(
  options: { onDeviceLost?: (message: string) => void } = {},
): Promise<GpuEngine> {
  const ctx = await acquireGpu(options.onDeviceLost);
  ctx.device.pushErrorScope('validation');
  let pipelines: Record<KernelName, GPUComputePipeline>;
  try {
    pipelines = await buildPipelines(ctx.device);
  } finally {
    const error = await ctx.device.popErrorScope();
    // A failed pipeline build is reported as the WGSL error, which says more than the exception it replaces.
    // eslint-disable-next-line no-unsafe-finally
    if (error) throw new Error(`WGSL pipeline creation failed: ${error.message}`);
  }
  return new GpuEngineImpl(ctx, pipelines);
}

class GpuEngineImpl implements GpuEngine {
  readonly kind = 'gpu' as const;
  private latest = 0;
  /** The last generated data set, so that moving a slider does not regenerate it. */
  private generated: Dataset | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private workspace: Workspace | null = null;
  private cache: Cache | null = null;

  constructor(
    readonly context: GpuContext,
    readonly pipelines: Record<KernelName, GPUComputePipeline>,
  ) {}

  run(config: EngineConfig, options: RunOptions = {}): Promise<RunResult> {
    const token = ++this.latest;
    // Runs share GPU buffers, so they execute one at a time; a superseded run stops at its next check.
    const result = this.chain.then(() => this.execute(token, config, options));
    this.chain = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    this.latest++;
    this.dropCache();
    this.dropWorkspace();
    this.context.device.destroy();
  }

  private check(token: number, signal?: AbortSignal): void {
    if (this.context.lost) throw new Error(this.context.lost);
    if (token !== this.latest) throw new SupersededError();
    if (signal?.aborted) throw new SupersededError('aborted');
  }

  private async execute(token: number, config: EngineConfig, options: RunOptions): Promise<RunResult> {
    const started = performance.now();
    this.check(token, options.signal);
    const errors = validateConfig(config);
    if (errors.length) throw new Error(errors.join('; '));
    const dataset = options.dataset ?? this.resolveDataset(config);
    if (config.model === 'gnn' && !dataset.graph)
      throw new Error(`the GNN model needs a graph; data set "${dataset.name}" has none`);
    this.checkLimits(dataset, config);
    if (dataset.features.length !== dataset.n * dataset.featureDim) {
      throw new Error(
        `data set "${dataset.name}": ${dataset.features.length} feature values for N·d = ${dataset.n * dataset.featureDim}`,
      );
    }
    const featuresMode = options.features ?? 'all';
    const key = prefixKey(config);
    const n = dataset.n;
    const d = config.hidden;

    // Reuse cached layers when only the depth changed and the cache kept the features asked for.
    let cache =
      this.cache && this.cache.key === key && this.cache.datasetId === dataset.id ? this.cache : null;
    if (cache && config.depth <= cache.layers.length - 1) {
      const layers = cache.layers
        .slice(0, config.depth + 1)
        .map((l, i) => withFeatures(l, featuresMode, i === config.depth));
      const complete =
        featuresMode === 'none' ||
        layers.every((l, i) => !wantsFeatures(featuresMode, i, config.depth) || l.features);
      if (complete) return this.result(config, dataset, n, layers, cache.warnings, 0, started);
      cache = null;
    }
    if (cache && featuresMode === 'all' && cache.featuresKept !== 'all') cache = null;
    if (!cache) this.dropCache();

    this.check(token, options.signal);
    const ws = this.ensureWorkspace(dataset, config);
    const device = this.context.device;
    const layers: LayerResult[] = cache ? cache.layers.map((l) => withFeatures(l, featuresMode, false)) : [];
    const warnings: string[] = cache ? cache.warnings.slice() : [];
    let current: GPUBuffer;
    let width: number;
    const rec = new Recorder(this.context, this.pipelines);
    const encoder = new LayerEncoder(rec, ws.buffers, config);
    // The cached last layer lives outside the pool; copy it in so the pool logic stays uniform.
    if (cache) {
      width = cache.lastWidth;
      current = encoder.take();
      rec.copy(cache.last, 0, current, 0, n * width * 4);
    } else {
      width = dataset.featureDim;
      current = encoder.take();
      device.queue.writeBuffer(
        current,
        0,
        dataset.features.buffer,
        dataset.features.byteOffset,
        n * width * 4,
      );
    }
    const startLayer = layers.length; // next layer index to produce (0 = the input itself)
    const hasGraph = !!dataset.graph;
    const attentionModel = config.model === 'transformer';

    let layer = startLayer;
    let groupSize = 1;
    while (layer <= config.depth) {
      this.check(token, options.signal);
      const groupStarted = performance.now();
      // Plan a group of layers.
      const groupLayers: number[] = [];
      let metricFloats = 0;
      let featureBytes = 0;
      const layouts: MetricLayout[] = [];
      for (let l = layer; l <= config.depth && groupLayers.length < groupSize; l++) {
        const w = l === 0 ? dataset.featureDim : d;
        const fb = wantsFeatures(featuresMode, l, config.depth) ? n * w * 4 : 0;
        if (groupLayers.length > 0 && featureBytes + fb > GROUP_FEATURE_BYTES) break;
        const layout = metricLayout(n, w, attentionModel && l > 0, metricFloats);
        layouts.push(layout);
        metricFloats += layout.size;
        featureBytes += fb;
        groupLayers.push(l);
      }
      const metricsBuf = device.createBuffer({ size: Math.max(16, metricFloats * 4), usage: STORAGE });
      const metricsRead = device.createBuffer({
        size: Math.max(16, metricFloats * 4),
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const featureRead =
        featureBytes > 0
          ? device.createBuffer({
              size: featureBytes,
              usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
            })
          : null;
      const weightsBuf = this.uploadWeights(config, groupLayers, dataset.featureDim);
      const featureOffsets: number[] = [];
      let fOff = 0;
      const widths: number[] = [];

      groupLayers.forEach((l, gi) => {
        const layout = layouts[gi]!;
        let q: GPUBuffer | null = null;
        let k: GPUBuffer | null = null;
        if (l > 0) {
          const w = weightsBuf.weights[gi]!;
          const prev = current;
          if (attentionModel) {
            const r = encoder.transformerLayer(prev, w, weightsBuf.bindings[gi]!);
            current = r.out;
            q = r.q;
            k = r.k;
          } else {
            current = encoder.gnnLayer(prev, w, weightsBuf.bindings[gi]!);
          }
          if (w.inDim !== w.outDim && config.residual !== 'none') {
            warnings.push(residualSkipped(l, w.inDim, w.outDim));
          }
          encoder.give(prev);
          width = d;
        }
        widths.push(width);
        encodeLayerMetrics(rec, current, n, width, layout, {
          rows: ws.metricRows,
          out: metricsBuf,
          graphRowPtr: ws.buffers.graph.rowPtr,
          graphColIdx: ws.buffers.graph.colIdx,
          hasGraph,
        });
        if (q && k) {
          rec.dispatch1d(
            'attentionColsum',
            { n, dk: d, offset: layout.attentionOffset, scale: 1 / Math.sqrt(d) },
            { q, k, stats: ws.buffers.stats, out: metricsBuf },
            Math.ceil(n / STREAM_ROWS) * 64, // one 64-wide workgroup per 16 keys
          );
          encoder.give(q);
          encoder.give(k);
        }
        featureOffsets.push(fOff);
        if (featureRead && wantsFeatures(featuresMode, l, config.depth)) {
          rec.copy(current, 0, featureRead, fOff, n * width * 4);
          fOff += n * width * 4;
        }
      });
      rec.copy(metricsBuf, 0, metricsRead, 0, Math.max(16, metricFloats * 4));
      device.pushErrorScope('validation');
      device.pushErrorScope('out-of-memory');
      rec.submit();
      const oom = await device.popErrorScope();
      const invalid = await device.popErrorScope();
      weightsBuf.buffer.destroy();
      metricsBuf.destroy();
      if (oom || invalid) {
        metricsRead.destroy();
        featureRead?.destroy();
        throw new Error(
          `GPU error while running layers ${groupLayers[0]}–${groupLayers.at(-1)}: ${(oom ?? invalid)!.message}`,
        );
      }
      await Promise.all([metricsRead.mapAsync(GPUMapMode.READ), featureRead?.mapAsync(GPUMapMode.READ)]);
      const metricData = new Float32Array(metricsRead.getMappedRange().slice(0));
      metricsRead.unmap();
      metricsRead.destroy();
      let featureData: ArrayBuffer | null = null;
      if (featureRead) {
        featureData = featureRead.getMappedRange().slice(0);
        featureRead.unmap();
        featureRead.destroy();
      }
      groupLayers.forEach((l, gi) => {
        const w = widths[gi]!;
        const { sums, nonFinite } = layerSumsFromChunks(
          metricData,
          layouts[gi]!,
          n,
          w,
          hasGraph,
          config.centeredSpectrum,
        );
        const metrics =
          nonFinite > 0
            ? nanMetrics(sums, hasGraph, attentionModel && l > 0)
            : finishMetrics(sums, config.centeredSpectrum);
        const result: LayerResult = { index: l, width: w, metrics, nonFinite };
        if (featureData && wantsFeatures(featuresMode, l, config.depth)) {
          result.features = new Float32Array(featureData, featureOffsets[gi]!, n * w);
        }
        layers.push(result);
      });
      layer = groupLayers.at(-1)! + 1;
      const groupMs = performance.now() - groupStarted;
      if (groupMs < GROUP_FAST_MS) groupSize = Math.min(2 * groupSize, MAX_GROUP_LAYERS);
      else if (groupMs > GROUP_SLOW_MS) groupSize = Math.max(1, Math.floor(groupSize / 2));
    }

    // Keep the last layer on the GPU for an incremental extension.
    this.dropCache();
    const last = device.createBuffer({ size: Math.max(16, n * width! * 4), usage: STORAGE });
    rec.copy(current!, 0, last, 0, n * width! * 4);
    rec.submit();
    const firstNonFinite = layers.find((l) => l.nonFinite > 0)?.index ?? null;
    this.cache = {
      key,
      datasetId: dataset.id,
      layers,
      featuresKept: featuresMode,
      last,
      lastWidth: width!,
      firstNonFinite,
      warnings,
    };
    this.check(token, options.signal);
    return this.result(config, dataset, n, layers, warnings, layers.length - startLayer, started);
  }

  private result(
    config: EngineConfig,
    dataset: Dataset,
    n: number,
    layers: LayerResult[],
    warnings: string[],
    computed: number,
    started: number,
  ): RunResult {
    const first = layers.find((l) => l.nonFinite > 0);
    const firstNonFinite = first?.index ?? null;
    const notes = [...datasetWarnings(dataset, config), ...warnings];
    if (first) notes.push(nonFiniteWarning(first.index, first.nonFinite));
    return {
      config,
      engine: 'gpu',
      n,
      layers,
      firstNonFinite,
      warnings: notes,
      computedLayers: computed,
      timeMs: performance.now() - started,
    };
  }

  /** All weight matrices of a group in one buffer, each at a 256-byte aligned offset (a storage binding rule). */
  private uploadWeights(config: EngineConfig, groupLayers: number[], featureDim: number) {
    const names = ['W', 'Wq', 'Wk', 'Wv', 'Wo'] as const;
    const weights = groupLayers.map((l) =>
      l === 0 ? null : layerWeights(config, l, l === 1 ? featureDim : config.hidden),
    );
    const placed: { layer: number; name: (typeof names)[number]; offset: number; data: Float64Array }[] = [];
    let offset = 0;
    weights.forEach((w, gi) => {
      for (const name of names) {
        const data = w?.[name];
        if (!data) continue;
        placed.push({ layer: gi, name, offset, data });
        offset += Math.ceil((data.length * 4) / 256) * 256;
      }
    });
    const device = this.context.device;
    const buffer = device.createBuffer({ size: Math.max(256, offset), usage: STORAGE });
    const bindings: WeightBindings[] = weights.map(() => ({}));
    for (const p of placed) {
      device.queue.writeBuffer(buffer, p.offset, Float32Array.from(p.data));
      bindings[p.layer]![p.name] = { buffer, offset: p.offset, size: p.data.length * 4 };
    }
    return { buffer, weights: weights as LayerWeights[], bindings };
  }

  private resolveDataset(config: EngineConfig): Dataset {
    const id = datasetId(config.dataset);
    if (this.generated?.id !== id) this.generated = buildDataset(config.dataset);
    return this.generated;
  }

  /** Refuse, with the reason and the limit, what this adapter cannot hold: never a crash mid-run. */
  private checkLimits(dataset: Dataset, config: EngineConfig): void {
    const n = dataset.n;
    const width = Math.max(dataset.featureDim, config.hidden);
    const bytes = n * width * 4;
    const limit = this.context.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new Error(
        `data set too large for this GPU: one N×d feature matrix needs ${fmtBytes(bytes)} but the adapter binds at most ${fmtBytes(limit)} per storage buffer (N = ${n}, d = ${width})`,
      );
    }
    const gramBytes = Math.ceil(n / METRIC_CHUNK) * gramChunkFloats(width) * 4;
    if (gramBytes > limit) {
      throw new Error(
        `the metric reductions need ${fmtBytes(gramBytes)} for d = ${width}, over the adapter's ${fmtBytes(limit)} per storage buffer`,
      );
    }
    if (config.model === 'transformer' || config.norm.kind === 'contranorm') {
      if (Math.ceil(n / 64) > this.context.limits.maxComputeWorkgroupsPerDimension) {
        throw new Error(
          `attention and ContraNorm are limited to ${this.context.limits.maxComputeWorkgroupsPerDimension * 64} rows on this adapter (N = ${n})`,
        );
      }
    }
  }

  private ensureWorkspace(dataset: Dataset, config: EngineConfig): Workspace {
    const width = Math.max(dataset.featureDim, config.hidden);
    const ws = this.workspace;
    if (ws && ws.datasetId === dataset.id && ws.adjacency === config.adjacency && ws.width >= width)
      return ws;
    this.dropWorkspace();
    const device = this.context.device;
    const n = dataset.n;
    const bytes = n * width * 4;
    const owned: GPUBuffer[] = [];
    const make = (size: number, label: string) => {
      const b = device.createBuffer({ label, size: Math.max(16, size), usage: STORAGE });
      owned.push(b);
      return b;
    };
    const upload = (data: Uint32Array | Float32Array, label: string) => {
      const b = make(data.byteLength, label);
      if (data.byteLength) device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
      return b;
    };
    const pool = Array.from({ length: POOL_SIZE }, (_, i) => make(bytes, `pool-${i}`));
    let prop: LayerBuffers['prop'] = null;
    let graph: LayerBuffers['graph'];
    if (dataset.graph) {
      const csr = propagationCsr(dataset.graph, n, config.adjacency);
      prop = {
        rowPtr: upload(csr.rowPtr, 'prop-rowptr'),
        colIdx: upload(csr.colIdx, 'prop-col'),
        vals: upload(csr.vals, 'prop-vals'),
      };
      graph = {
        rowPtr: upload(dataset.graph.rowPtr, 'graph-rowptr'),
        colIdx: upload(dataset.graph.colIdx, 'graph-col'),
      };
    } else {
      graph = { rowPtr: upload(new Uint32Array(n + 1), 'graph-rowptr'), colIdx: make(16, 'graph-col') };
    }
    const chunks = Math.ceil(n / COLUMN_CHUNK);
    const buffers: LayerBuffers = {
      n,
      pool,
      prop,
      graph,
      stats: make(n * 16, 'softmax-stats'),
      columnPartials: make(chunks * width * 8, 'column-partials'),
      columnStats: make((2 * width + 1) * 4, 'column-stats'),
    };
    const metricRows = make(n * 16, 'metric-rows');
    this.workspace = {
      datasetId: dataset.id,
      adjacency: config.adjacency,
      width,
      buffers,
      metricRows,
      owned,
    };
    return this.workspace;
  }

  private dropWorkspace(): void {
    this.workspace?.owned.forEach((b) => b.destroy());
    this.workspace = null;
  }

  private dropCache(): void {
    this.cache?.last.destroy();
    this.cache = null;
  }
}

function wantsFeatures(mode: 'all' | 'last' | 'none', layer: number, depth: number): boolean {
  return mode === 'all' || (mode === 'last' && layer === depth);
}

function withFeatures(l: LayerResult, mode: 'all' | 'last' | 'none', isLast: boolean): LayerResult {
  if (mode === 'all' || (mode === 'last' && isLast)) return l;
  const { features: _f, ...rest } = l;
  return rest;
}

/** A layer with NaN/Inf entries has no meaningful metrics: report NaN rather than numbers from garbage. */
function nanMetrics(sums: { n: number; d: number }, hasGraph: boolean, attention: boolean) {
  return {
    singularValues: new Float64Array(Math.min(sums.n, sums.d)).fill(NaN),
    effectiveRank: NaN,
    meanCosine: NaN,
    mu: NaN,
    dirichlet: hasGraph ? NaN : null,
    attentionSimilarity: attention ? NaN : null,
    frobenius: NaN,
  };
}

function fmtBytes(b: number): string {
  return b >= 1 << 30 ? `${(b / (1 << 30)).toFixed(2)} GiB` : `${(b / (1 << 20)).toFixed(1)} MiB`;
}
