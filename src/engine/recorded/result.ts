// A recorded stack as the engines' RunResult: every layer's metrics and spectrum computed by the
// same code the CPU engines use (computeLayerSums + finishMetrics), so the depth view draws a
// recording exactly as it draws a computed stack.

import { defaultConfig } from '../config';
import { finishMetrics, ROW_NORM_EPS } from '../metrics';
import { computeLayerSums, countNonFinite } from '../reference/layerSums';
import type { AttentionSums } from '../reference/ops';
import { nonFiniteWarning } from '../warnings';
import type { Dataset, EngineConfig, LayerResult, RunResult } from '../types';

export type { RecordedInfo } from '../types';
import { Fingerprint } from '../../data/parse/common';
import type { FloatArray, RecordedStack, Recording } from './format';

/** The sums of the attention map's unit rows (SPEC §2, attention similarity), from P (N×N). */
export function attentionSums(p: FloatArray, n: number): AttentionSums {
  const unitColSum = new Float64Array(n);
  let unitRowCount = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let j = 0; j < n; j++) sq += p[i * n + j] * p[i * n + j];
    const inv = 1 / Math.max(Math.sqrt(sq), ROW_NORM_EPS);
    for (let j = 0; j < n; j++) unitColSum[j] += p[i * n + j] * inv;
    unitRowCount += sq * inv * inv;
  }
  return { unitColSum, unitRowCount };
}

/** An id for the recording's data (layer 0 of its first stack, labels, graph): equal contents, equal ids. */
export function recordingId(rec: Recording): string {
  const f = new Fingerprint();
  const h0 = rec.stacks[0].layers[0];
  f.bytes(new Uint8Array(h0.buffer, h0.byteOffset, h0.byteLength));
  if (rec.labels) f.bytes(new Uint8Array(rec.labels.buffer, rec.labels.byteOffset, rec.labels.byteLength));
  if (rec.graph)
    f.bytes(
      new Uint8Array(rec.graph.colIdx.buffer, rec.graph.colIdx.byteOffset, rec.graph.colIdx.byteLength),
    );
  f.text(rec.files.join('\n'));
  return `recorded:${f.hex()}`;
}

/** The recording's inputs as a data set, so that a computed panel can run on the same tokens or nodes. */
export function recordingDataset(rec: Recording, id = recordingId(rec)): Dataset {
  const first = rec.stacks[0];
  const h0 = first.layers[0];
  return {
    id,
    name: rec.files.length === 1 ? rec.files[0] : `${rec.files[0]} + ${rec.files.length - 1} more`,
    n: rec.n,
    featureDim: first.widths[0],
    features: h0 instanceof Float32Array ? h0.slice() : Float32Array.from(h0),
    ...(rec.graph ? { graph: rec.graph } : {}),
    ...(rec.labels ? { labels: rec.labels, numClasses: rec.numClasses } : {}),
  };
}

/**
 * One stack's RunResult. Its config names the recording's data set (`datasetId`) and says what is
 * known (layer count, width, GNN when there is a graph); the normalization and weights are the model's
 * own, not the page's, which `recorded` says.
 */
export function recordedRunResult(
  rec: Recording,
  stack: RecordedStack,
  datasetId: string,
  options: { centeredSpectrum?: boolean } = {},
): RunResult {
  const started = performance.now();
  const centered = options.centeredSpectrum ?? false;
  const n = rec.n;
  const lastLayer = stack.layers.length - 1;
  const base = defaultConfig();
  const config: EngineConfig = {
    ...base,
    dataset: { kind: 'loaded', id: datasetId },
    model: rec.graph ? 'gnn' : 'transformer',
    layers: lastLayer,
    hidden: stack.widths[lastLayer],
    norm: { ...base.norm, kind: 'none' },
    centeredSpectrum: centered,
  };
  const graph = rec.graph ?? undefined;
  const layers: LayerResult[] = stack.layers.map((h, l) => {
    const width = stack.widths[l];
    const p = l > 0 && stack.attention ? stack.attention[l - 1] : null;
    const sums = computeLayerSums(h, n, width, {
      graph,
      centered,
      attention: p ? attentionSums(p, n) : null,
    });
    return {
      index: l,
      features: h,
      width,
      metrics: finishMetrics(sums, centered),
      nonFinite: countNonFinite(h),
    };
  });
  const bad = layers.find((l) => l.nonFinite > 0);
  const firstNonFinite = bad ? bad.index : null;
  return {
    config,
    engine: 'cpu',
    n,
    layers,
    firstNonFinite,
    warnings: bad ? [nonFiniteWarning(bad.index, bad.nonFinite)] : [],
    computedLayers: layers.length,
    timeMs: performance.now() - started,
    recorded: {
      model: stack.name,
      files: rec.files,
      n,
      d: stack.widths[lastLayer],
      widths: stack.widths,
      layers: lastLayer,
    },
  };
}
