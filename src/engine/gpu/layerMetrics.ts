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

/**
 * Floats per chunk of gram.wgsl's output: d means, d residual sums, the Gram's upper triangle
 * (d(d+1)/2 entries) as a (hi, lo) pair.
 */
export function gramChunkFloats(d: number): number {
  return 2 * d + d * (d + 1);
}

/** Workgroups the cooperative Gram aims to keep busy: enough for every SM of a large GPU. */
const GRAM_TARGET_WORKGROUPS = 128;
/** Row tiles per chunk at most: 64 rows each, so that the partial records stay small. */
const GRAM_MAX_SLICES = 16;

/**
 * How gram_cooperative.wgsl cuts an N×d Gram: `slices` row tiles per chunk (a power of two), and
 * the floats of the partial records it folds (the scratch buffer `parts` must hold them).
 */
export function gramSlicing(n: number, d: number): { slices: number; tilePairs: number; partFloats: number } {
  const chunks = Math.ceil(n / METRIC_CHUNK);
  const tiles = Math.ceil(d / 64);
  const tilePairs = (tiles * (tiles + 1)) / 2;
  let slices = 1;
  while (
    slices < GRAM_MAX_SLICES &&
    chunks * tilePairs * slices < GRAM_TARGET_WORKGROUPS &&
    chunks * slices * 2 <= 65535
  )
    slices *= 2;
  return { slices, tilePairs, partFloats: chunks * slices * d * (d + 1) };
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
  /** Scratch for the cooperative Gram's partial records (gramSlicing's partFloats); without it the tiled Gram runs. */
  gramParts?: GPUBuffer;
}

/** Which Gram kernels run: gramRows, the one-pass tiled gram, or gram_cooperative.wgsl. */
export type GramVariant = 'auto' | 'rows' | 'tiled' | 'cooperative';

/**
 * `variant` forces the Gram kernel (tests); 'auto' picks by kernel set and width, as encodeMatmul
 * does. The per-row and chunk kernels follow the recorder's kernel set: on hardware GPUs the
 * cooperative forms (lanes sharing rows, workgroup trees), on software adapters one lane a row or
 * a slot, without barriers.
 */
export function encodeLayerMetrics(
  rec: Recorder,
  h: Binding,
  n: number,
  d: number,
  layout: MetricLayout,
  b: MetricBuffers,
  variant: GramVariant = 'auto',
): void {
  const rowsParams = { n, d, hasGraph: b.hasGraph ? 1 : 0 };
  const rowsBuffers = { h, rowPtr: b.graphRowPtr, colIdx: b.graphColIdx, rows: b.rows };
  const chunkParams = { n, d, chunks: layout.chunks, offset: layout.rowsOffset };
  const chunkBuffers = { h, rows: b.rows, out: b.out };
  if (rec.kernelSet === 'hardware') {
    // 16 lanes a row, 16 rows a workgroup.
    rec.dispatch1d('metricRowsCoop', rowsParams, rowsBuffers, n * 4);
    if (layout.chunks > 65535) throw new Error(`metric reduction too large (N = ${n})`);
    rec.dispatch('metricChunksCoop', chunkParams, chunkBuffers, [Math.ceil((d + 3) / 16), layout.chunks, 1]);
  } else {
    rec.dispatch1d('metricRows', rowsParams, rowsBuffers, n);
    rec.dispatch1d('metricChunks', chunkParams, chunkBuffers, layout.chunks * (d + 3));
  }
  encodeGram(rec, h, n, d, layout.chunks, layout.gramOffset, b.out, variant, b.gramParts);
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
  variant: GramVariant = 'auto',
  parts?: GPUBuffer,
): void {
  const params = { n, d, chunks, offset };
  const tiles = Math.ceil(d / 64);
  if (chunks > 65535 || tiles * tiles > 65535)
    throw new Error(`Gram reduction too large (N = ${n}, d = ${d})`);
  if (variant === 'cooperative' || (variant === 'auto' && rec.kernelSet === 'hardware' && parts)) {
    if (!parts) throw new Error('the cooperative Gram needs its scratch buffer');
    const { slices, tilePairs } = gramSlicing(n, d);
    const coop = { ...params, slices };
    rec.dispatch('gramMeansCoop', coop, { h, out }, [Math.ceil(d / 16), chunks, 1]);
    rec.dispatch('gramSlices', coop, { h, out, parts }, [tilePairs, chunks * slices, 1]);
    rec.dispatch1d('gramFold', coop, { out, parts }, (chunks * d * (d + 1)) / 2);
    return;
  }
  rec.dispatch1d('gramMeans', params, { h, out }, chunks * d);
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
  const tri = (d * (d + 1)) / 2;
  // Adds G_k + r vᵀ + v rᵀ + rows·v vᵀ into the upper triangle of `into`: the Gram of the chunk's
  // rows shifted by v. G_k's packed triangle is read in order (row a holds columns a..d−1).
  const addShifted = (into: Float64Array, k: number, v: Float64Array, r: Float64Array) => {
    const rows = rowsOf(k);
    let o = gramOffset + k * stride + 2 * d;
    for (let a = 0; a < d; a++) {
      const va = v[a]!;
      const ra = r[a]!;
      for (let c = a; c < d; c++, o++) {
        into[a * d + c] += data[o]! + data[o + tri]! + ra * v[c]! + va * r[c]! + rows * va * v[c]!;
      }
    }
  };
  const mirror = (m: Float64Array) => {
    for (let a = 0; a < d; a++) for (let c = 0; c < a; c++) m[a * d + c] = m[c * d + a]!;
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
  mirror(gram);
  mirror(centeredGram);
  return { gram, centeredGram, colSum };
}
