// The CPU engines' common body: the `Engine` API of types.ts, computed layer by layer from SPEC
// with the operations of a `LayerOps` table. Two tables exist: the float64 reference
// (src/engine/reference: the yardstick every engine is tested against, and a benchmark peer) and
// the fast float32 WebAssembly engine (src/engine/fast: what the page runs without a fast GPU).
//
// Incremental: results are cached under prefixKey(config) + the data set id, so raising the
// layer count L computes only the new layers. Latest wins: every run takes a ticket, and between
// layers it yields to the event loop and rejects with an AbortError-named Error once a newer
// run has started (or its AbortSignal fired). Writes to the cache happen only in the
// synchronous stretch right after that check, so a superseded run never writes.
//
// Returned features are the engine's cached arrays (no copy): read them, never write.

import type {
  Dataset,
  Engine,
  EngineConfig,
  LayerMetrics,
  LayerResult,
  RunOptions,
  RunResult,
} from './types';
import { SupersededError } from './types';
import { prefixKey, validateConfig } from './config';
import { finishMetrics, type LayerSums } from './metrics';
import { layerWeights } from './weights';
import { buildDataset, datasetId } from '../data/datasets';
import { datasetWarnings, nonFiniteWarning } from './warnings';
import {
  gnnLayer,
  transformerLayer,
  type LayerInput,
  type LayerOps,
  type LayerOutput,
} from './reference/layers';
import { computeLayerSums, countNonFinite } from './reference/layerSums';
import type { AttentionSums, Mat } from './reference/ops';
import type { Csr } from '../data/graph';
import { ProjectionChain, projectLayer } from '../math/projection';

/** What a layer's metric sums depend on besides H. */
export interface LayerSumsOptions {
  graph?: Csr;
  centered: boolean;
  attention: AttentionSums | null;
}

/** What distinguishes one CPU engine from another. */
export interface CpuBackend {
  ops: LayerOps;
  /** H₀ from the data set's float32 features, in the engine's number type. */
  input(features: Float32Array): Mat;
  /**
   * A layer's metric sums and non-finite count when it can do better than computeLayerSums and
   * countNonFinite (the same sums, in float64); used for every layer after the input.
   */
  layerSums?: (
    x: Mat,
    n: number,
    d: number,
    options: LayerSumsOptions,
  ) => { sums: LayerSums; nonFinite: number };
  /** The singular values of a layer's Gram when it can do better than singularValuesFromGram (same algorithm). */
  singularValues?: (gram: Float64Array, side: number, count: number) => Float64Array;
  /** Release threads and memory. */
  dispose?(): void;
}

/** How often a long run reports the layers it has so far (RunOptions.onProgress). */
const PROGRESS_INTERVAL_MS = 250;

interface CachedLayer {
  width: number;
  metrics: LayerMetrics;
  nonFinite: number;
  warnings: string[];
  /** H_ℓ; kept for every layer after a run that returned all features, else only for the last. */
  h?: Mat;
  /** Set when h was kept because a run asked for all features: later runs must not drop it. */
  keep: boolean;
  /** The layer's 2-D picture in the cache's projection mode (from h in float64, when it was made). */
  projection?: Float32Array | null;
}

interface Cache {
  key: string;
  dataset: Dataset;
  layers: CachedLayer[];
  /** Warnings about the data set itself (shown with every run on it). */
  datasetWarnings: string[];
  /** The projection of the cached layers, when runs asked for one (every layer has it then). */
  projection: ProjectionChain | null;
}

/** Resolve on the next macrotask: setImmediate (Node), a MessageChannel message (browsers, no 4 ms clamp), else setTimeout. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else if (typeof MessageChannel === 'function') {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else setTimeout(resolve, 0);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const e = new Error(reason instanceof Error && reason.message ? reason.message : 'the run was aborted');
  e.name = 'AbortError';
  return e;
}

function checkDataset(ds: Dataset): void {
  if (ds.features.length !== ds.n * ds.featureDim)
    throw new Error(
      `data set "${ds.id}": ${ds.features.length} feature values for n·featureDim = ${ds.n * ds.featureDim}`,
    );
  if (ds.graph && ds.graph.rowPtr.length !== ds.n + 1)
    throw new Error(
      `data set "${ds.id}": graph.rowPtr has ${ds.graph.rowPtr.length} entries for n = ${ds.n}`,
    );
}

function layerMetrics(
  h: Mat,
  n: number,
  d: number,
  config: EngineConfig,
  ds: Dataset,
  attention: AttentionSums | null,
  backend?: Pick<CpuBackend, 'layerSums' | 'singularValues'>,
): { metrics: LayerMetrics; nonFinite: number } {
  const layerSums = backend?.layerSums;
  const options = { graph: ds.graph, centered: config.centeredSpectrum, attention };
  const { sums, nonFinite } = layerSums
    ? layerSums(h, n, d, options)
    : { sums: computeLayerSums(h, n, d, options), nonFinite: countNonFinite(h) };
  return { metrics: finishMetrics(sums, config.centeredSpectrum, backend?.singularValues), nonFinite };
}

export function createCpuEngine(backend: CpuBackend): Engine {
  let ticket = 0;
  let cache: Cache | null = null;

  async function run(config: EngineConfig, options: RunOptions = {}): Promise<RunResult> {
    const mine = ++ticket;
    const started = performance.now();
    const errors = validateConfig(config);
    if (errors.length > 0) throw new Error(`invalid configuration: ${errors.join('; ')}`);
    const featuresMode = options.features ?? 'all';
    const signal = options.signal;
    const check = (): void => {
      if (signal?.aborted) throw abortError(signal);
      if (mine !== ticket) throw new SupersededError();
    };
    // Yield once before any work, so that a burst of calls (a dragged slider) runs only the last.
    await nextMacrotask();
    check();

    const wantedId = options.dataset?.id ?? datasetId(config.dataset);
    const key = `${prefixKey(config)}\u0000${wantedId}`;
    if (!cache || cache.key !== key) {
      const ds =
        options.dataset ?? (cache?.dataset.id === wantedId ? cache.dataset : buildDataset(config.dataset));
      checkDataset(ds);
      if (config.model === 'gnn' && !ds.graph)
        throw new Error(`invalid configuration: the GNN model needs a graph; data set "${ds.name}" has none`);
      cache = {
        key,
        dataset: ds,
        layers: [],
        datasetWarnings: datasetWarnings(ds, config),
        projection: null,
      };
    }
    const c = cache;
    const ds = c.dataset;
    const n = ds.n;
    const lastLayer = config.layers;

    // Can the cached layers serve this request? Features we no longer hold mean starting over.
    const have = c.layers.length;
    const lastNeeded = Math.min(lastLayer, have - 1);
    let usable = have > 0;
    if (usable && featuresMode === 'all')
      for (let l = 0; l <= lastNeeded; l++) usable &&= c.layers[l].h !== undefined;
    if (usable && (featuresMode === 'last' || lastLayer >= have))
      usable = c.layers[lastNeeded].h !== undefined;
    // Cached layers projected in another mode (or not at all) are projected afresh from the start.
    const projectionMode = options.projection;
    if (usable && projectionMode && c.projection?.mode !== projectionMode) usable = false;
    if (!usable) {
      c.layers = [];
      c.projection = null;
    }
    if (projectionMode && c.layers.length === 0) c.projection = new ProjectionChain(projectionMode);
    const keepAll = featuresMode === 'all';

    const store = (layer: CachedLayer): void => {
      const prev = c.layers[c.layers.length - 1];
      if (prev && !prev.keep) delete prev.h; // only the newest H is needed to continue
      // Projected in float64 from H while it is at hand (the chain runs in layer order).
      if (c.projection && c.projection.planned === c.layers.length) {
        const coords = projectLayer(c.projection, layer.h, n, layer.width, layer.nonFinite);
        layer.projection = coords && Float32Array.from(coords);
      }
      c.layers.push(layer);
    };

    // computedLayers counts every entry of `layers` not served from the cache, layer 0 included,
    // so that computed + cached = lastLayer + 1 (the GPU engine counts the same way).
    let computed = 0;
    if (c.layers.length === 0) {
      const h0 = backend.input(ds.features);
      // Layer 0 is the data set's input: often sparse and wide, which the reference's gramOf handles.
      const { metrics, nonFinite } = layerMetrics(h0, n, ds.featureDim, config, ds, null);
      store({
        width: ds.featureDim,
        metrics,
        nonFinite,
        warnings: [],
        h: h0,
        keep: keepAll,
      });
      computed++;
    }
    const collect = (
      upTo: number,
    ): { layers: LayerResult[]; warnings: string[]; firstNonFinite: number | null } => {
      const layers: LayerResult[] = [];
      const warnings: string[] = [...c.datasetWarnings];
      let firstNonFinite: number | null = null;
      for (let l = 0; l <= upTo; l++) {
        const cl = c.layers[l];
        const withFeatures = featuresMode === 'all' || (featuresMode === 'last' && l === upTo);
        layers.push({
          index: l,
          width: cl.width,
          metrics: cl.metrics,
          nonFinite: cl.nonFinite,
          ...(withFeatures && cl.h ? { features: cl.h } : {}),
          ...(projectionMode && cl.projection !== undefined ? { projection: cl.projection } : {}),
        });
        warnings.push(...cl.warnings);
        if (cl.nonFinite > 0 && firstNonFinite === null) firstNonFinite = l;
      }
      if (firstNonFinite !== null)
        warnings.push(nonFiniteWarning(firstNonFinite, c.layers[firstNonFinite].nonFinite));
      return { layers, warnings, firstNonFinite };
    };
    let lastProgress = performance.now();
    for (let l = c.layers.length; l <= lastLayer; l++) {
      await nextMacrotask();
      check();
      // The layers so far, for a page that draws a long first run as it grows. Only layers kept
      // with their features (keepAll) or their pictures can be shown; other runs report nothing.
      if (
        options.onProgress &&
        (keepAll || projectionMode) &&
        performance.now() - lastProgress > PROGRESS_INTERVAL_MS
      ) {
        lastProgress = performance.now();
        const upTo = l - 1;
        options.onProgress({
          config: { ...structuredClone(config), layers: upTo },
          engine: 'cpu',
          n,
          ...collect(upTo),
          computedLayers: computed,
          timeMs: performance.now() - started,
          progress: { done: upTo, total: lastLayer },
          ...(projectionMode ? { projection: projectionMode } : {}),
        });
      }
      const prev = c.layers[l - 1];
      const h = prev.h;
      if (!h) throw new Error(`reference engine: layer ${l - 1} features missing from the cache`);
      const input: LayerInput = {
        ops: backend.ops,
        h,
        n,
        inDim: prev.width,
        layer: l,
        config,
        weights: layerWeights(config, l, prev.width),
        graph: ds.graph,
      };
      const out: LayerOutput = await (config.model === 'gnn' ? gnnLayer(input) : transformerLayer(input));
      check(); // a run superseded while its layer ran in worker threads must not write the cache
      const { metrics, nonFinite } = layerMetrics(out.h, n, out.width, config, ds, out.attention, backend);
      store({
        width: out.width,
        metrics,
        nonFinite,
        warnings: out.warnings,
        h: out.h,
        keep: keepAll,
      });
      computed++;
    }

    const { layers, warnings, firstNonFinite } = collect(lastLayer);
    return {
      config: structuredClone(config),
      engine: 'cpu',
      n,
      layers,
      firstNonFinite,
      warnings,
      computedLayers: computed,
      timeMs: performance.now() - started,
      ...(projectionMode ? { projection: projectionMode } : {}),
    };
  }

  return {
    kind: 'cpu',
    run,
    dispose(): void {
      ticket++; // any run in flight rejects at its next check
      cache = null;
      backend.dispose?.();
    },
  };
}
