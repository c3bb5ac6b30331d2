// The GPU engine: runs EngineConfig through the WGSL kernels of shaders/ and returns the same
// RunResult as the float64 reference engine (../reference/engine.ts).
//
// Work is submitted in groups of layers; after each group the chunk sums of the metrics (and,
// when asked, the features and the 2-D picture, see ./projection.ts) are read back and finished
// in float64. Between groups the run checks whether a newer run() has superseded it (latest wins)
// and whether the device is lost.
import { prefixKey, validateConfig } from '../config';
import { buildDataset, datasetId } from '../../data/datasets';
import { HostSolver } from './hostSolver';
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
import { acquireGpu, type AcquireOptions, type GpuContext } from './device';
import { buildPipelines, type KernelName } from './kernels';
import { LayerEncoder, type LayerBuffers, type WeightBindings } from './layers';
import {
  encodeLayerMetrics,
  gramChunkFloats,
  gramSlicing,
  layerSumsFromChunks,
  metricLayout,
  type MetricLayout,
} from './layerMetrics';
import { propagationCsr } from './graphBuffers';
import { datasetWarnings, nonFiniteWarning, residualSkipped } from '../warnings';
import { emptyHostStats, GpuSession, Recorder, type HostStats } from './recorder';
import { COLUMN_CHUNK, METRIC_CHUNK, STREAM_ROWS } from './kernels';
import { AttentionScratch, AttentionVariants } from './attention';
import { GrowBuffer, Staging } from './staging';
import { workgroupBytesTable } from './workgroupMemory';
import {
  covarianceFromChunks,
  covarianceLayout,
  GpuProjection,
  type CoordsReadback,
  type CovarianceLayout,
  type KeptLayer,
} from './projection';
import { ProjectionChain, projectLayer, type ProjectionMode } from '../../math/projection';

const POOL_SIZE = 9;
/**
 * Layers per submit, adapted to the adapter's speed: a group starts at two layers and doubles
 * while a group takes under GROUP_FAST_MS, halving when one takes over GROUP_SLOW_MS. Between
 * groups a superseded run stops, so on a slow adapter a dragged slider never waits behind many
 * layers of stale work, and on a fast one the per-group readback stays cheap. Group g + 1 is
 * planned before group g is read, so with fast groups L = 64 runs as groups of 2, 2, 4, 8, 16, 16,
 * 16 and 1 layers: 8 maps, plus one for the last pictures (with the error scopes), 9 round trips;
 * a slow adapter takes more, by design (on SwiftShader W1 runs a layer per group).
 */
const MAX_GROUP_LAYERS = 16;
/**
 * Dispatches a layer records at most, by a margin (a transformer layer with its metrics and
 * projection takes about 20): what presize() reserves uniform slots for.
 */
const UNIFORM_SLOTS_PER_LAYER = 48;
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
  /** A group's weight matrices, its metric chunk sums, and two alternating readback buffers. */
  weights: GrowBuffer;
  metrics: GrowBuffer;
  /** Partial records of the cooperative Gram (hardware kernel set), reused by every Gram of a run. */
  gramParts: GrowBuffer;
  staging: [Staging, Staging];
  nextStaging: number;
  projection: GpuProjection;
  owned: GPUBuffer[];
}

/** A submitted group of layers whose readback has not been finished yet. */
interface InflightGroup {
  groupLayers: number[];
  layouts: MetricLayout[];
  widths: number[];
  featureOffsets: number[];
  featureOffset: number;
  metricBytes: number;
  featureBytes: number;
  staging: Staging;
  submitted: number;
  /** Per layer: where its covariance sums are (null: not projected on the GPU), and its kept U. */
  covariance: (CovarianceLayout | null)[];
  kept: (KeptLayer | null)[];
  /** Earlier layers' coordinates read back with this group. */
  coords: CoordsReadback;
  coordsOffset: number;
}

interface Cache {
  key: string;
  datasetId: string;
  layers: LayerResult[];
  featuresKept: 'all' | 'last' | 'none';
  /** The projection of every cached layer, when the runs that made them asked for one. */
  projection: ProjectionChain | null;
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
  /** Counters and caches shared by every submit (and, when set, the per-kernel GPU profile). */
  readonly session: GpuSession;
  /** What the host did in the last completed run (null before one). */
  readonly lastStats: HostStats | null;
}

export async function createGpuEngine(
  options: {
    onDeviceLost?: (message: string) => void;
    /**
     * 'doubling': groups grow 2, 4, 8, 16 whatever their time (tests of the host loop's structure,
     * and measuring on an emulated adapter the round trips a fast GPU would see).
     */
    groupGrowth?: 'adaptive' | 'doubling';
  } & AcquireOptions = {},
): Promise<GpuEngine> {
  const ctx = await acquireGpu(options.onDeviceLost, options);
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
  return new GpuEngineImpl(ctx, pipelines, options.groupGrowth ?? 'adaptive');
}

class GpuEngineImpl implements GpuEngine {
  readonly kind = 'gpu' as const;
  private latest = 0;
  /** The last generated data set, so that moving a slider does not regenerate it. */
  private generated: Dataset | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private workspace: Workspace | null = null;
  private cache: Cache | null = null;
  readonly session: GpuSession;
  lastStats: HostStats | null = null;
  private readonly recorder: Recorder;
  private readonly attention: { variants: AttentionVariants; scratch: AttentionScratch };
  /** The per-layer float64 finishing, shared with worker threads where there are any. */
  readonly solver = new HostSolver();

  constructor(
    readonly context: GpuContext,
    readonly pipelines: Record<KernelName, GPUComputePipeline>,
    private readonly groupGrowth: 'adaptive' | 'doubling' = 'adaptive',
  ) {
    this.session = new GpuSession(context);
    this.recorder = new Recorder(context, pipelines, this.session, workgroupBytesTable());
    this.attention = {
      variants: new AttentionVariants(context),
      scratch: new AttentionScratch(context.device),
    };
  }

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
    this.attention.scratch.dispose();
    this.solver.dispose();
    this.session.dispose();
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

    // Reuse cached layers when only L changed and the cache kept the features asked for.
    let cache =
      this.cache && this.cache.key === key && this.cache.datasetId === dataset.id ? this.cache : null;
    const projectionMode = options.projection;
    // Cached layers projected in another mode (or not at all) are projected afresh from the start.
    if (cache && projectionMode && cache.projection?.mode !== projectionMode) cache = null;
    if (cache && config.layers <= cache.layers.length - 1) {
      const layers = cache.layers
        .slice(0, config.layers + 1)
        .map((l, i) => withFeatures(l, featuresMode, i === config.layers, !!projectionMode));
      const complete =
        featuresMode === 'none' ||
        layers.every((l, i) => !wantsFeatures(featuresMode, i, config.layers) || l.features);
      if (complete)
        return this.result(config, dataset, n, layers, cache.warnings, 0, started, projectionMode);
      cache = null;
    }
    if (cache && featuresMode === 'all' && cache.featuresKept !== 'all') cache = null;
    if (!cache) this.dropCache();

    this.check(token, options.signal);
    const ws = this.ensureWorkspace(dataset, config);
    const device = this.context.device;
    const layers: LayerResult[] = cache
      ? cache.layers.map((l) => withFeatures(l, featuresMode, false, !!projectionMode))
      : [];
    // The projection continues the cached chain (a copy: a failed run leaves the cache as it was).
    const chain = projectionMode ? (cache?.projection?.clone() ?? new ProjectionChain(projectionMode)) : null;
    const projector = ws.projection;
    /** Layers whose axes are known and whose kept U awaits its projection. */
    let ready: KeptLayer[] = [];
    /** Coordinates read back (or null: not data) for layers not yet aligned. */
    const arrived = new Map<number, Float32Array | null>();
    // Aligns, in layer order, every layer whose coordinates are in.
    const alignArrived = () => {
      if (!chain) return;
      while (arrived.has(chain.done)) {
        const l = chain.done;
        const coords = chain.align(l, arrived.get(l)!);
        arrived.delete(l);
        layers[l]!.projection = coords && Float32Array.from(coords);
      }
    };
    let groupIndex = 0;
    const warnings: string[] = cache ? cache.warnings.slice() : [];
    const stats = (this.session.stats = emptyHostStats());
    let awaitedMs = 0;
    const awaitGpu = async <T>(p: Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await p;
      } finally {
        awaitedMs += performance.now() - t;
        stats.awaitedRoundTrips++;
      }
    };
    // Compile the softmax variant this run needs without blocking the encoder on it.
    if (config.model === 'transformer' || config.norm.kind === 'contranorm')
      await this.attention.variants.prepare(d, d);
    let current: GPUBuffer;
    let width: number;
    const rec = this.recorder;
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

    // Errors of the whole run are caught by one pair of scopes, never awaited between groups,
    // where they would stall the pipeline. They are popped right after the run's last submit and
    // awaited together with its last map: one round trip for both.
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    let popping: Promise<GPUError | null> | null = null;
    const startPop = (): Promise<GPUError | null> => {
      if (popping) return popping;
      const p = Promise.all([device.popErrorScope(), device.popErrorScope()]).then(
        ([oom, invalid]) => oom ?? invalid,
      );
      p.catch(() => undefined); // awaited later, by popScopes
      popping = p;
      return p;
    };
    const popScopes = async (): Promise<GPUError | null> => {
      // Already awaited with the last map when started there; otherwise a round trip of its own.
      if (popping) return popping;
      return awaitGpu(startPop());
    };

    // Groups are pipelined: group g + 1 is encoded and submitted before group g's readback is
    // awaited and finished (its eigensolves run while the GPU computes the next group).
    let inflight: InflightGroup | null = null;
    // Every run starts at two layers per group: the same configuration then records the same
    // dispatches into the same uniform slots and buffers, so a second run finds all its bind
    // groups cached (on an adapter fast enough that no group is slow).
    let groupSize = 2;
    this.presize(ws, config, n, dataset.featureDim, config.layers + 1 - startLayer, !!chain);
    const finish = async (g: InflightGroup, alsoAwait: Promise<unknown> | null = null): Promise<void> => {
      await awaitGpu(Promise.all([g.staging.map(), alsoAwait]));
      const metricData = new Float32Array(g.staging.buffer.getMappedRange(0, g.metricBytes).slice(0));
      let featureData: ArrayBuffer | null = null;
      if (g.featureBytes > 0)
        featureData = g.staging.buffer.getMappedRange(g.featureOffset, g.featureBytes).slice(0);
      stats.readbackBytes += g.metricBytes + g.featureBytes + g.coords.bytes;
      // The float64 finishing of every layer of the group, shared with the solver's threads. The
      // axes are solved there too in 'pca-aligned' mode; a fixed basis is solved once per width,
      // by the chain itself.
      const parts = g.groupLayers.map((l, gi) => {
        const w = g.widths[gi]!;
        const { sums, nonFinite } = layerSumsFromChunks(
          metricData,
          g.layouts[gi]!,
          n,
          w,
          hasGraph,
          config.centeredSpectrum,
        );
        const cov = g.covariance[gi];
        const covariance =
          chain && cov && g.kept[gi] && nonFinite === 0 ? covarianceFromChunks(metricData, cov, n, w) : null;
        return { l, w, sums, nonFinite, covariance };
      });
      const finite = parts.filter((p) => p.nonFinite === 0);
      const { solved: solvedList, remote } = await this.solver.solve(
        finite.map((p) => ({
          sums: p.sums,
          centeredSpectrum: config.centeredSpectrum,
          covariance: chain?.mode === 'pca-aligned' ? p.covariance : null,
          width: p.w,
        })),
      );
      stats.offThreadLayers += remote;
      const solved = new Map(finite.map((p, i) => [p, solvedList[i]!]));
      parts.forEach(({ l, w, sums, nonFinite, covariance }, gi) => {
        const s = solved.get(parts[gi]!);
        const metrics = s ? s.metrics : nanMetrics(sums, hasGraph, attentionModel && l > 0);
        const result: LayerResult = { index: l, width: w, metrics, nonFinite };
        if (featureData && wantsFeatures(featuresMode, l, config.layers)) {
          result.features = new Float32Array(featureData, g.featureOffsets[gi]! - g.featureOffset, n * w);
        }
        layers.push(result);
        if (!chain) return;
        const kept = g.kept[gi];
        if (!g.covariance[gi] || !kept) {
          // The input is on the host already: projected there in float64.
          // (Layer 0 comes first, so the chain aligns it at once.)
          const coords = projectLayer(chain, dataset.features, n, w, nonFinite);
          result.projection = coords && Float32Array.from(coords);
          return;
        }
        const axes = chain.axes(w, covariance, s?.axes);
        if (axes) ready.push({ ...kept, axes });
        else arrived.set(l, null);
      });
      if (g.coords.bytes > 0) {
        const coordData = new Float32Array(
          g.staging.buffer.getMappedRange(g.coordsOffset, g.coords.bytes).slice(0),
        );
        for (const c of g.coords.layers) arrived.set(c.layer, coordData.subarray(c.offset, c.offset + 2 * n));
      }
      g.staging.buffer.unmap();
      alignArrived();
      const groupMs = performance.now() - g.submitted;
      if (groupMs < GROUP_FAST_MS || this.groupGrowth === 'doubling')
        groupSize = Math.min(2 * groupSize, MAX_GROUP_LAYERS);
      else if (groupMs > GROUP_SLOW_MS) groupSize = Math.max(1, Math.floor(groupSize / 2));
      // A partial result shows only layers whose picture is in, when a picture was asked for.
      const shown = chain ? layers.slice(0, chain.done) : layers.slice();
      if (options.onProgress && layers.length <= config.layers && shown.length > 0)
        options.onProgress(this.result(config, dataset, n, shown, warnings, 0, started, projectionMode));
    };

    try {
      let layer = startLayer;
      while (layer <= config.layers) {
        this.check(token, options.signal);
        // Plan a group of layers.
        const groupLayers: number[] = [];
        let metricFloats = 0;
        let featureBytes = 0;
        const layouts: MetricLayout[] = [];
        const covariance: (CovarianceLayout | null)[] = [];
        for (let l = layer; l <= config.layers && groupLayers.length < groupSize; l++) {
          const w = l === 0 ? dataset.featureDim : d;
          const fb = wantsFeatures(featuresMode, l, config.layers) ? n * w * 4 : 0;
          if (groupLayers.length > 0 && featureBytes + fb > GROUP_FEATURE_BYTES) break;
          const layout = metricLayout(n, w, attentionModel && l > 0, metricFloats);
          layouts.push(layout);
          metricFloats += layout.size;
          // Layer 0 (the input, possibly wide) is projected on the host, from the data set.
          if (chain && l > 0) {
            const cov = covarianceLayout(n, w, metricFloats);
            covariance.push(cov);
            metricFloats += cov.size;
          } else covariance.push(null);
          featureBytes += fb;
          groupLayers.push(l);
        }
        const metricBytes = Math.max(16, metricFloats * 4);
        const metricsBuf = ws.metrics.get(metricBytes);
        const gramParts =
          this.context.kernelSet === 'hardware'
            ? ws.gramParts.get(4 * Math.max(4, gramSlicing(n, Math.max(d, dataset.featureDim)).partFloats))
            : undefined;
        // Two staging buffers alternate: one is mapped on the host while the other is filled.
        const staging = ws.staging[ws.nextStaging]!;
        ws.nextStaging = 1 - ws.nextStaging;
        // Staging: metric sums, then earlier layers' coordinates, then features.
        const coordsOffset = Math.ceil(metricBytes / 256) * 256;
        const coordsBytes = ready.length * 2 * n * 4;
        const featureOffset = Math.ceil((coordsOffset + coordsBytes) / 256) * 256;
        staging.reserve(featureOffset + featureBytes);
        // The layers of two groups back, whose axes the host solved meanwhile, project first.
        const coords = projector.encodeProject(rec, n, ready, staging.buffer, coordsOffset);
        ready = [];
        const keptLayout = GpuProjection.keptOffsets(
          n,
          groupLayers.map((l) => (l === 0 ? dataset.featureDim : d)),
        );
        const keptBuf = chain ? projector.keptBuffer(groupIndex++, keptLayout.bytes) : null;
        const kept: (KeptLayer | null)[] = [];
        const weightsBuf = this.uploadWeights(ws, config, groupLayers, dataset.featureDim);
        const featureOffsets: number[] = [];
        let fOff = featureOffset;
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
            gramParts,
          });
          const cov = covariance[gi];
          if (cov && keptBuf) {
            const offset = keptLayout.offsets[gi]!;
            projector.encodeSums(rec, current, n, width, keptBuf, offset, metricsBuf, cov, gramParts);
            kept.push({ layer: l, width, buffer: keptBuf, offset: offset / 4 });
          } else kept.push(null);
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
          if (featureBytes > 0 && wantsFeatures(featuresMode, l, config.layers)) {
            rec.copy(current, 0, staging.buffer, fOff, n * width * 4);
            fOff += n * width * 4;
          }
        });
        rec.copy(metricsBuf, 0, staging.buffer, 0, metricBytes);
        rec.submit();
        const group: InflightGroup = {
          groupLayers,
          layouts,
          widths,
          featureOffsets,
          featureOffset,
          metricBytes,
          featureBytes,
          staging,
          submitted: performance.now(),
          covariance,
          kept,
          coords,
          coordsOffset,
        };
        staging.startMap();
        layer = groupLayers.at(-1)! + 1;
        // The last submit of the run, unless its layers' pictures still need one.
        if (layer > config.layers && !(chain && covariance.some((c) => c))) void startPop();
        if (inflight) await finish(inflight);
        inflight = group;
      }
      if (inflight) {
        const last = inflight;
        inflight = null;
        await finish(last, popping);
      }
      if (ready.length > 0) {
        // The last groups' projections: one more submit and map.
        const staging = ws.staging[ws.nextStaging]!;
        ws.nextStaging = 1 - ws.nextStaging;
        staging.reserve(ready.length * 2 * n * 4);
        const coords = projector.encodeProject(rec, n, ready, staging.buffer, 0);
        ready = [];
        rec.submit();
        staging.startMap();
        await awaitGpu(Promise.all([staging.map(), startPop()]));
        const coordData = new Float32Array(staging.buffer.getMappedRange(0, coords.bytes).slice(0));
        staging.buffer.unmap();
        stats.readbackBytes += coords.bytes;
        for (const c of coords.layers) arrived.set(c.layer, coordData.subarray(c.offset, c.offset + 2 * n));
        alignArrived();
      }
      if (chain && chain.done !== layers.length)
        throw new Error(`projection: ${layers.length - chain.done} layers left unprojected`);
      const error = await popScopes();
      if (error) {
        throw new Error(`GPU error while running layers ${startLayer}–${config.layers}: ${error.message}`);
      }
    } catch (e) {
      // Leave nothing mapped or scoped behind for the next run.
      if (inflight) await inflight.staging.map().catch(() => undefined);
      for (const st of ws.staging) st.release();
      await popScopes().catch(() => null);
      throw e;
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
      projection: chain,
      last,
      lastWidth: width!,
      firstNonFinite,
      warnings,
    };
    stats.hostMs = performance.now() - started - awaitedMs;
    this.lastStats = { ...stats };
    this.check(token, options.signal);
    return this.result(
      config,
      dataset,
      n,
      layers,
      warnings,
      layers.length - startLayer,
      started,
      projectionMode,
    );
  }

  private result(
    config: EngineConfig,
    dataset: Dataset,
    n: number,
    layers: LayerResult[],
    warnings: string[],
    computed: number,
    started: number,
    projection: ProjectionMode | undefined,
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
      ...(projection ? { projection } : {}),
    };
  }

  /**
   * Grow the per-group buffers at once to what the largest group of this run can need: grown in
   * the middle of a run (as groups double), they would be new buffers for the next run's first
   * groups, whose bind groups would then be created again.
   */
  private presize(
    ws: Workspace,
    config: EngineConfig,
    n: number,
    featureDim: number,
    layers: number,
    projection: boolean,
  ): void {
    const most = Math.min(MAX_GROUP_LAYERS, layers);
    if (most <= 0) return;
    const w = Math.max(featureDim, config.hidden);
    const layout = metricLayout(n, w, config.model === 'transformer', 0);
    const cov = projection ? covarianceLayout(n, w, 0).size : 0;
    ws.metrics.get(Math.max(16, most * (layout.size + cov) * 4));
    if (this.context.kernelSet === 'hardware')
      ws.gramParts.get(4 * Math.max(4, gramSlicing(n, w).partFloats));
    const matrix = Math.ceil((w * config.hidden * 4) / 256) * 256;
    ws.weights.get(Math.max(256, most * (config.model === 'transformer' ? 5 : 1) * matrix));
    if (projection) ws.projection.presize(n, w, most);
    this.session.reserveUniformSlots(most * UNIFORM_SLOTS_PER_LAYER);
  }

  /**
   * All weight matrices of a group in the workspace's weights buffer, each at a 256-byte aligned
   * offset (a storage binding rule). Rewriting it for the next group is safe while the previous
   * group still runs: a queue.writeBuffer is ordered after the work submitted before it.
   */
  private uploadWeights(ws: Workspace, config: EngineConfig, groupLayers: number[], featureDim: number) {
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
    const buffer = ws.weights.get(Math.max(256, offset));
    const staged = new Float32Array(offset / 4);
    const bindings: WeightBindings[] = weights.map(() => ({}));
    for (const p of placed) {
      staged.set(p.data, p.offset / 4);
      bindings[p.layer]![p.name] = { buffer, offset: p.offset, size: p.data.length * 4 };
    }
    if (offset > 0) this.context.device.queue.writeBuffer(buffer, 0, staged);
    return { weights: weights as LayerWeights[], bindings };
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
      attention: this.attention,
    };
    const metricRows = make(n * 16, 'metric-rows');
    this.workspace = {
      datasetId: dataset.id,
      adjacency: config.adjacency,
      width,
      buffers,
      metricRows,
      weights: new GrowBuffer(device, 'weights', STORAGE),
      metrics: new GrowBuffer(device, 'metric-sums', STORAGE),
      gramParts: new GrowBuffer(device, 'gram-parts', STORAGE),
      staging: [new Staging(device), new Staging(device)],
      nextStaging: 0,
      projection: new GpuProjection(device),
      owned,
    };
    return this.workspace;
  }

  private dropWorkspace(): void {
    const ws = this.workspace;
    if (!ws) return;
    ws.owned.forEach((b) => b.destroy());
    ws.weights.destroy();
    ws.metrics.destroy();
    ws.gramParts.destroy();
    ws.staging.forEach((st) => st.destroy());
    ws.projection.destroy();
    this.session.clearBindGroups();
    this.workspace = null;
  }

  private dropCache(): void {
    this.cache?.last.destroy();
    this.cache = null;
  }
}

function wantsFeatures(mode: 'all' | 'last' | 'none', layer: number, lastLayer: number): boolean {
  return mode === 'all' || (mode === 'last' && layer === lastLayer);
}

/** A cached layer as a run returns it: features and picture only where this run asked for them. */
function withFeatures(
  l: LayerResult,
  mode: 'all' | 'last' | 'none',
  isLast: boolean,
  projection: boolean,
): LayerResult {
  const { features, projection: coords, ...rest } = l;
  const out: LayerResult = rest;
  if (features && (mode === 'all' || (mode === 'last' && isLast))) out.features = features;
  if (projection && coords !== undefined) out.projection = coords;
  return out;
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
