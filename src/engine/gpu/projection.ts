// The embedding picture on the GPU (the definition is src/math/projection.ts): per layer the GPU
// row-normalizes H into U = rn(H), reduces U's covariance to chunk sums that come back with the
// group's metrics (metric-sized: d×d), and keeps U. The host solves the top two axes in float64
// while the next group computes, and a later command buffer projects the kept U on them
// (project2.wgsl), so each layer's picture comes back as N×2 floats, aligned on the host.
//
// Why the host solves the axes (and not one GPU workgroup): the solve is an iterative float64
// eigen-problem warm-started from the previous layer, whose result must match the page's float64
// definition; on the host it runs off the critical path (the GPU is busy with the next group
// meanwhile) and costs no extra round trip, because the projection rides in the next command
// buffer the pipelined loop submits anyway. Only the last two groups need one more submit and
// map at the end of a run.
//
// Kept U: group g's rows are projected in group g + 2's command buffer (group g + 1 is submitted
// before group g's sums are read), so three buffers rotate by group.
import { METRIC_CHUNK } from './kernels';
import { combineGramChunks, encodeGram, gramChunkFloats } from './layerMetrics';
import { GrowBuffer } from './staging';
import type { Recorder } from './recorder';
import type { Axes } from '../../math/projection';

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const KEPT_SLOTS = 3;

/** Where one layer's covariance chunk sums sit in the group's metrics buffer. */
export interface CovarianceLayout {
  offset: number;
  chunks: number;
  size: number;
}

export function covarianceLayout(n: number, d: number, offset: number): CovarianceLayout {
  const chunks = Math.ceil(n / METRIC_CHUNK);
  return { offset, chunks, size: chunks * gramChunkFloats(d) };
}

/** The covariance Σ (U_i − ū)(U_i − ū)ᵀ (d×d, float64) from the chunk sums read back. */
export function covarianceFromChunks(
  data: Float32Array,
  layout: CovarianceLayout,
  n: number,
  d: number,
): Float64Array {
  return combineGramChunks(data, layout.offset, layout.chunks, n, d).centeredGram;
}

/** A layer whose U is kept on the GPU, waiting for its axes or its projection. */
export interface KeptLayer {
  layer: number;
  width: number;
  buffer: GPUBuffer;
  /** Floats from the start of `buffer`. */
  offset: number;
  axes?: Axes;
}

/** One group's coordinates in its staging buffer: layer → float offset in the coords region. */
export interface CoordsReadback {
  layers: { layer: number; offset: number }[];
  bytes: number;
}

export class GpuProjection {
  private readonly kept: GrowBuffer[];
  private readonly axes: GrowBuffer;
  private readonly coords: GrowBuffer;

  constructor(private readonly device: GPUDevice) {
    this.kept = Array.from({ length: KEPT_SLOTS }, () => new GrowBuffer(device, 'kept-rn', STORAGE));
    this.axes = new GrowBuffer(device, 'projection-axes', STORAGE);
    this.coords = new GrowBuffer(device, 'projection-coords', STORAGE);
  }

  /** Byte offsets (256-aligned, a storage binding rule) of each layer's U in the group's kept buffer. */
  static keptOffsets(n: number, widths: number[]): { offsets: number[]; bytes: number } {
    const offsets: number[] = [];
    let bytes = 0;
    for (const w of widths) {
      offsets.push(bytes);
      bytes += Math.ceil((n * w * 4) / 256) * 256;
    }
    return { offsets, bytes: Math.max(256, bytes) };
  }

  /** Grow every buffer to what groups of up to `layers` layers of width ≤ `width` need. */
  presize(n: number, width: number, layers: number): void {
    const perLayer = Math.ceil((n * width * 4) / 256) * 256;
    this.kept.forEach((k) => k.get(layers * perLayer));
    // At the end of a run the last two groups are projected together.
    this.axes.get(Math.max(256, 2 * layers * Math.ceil((2 * width) / 4) * 16));
    this.coords.get(Math.max(256, 2 * layers * 2 * n * 4));
  }

  /** The kept buffer of group `groupIndex` (of this run), holding at least `bytes`. */
  keptBuffer(groupIndex: number, bytes: number): GPUBuffer {
    return this.kept[groupIndex % KEPT_SLOTS]!.get(bytes);
  }

  /** rn(h) into the kept buffer at `byteOffset`, and its covariance chunk sums into `metrics`. */
  encodeSums(
    rec: Recorder,
    h: GPUBuffer,
    n: number,
    d: number,
    kept: GPUBuffer,
    byteOffset: number,
    metrics: GPUBuffer,
    layout: CovarianceLayout,
    /** The cooperative Gram's scratch (hardware kernel set). */
    gramParts?: GPUBuffer,
  ): void {
    const size = Math.max(16, n * d * 4);
    const u = { buffer: kept, offset: byteOffset, size };
    rec.dispatch1d('rownorm', { n, d }, { h, out: u }, n);
    encodeGram(rec, u, n, d, layout.chunks, layout.offset, metrics, 'auto', gramParts);
  }

  /**
   * Project every layer of `ready` (axes known) into the coords buffer and copy the coordinates
   * into `staging` at `stagingOffset`. Returns where each layer's coordinates land.
   */
  encodeProject(
    rec: Recorder,
    n: number,
    ready: KeptLayer[],
    staging: GPUBuffer,
    stagingOffset: number,
  ): CoordsReadback {
    if (ready.length === 0) return { layers: [], bytes: 0 };
    // Axes a then b of each layer, every layer's pair starting on a vec4 boundary.
    const axesOffsets: number[] = [];
    let floats = 0;
    for (const k of ready) {
      axesOffsets.push(floats);
      floats += Math.ceil((2 * k.width) / 4) * 4;
    }
    const axesData = new Float32Array(floats);
    ready.forEach((k, i) => {
      axesData.set(k.axes![0], axesOffsets[i]!);
      axesData.set(k.axes![1], axesOffsets[i]! + k.width);
    });
    const axesBuf = this.axes.get(Math.max(256, floats * 4));
    this.device.queue.writeBuffer(axesBuf, 0, axesData);
    const coordsBytes = ready.length * 2 * n * 4;
    const out = this.coords.get(Math.max(256, coordsBytes));
    const layers: CoordsReadback['layers'] = [];
    ready.forEach((k, i) => {
      const outOffset = i * 2 * n;
      // vec4 loads need the row starts on vec4 boundaries (the axes' are, by the layout above).
      const vec4 = k.width % 4 === 0 && k.offset % 4 === 0;
      rec.dispatch1d(
        vec4 ? 'projectRows4' : 'projectRows',
        { n, d: k.width, uOffset: k.offset, axesOffset: axesOffsets[i]!, outOffset },
        { u: k.buffer, axes: axesBuf, out },
        Math.ceil(n / 4) * 64, // four rows per 64-lane workgroup
      );
      layers.push({ layer: k.layer, offset: outOffset });
    });
    rec.copy(out, 0, staging, stagingOffset, coordsBytes);
    return { layers, bytes: coordsBytes };
  }

  destroy(): void {
    this.kept.forEach((k) => k.destroy());
    this.axes.destroy();
    this.coords.destroy();
  }
}
