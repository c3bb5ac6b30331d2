// Runs single kernels of the GPU engine on test inputs: upload, dispatch through the engine's
// own Recorder and LayerEncoder, read back. Used by the kernel-level cases only.
import type { GpuEngine } from '../../../src/engine/gpu/engine';
import { Recorder } from '../../../src/engine/gpu/recorder';
import { LayerEncoder, type LayerBuffers } from '../../../src/engine/gpu/layers';
import { COLUMN_CHUNK } from '../../../src/engine/gpu/kernels';
import { propagationCsr } from '../../../src/engine/gpu/graphBuffers';
import { AttentionScratch, AttentionVariants } from '../../../src/engine/gpu/attention';
import type { Adjacency, Dataset, EngineConfig } from '../../../src/engine/types';

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

export class GpuOps {
  private owned: GPUBuffer[] = [];
  readonly rec: Recorder;

  private readonly attention: { variants: AttentionVariants; scratch: AttentionScratch };

  /** `kernelSet` picks the softmax/matmul/Gram kernels as on that kind of adapter. */
  constructor(
    readonly engine: GpuEngine,
    kernelSet: 'software' | 'hardware' = engine.context.kernelSet,
  ) {
    const ctx = { ...engine.context, kernelSet };
    this.rec = new Recorder(ctx, engine.pipelines);
    this.attention = { variants: new AttentionVariants(ctx), scratch: new AttentionScratch(ctx.device) };
  }

  get device(): GPUDevice {
    return this.engine.context.device;
  }

  buffer(bytes: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: STORAGE });
    this.owned.push(b);
    return b;
  }

  upload(data: Float32Array | Uint32Array): GPUBuffer {
    const b = this.buffer(data.byteLength);
    if (data.byteLength) this.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  /** Submit what was recorded and read `floats` floats of `buf`. */
  async read(buf: GPUBuffer, floats: number, offsetFloats = 0): Promise<Float32Array> {
    const staging = this.device.createBuffer({
      size: Math.max(16, floats * 4),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.rec.copy(buf, offsetFloats * 4, staging, 0, floats * 4);
    this.device.pushErrorScope('validation');
    this.rec.submit();
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`GPU validation error: ${err.message}`);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return out;
  }

  /** A LayerEncoder over n rows of width up to `width`, with the graph (if any) uploaded. */
  layerEncoder(
    n: number,
    width: number,
    config: EngineConfig,
    graph?: Dataset['graph'],
    adjacency: Adjacency = 'rw',
  ) {
    const bytes = n * width * 4;
    const pool = Array.from({ length: 9 }, () => this.buffer(bytes));
    const chunks = Math.ceil(n / COLUMN_CHUNK);
    let prop: LayerBuffers['prop'] = null;
    let g: LayerBuffers['graph'];
    if (graph) {
      const csr = propagationCsr(graph, n, adjacency);
      prop = {
        rowPtr: this.upload(csr.rowPtr),
        colIdx: this.upload(csr.colIdx),
        vals: this.upload(csr.vals),
      };
      g = { rowPtr: this.upload(graph.rowPtr), colIdx: this.upload(graph.colIdx) };
    } else {
      g = { rowPtr: this.upload(new Uint32Array(n + 1)), colIdx: this.buffer(16) };
    }
    const buffers: LayerBuffers = {
      n,
      pool,
      prop,
      graph: g,
      stats: this.buffer(n * 16),
      columnPartials: this.buffer(chunks * width * 8),
      columnStats: this.buffer((2 * width + 1) * 4),
      attention: this.attention,
    };
    return { encoder: new LayerEncoder(this.rec, buffers, config), buffers };
  }

  dispose(): void {
    this.attention.scratch.dispose();
    this.owned.forEach((b) => b.destroy());
    this.owned = [];
  }
}

/** Largest |a − b| and the largest |b| (the scale tolerances are stated against). */
export function compare(
  gpu: ArrayLike<number>,
  ref: ArrayLike<number>,
): { maxAbsErr: number; scale: number; length: number; nonFinite: number } {
  if (gpu.length < ref.length) throw new Error(`length mismatch: gpu ${gpu.length} < ref ${ref.length}`);
  let maxAbsErr = 0;
  let scale = 0;
  let nonFinite = 0;
  for (let i = 0; i < ref.length; i++) {
    const g = gpu[i]!;
    const r = ref[i]!;
    if (!Number.isFinite(g) || !Number.isFinite(r)) {
      if (!(Number.isNaN(g) && Number.isNaN(r)) && g !== r) nonFinite++;
      continue;
    }
    maxAbsErr = Math.max(maxAbsErr, Math.abs(g - r));
    scale = Math.max(scale, Math.abs(r));
  }
  return { maxAbsErr, scale, length: ref.length, nonFinite };
}
