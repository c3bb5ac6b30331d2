// Encoding of the per-layer metric reductions on the GPU, and their float64 finish on the host.
// The GPU reduces N rows to chunk sums (gram.wgsl, metric_rows.wgsl, metric_chunks.wgsl,
// attention_colsum.wgsl); the host adds the chunks in float64 into LayerSums, and the formulas
// shared with the reference engine (../metrics.ts) turn those into metrics.
import { METRIC_CHUNK } from './kernels';
import { ROWS_KERNEL_MAX_WIDTH } from './layers';
import type { Binding, Recorder } from './recorder';
import type { LayerSums } from '../metrics';

export interface MetricLayout {
  chunks: number;
  gramOffset: number;
  rowsOffset: number;
  /** Offset of the attention column sums (N floats), or −1 without attention. */
  attentionOffset: number;
  /** Floats this layer occupies in the metrics buffer. */
  size: number;
}

/** Floats per chunk of gram.wgsl's output: d means, d residual sums, the Gram as a (hi, lo) pair. */
export function gramChunkFloats(d: number): number {
  return 2 * d + 2 * d * d;
}

export function metricLayout(n: number, d: number, attention: boolean, offset: number): MetricLayout {
  const chunks = Math.ceil(n / METRIC_CHUNK);
  const gramOffset = offset;
  const rowsOffset = gramOffset + chunks * gramChunkFloats(d);
  const attentionOffset = attention ? rowsOffset + chunks * (d + 3) : -1;
  const end = attention ? attentionOffset + n : rowsOffset + chunks * (d + 3);
  return { chunks, gramOffset, rowsOffset, attentionOffset, size: end - offset };
}

export interface MetricBuffers {
  rows: GPUBuffer;
  out: GPUBuffer;
  graphRowPtr: Binding;
  graphColIdx: Binding;
  hasGraph: boolean;
}

/** `variant` forces the Gram kernel (tests); 'auto' picks by width, as encodeMatmul does. */
export function encodeLayerMetrics(
  rec: Recorder,
  h: Binding,
  n: number,
  d: number,
  layout: MetricLayout,
  b: MetricBuffers,
  variant: 'auto' | 'rows' | 'tiled' = 'auto',
): void {
  rec.dispatch1d(
    'metricRows',
    { n, d, hasGraph: b.hasGraph ? 1 : 0 },
    { h, rowPtr: b.graphRowPtr, colIdx: b.graphColIdx, rows: b.rows },
    n,
  );
  rec.dispatch1d(
    'metricChunks',
    { n, d, chunks: layout.chunks, offset: layout.rowsOffset },
    { h, rows: b.rows, out: b.out },
    layout.chunks * (d + 3),
  );
  encodeGram(rec, h, n, d, layout.chunks, layout.gramOffset, b.out, variant);
}

/** gram.wgsl's chunk records of the N×d matrix h at `offset` of `out` (column means, then the Gram). */
export function encodeGram(
  rec: Recorder,
  h: Binding,
  n: number,
  d: number,
  chunks: number,
  offset: number,
  out: Binding,
  variant: 'auto' | 'rows' | 'tiled' = 'auto',
): void {
  const params = { n, d, chunks, offset };
  rec.dispatch1d('gramMeans', params, { h, out }, chunks * d);
  const tiles = Math.ceil(d / 64);
  if (chunks > 65535 || tiles * tiles > 65535)
    throw new Error(`Gram reduction too large (N = ${n}, d = ${d})`);
  if (
    variant === 'rows' ||
    (variant === 'auto' && rec.kernelSet === 'software' && d <= ROWS_KERNEL_MAX_WIDTH)
  ) {
    rec.dispatch1d('gramRows', params, { h, out }, chunks * d * Math.ceil(d / 4));
  } else {
    rec.dispatch('gram', params, { h, out }, [tiles * tiles, chunks, 1]);
  }
}

/** Sum the chunk records of one layer (read back as float32) into float64 LayerSums. */
export function layerSumsFromChunks(
  data: Float32Array,
  layout: MetricLayout,
  n: number,
  d: number,
  hasGraph: boolean,
  centered: boolean,
): { sums: LayerSums; nonFinite: number } {
  const { gram, centeredGram, colSum } = combineGramChunks(data, layout.gramOffset, layout.chunks, n, d);
  let sumSq = 0;
  let centeredSumSq = 0;
  for (let a = 0; a < d; a++) {
    sumSq += gram[a * d + a]!;
    centeredSumSq += centeredGram[a * d + a]!;
  }

  const unitColSum = new Float64Array(d);
  let unitRowCount = 0;
  let nonFinite = 0;
  let dirichlet = 0;
  for (let k = 0; k < layout.chunks; k++) {
    const base = layout.rowsOffset + k * (d + 3);
    for (let a = 0; a < d; a++) unitColSum[a] += data[base + a]!;
    unitRowCount += data[base + d]!;
    nonFinite += data[base + d + 1]!;
    dirichlet += data[base + d + 2]!;
  }

  let attention: LayerSums['attention'] = null;
  if (layout.attentionOffset >= 0) {
    const c = new Float64Array(n);
    for (let j = 0; j < n; j++) c[j] = data[layout.attentionOffset + j]!;
    attention = { unitColSum: c, unitRowCount: n };
  }

  return {
    sums: {
      n,
      d,
      gram: centered ? centeredGram : gram,
      colSum,
      unitColSum,
      unitRowCount,
      sumSq,
      centeredSumSq,
      dirichletSum: hasGraph ? dirichlet : null,
      attention,
    },
    nonFinite,
  };
}

/**
 * The chunk records of gram.wgsl at `gramOffset` (read back as float32) added in float64: the
 * Gram HᵀH, the column-centered Gram and the column sums of the N×d matrix they reduced.
 */
export function combineGramChunks(
  data: Float32Array,
  gramOffset: number,
  chunks: number,
  n: number,
  d: number,
): { gram: Float64Array; centeredGram: Float64Array; colSum: Float64Array } {
  // Per chunk k (gram.wgsl): the float32 mean m_k it centred with, r_k = Σ (H_i − m_k), and
  // G_k = Σ (H_i − m_k)(H_i − m_k)ᵀ as hi + lo. All sums below are exact identities in m_k, r_k, G_k,
  // so the rounding of m_k costs nothing; see gram.wgsl for why G_k is a float-float pair.
  const gram = new Float64Array(d * d);
  const centeredGram = new Float64Array(d * d);
  const colSum = new Float64Array(d);
  const stride = gramChunkFloats(d);
  const rowsOf = (k: number) => Math.min(METRIC_CHUNK, n - k * METRIC_CHUNK);
  const block = (k: number, a: number, c: number) => {
    const o = gramOffset + k * stride + 2 * d + a * d + c;
    return data[o]! + data[o + d * d]!;
  };
  // Adds G_k + r vᵀ + v rᵀ + rows·v vᵀ into `into`: the Gram of the chunk's rows shifted by v.
  const addShifted = (into: Float64Array, k: number, v: Float64Array, r: Float64Array) => {
    const rows = rowsOf(k);
    for (let a = 0; a < d; a++) {
      for (let c = 0; c < d; c++) {
        into[a * d + c] += block(k, a, c) + r[a]! * v[c]! + v[a]! * r[c]! + rows * v[a]! * v[c]!;
      }
    }
  };
  const means: Float64Array[] = [];
  const residuals: Float64Array[] = [];
  for (let k = 0; k < chunks; k++) {
    const base = gramOffset + k * stride;
    const m = Float64Array.from(data.subarray(base, base + d));
    const r = Float64Array.from(data.subarray(base + d, base + 2 * d));
    for (let a = 0; a < d; a++) colSum[a] += rowsOf(k) * m[a]! + r[a]!;
    means.push(m);
    residuals.push(r);
    addShifted(gram, k, m, r);
  }
  const gamma = colSum.map((s) => s / n);
  for (let k = 0; k < chunks; k++) {
    const delta = means[k]!.map((v, a) => v - gamma[a]!);
    addShifted(centeredGram, k, delta, residuals[k]!);
  }
  return { gram, centeredGram, colSum };
}
