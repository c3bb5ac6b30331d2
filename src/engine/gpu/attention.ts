// How softmax(scale·Q Kᵀ)·V is dispatched: which kernel, which compiled variant, how the work is
// split. Shared by the forward engine's layers and the trainer's ContraNorm.
//
// - Software adapters (a CPU emulating the GPU) run streaming_softmax.wgsl, whose barrier-light
//   layout suits them; so does every adapter for widths over 64, where Q rows no longer fit the
//   tiled kernel's registers.
// - Hardware adapters run attention_tiled.wgsl, compiled per width (its DKQ/DVQ/TJ override
//   constants, so loops over columns unroll), with the key range split over workgroups along z
//   when N gives too few row blocks to fill the GPU, and the rows split over several dispatches
//   when one would exceed MAX_DISPATCH_FLOPS (a driver's watchdog resets a device whose single
//   dispatch runs for seconds).
import common from '../../../shaders/common.wgsl?raw';
import { KERNELS, STREAM_ROWS, type ForwardKernels, type OverridesOf } from './kernels';
import type { GpuContext } from './device';
import type { Binding, Dispatcher, PipelineVariant } from './recorder';

/** Query rows per workgroup of attention_tiled.wgsl (BR there). */
export const TILED_ROWS = 64;
/** Widest Q/K (and V chunk) the tiled kernel holds in registers. */
export const TILED_MAX_WIDTH = 64;
/** Workgroup memory budget: WebGPU's default maxComputeWorkgroupStorageSize. */
export const WORKGROUP_BUDGET = 16384;
/** Aim for at least this many workgroups per dispatch (a discrete GPU has 30–140 compute units). */
const TARGET_WORKGROUPS = 256;
/** Fewest keys a split takes (two tiles of 32), so the merge stays a small part of the work. */
const MIN_SPLIT_KEYS = 64;
const MAX_SPLITS = 64;
/** About 100 ms of work on a 2 TFLOP/s GPU. */
export const MAX_DISPATCH_FLOPS = 2e10;
/** A fixed softmax maximum m = 1/τ is exact while scores − m ≥ −2/τ stays far from exp's underflow. */
const MAX_FIXED_SPAN = 80;

export interface SoftmaxArgs {
  q: Binding;
  k: Binding;
  v: Binding;
  n: number;
  dk: number;
  dv: number;
  scale: number;
  mask: boolean;
  writeStats: boolean;
  /** Known upper bound of every score (ContraNorm: unit rows, so 1/τ), or null. */
  maxScore: number | null;
  /** Work budget of one dispatch (default MAX_DISPATCH_FLOPS; the tests lower it). */
  maxDispatchFlops?: number;
  rowPtr: Binding;
  colIdx: Binding;
  out: Binding;
  /** N×4 row statistics (m, l, l2). */
  stats: Binding;
}

export interface SplitPlan {
  rowBlocks: number;
  splits: number;
  keysPerSplit: number;
  /** Row blocks per dispatch. */
  blocksPerDispatch: number;
}

export function tiledShape(dk: number, dv: number): { dkq: number; dvq: number; tj: number } {
  const dkq = Math.max(1, Math.ceil(dk / 4));
  const dvq = Math.max(1, Math.min(TILED_MAX_WIDTH / 4, Math.ceil(dv / 4)));
  const tj = Math.min(64, Math.floor(WORKGROUP_BUDGET / 16 / (dkq + dvq)));
  return { dkq, dvq, tj };
}

export function splitPlan(
  n: number,
  dk: number,
  dv: number,
  tj: number,
  maxDispatchFlops = MAX_DISPATCH_FLOPS,
): SplitPlan {
  const rowBlocks = Math.ceil(n / TILED_ROWS);
  let splits = 1;
  if (rowBlocks < TARGET_WORKGROUPS) {
    splits = Math.min(MAX_SPLITS, Math.ceil(TARGET_WORKGROUPS / rowBlocks), Math.floor(n / MIN_SPLIT_KEYS));
    splits = Math.max(1, splits);
  }
  // Whole tiles per split, and no empty split.
  let keysPerSplit = Math.ceil(Math.ceil(n / splits) / tj) * tj;
  splits = Math.ceil(n / keysPerSplit);
  if (splits === 1) keysPerSplit = n;
  const flopsPerBlock = TILED_ROWS * n * 2 * (dk + dv);
  const blocksPerDispatch = Math.max(1, Math.min(65535, Math.floor(maxDispatchFlops / flopsPerBlock)));
  return { rowBlocks, splits, keysPerSplit, blocksPerDispatch };
}

/** Floats of partial results the split plan needs: accumulators, then statistics. */
export function partialFloats(n: number, dv: number, splits: number): { acc: number; stats: number } {
  return splits > 1 ? { acc: splits * n * dv, stats: splits * n * 4 } : { acc: 0, stats: 0 };
}

type TiledOverrides = OverridesOf<ForwardKernels['attentionTiled']>;

/** The tiled kernel's pipelines per width, compiled on first use (and ahead of time by `prepare`). */
export class AttentionVariants {
  private module: GPUShaderModule | null = null;
  private readonly cache = new Map<string, PipelineVariant>();
  private readonly building = new Map<string, Promise<PipelineVariant>>();

  constructor(private readonly ctx: GpuContext) {}

  /** Whether softmax products of these widths use the tiled kernel on this adapter. */
  usesTiled(dk: number): boolean {
    return this.ctx.kernelSet === 'hardware' && dk <= TILED_MAX_WIDTH;
  }

  private descriptor(
    dk: number,
    dv: number,
  ): { key: string; desc: GPUComputePipelineDescriptor; bytes: number } {
    const { dkq, dvq, tj } = tiledShape(dk, dv);
    this.module ??= this.ctx.device.createShaderModule({
      label: 'attention_tiled',
      code: `${common}\n${KERNELS.attentionTiled.source}`,
    });
    return {
      key: `${dkq}/${dvq}/${tj}`,
      bytes: tj * (dkq + dvq) * 16,
      desc: {
        label: `attentionTiled ${dkq}/${dvq}/${tj}`,
        layout: 'auto',
        compute: {
          module: this.module,
          entryPoint: 'main',
          constants: {
            DKQ: dkq,
            DVQ: dvq,
            TJ: tj,
            KTILE: tj * dkq,
            VTILE: tj * dvq,
          } satisfies TiledOverrides,
        },
      },
    };
  }

  /** Compile the variant for these widths without blocking (call before encoding a run). */
  async prepare(dk: number, dv: number): Promise<void> {
    if (!this.usesTiled(dk)) return;
    const { key, desc, bytes } = this.descriptor(dk, dv);
    if (this.cache.has(key)) return;
    let p = this.building.get(key);
    if (!p) {
      p = this.ctx.device.createComputePipelineAsync(desc).then((pipeline) => {
        const v = { pipeline, workgroupBytes: bytes };
        this.cache.set(key, v);
        return v;
      });
      this.building.set(key, p);
    }
    await p;
  }

  get(dk: number, dv: number): PipelineVariant {
    const { key, desc, bytes } = this.descriptor(dk, dv);
    let v = this.cache.get(key);
    if (!v) {
      v = { pipeline: this.ctx.device.createComputePipeline(desc), workgroupBytes: bytes };
      this.cache.set(key, v);
    }
    return v;
  }
}

/** Scratch for split keys: partial accumulators and statistics, grown on demand. */
export class AttentionScratch {
  private acc: GPUBuffer | null = null;
  private stats: GPUBuffer | null = null;

  constructor(private readonly device: GPUDevice) {}

  buffers(floats: { acc: number; stats: number }): { acc: GPUBuffer; stats: GPUBuffer } {
    this.acc = this.atLeast(this.acc, floats.acc, 'attention-partials');
    this.stats = this.atLeast(this.stats, floats.stats, 'attention-partial-stats');
    return { acc: this.acc, stats: this.stats };
  }

  /** `buffer` if it holds `floats` floats, else a new one (16 bytes at least) that replaces it. */
  private atLeast(buffer: GPUBuffer | null, floats: number, label: string): GPUBuffer {
    if (buffer && buffer.size >= floats * 4) return buffer;
    buffer?.destroy();
    return this.device.createBuffer({
      label,
      size: Math.max(16, floats * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  dispose(): void {
    this.acc?.destroy();
    this.stats?.destroy();
    this.acc = this.stats = null;
  }
}

/** Record out = softmax(scale·Q Kᵀ)·V with the kernel and split suited to the adapter and N. */
export function encodeSoftmax(
  rec: Dispatcher<ForwardKernels>,
  variants: AttentionVariants,
  scratch: AttentionScratch,
  a: SoftmaxArgs,
): void {
  const { n, dk, dv } = a;
  const fixedMax =
    a.maxScore !== null && 2 * a.maxScore <= MAX_FIXED_SPAN && a.maxScore > 0 ? a.maxScore : -3.0e38;
  if (!variants.usesTiled(dk)) {
    const rowBlocks = Math.ceil(n / STREAM_ROWS);
    if (rowBlocks > 65535)
      throw new Error(`the streaming softmax supports at most ${65535 * STREAM_ROWS} rows (got ${n})`);
    rec.dispatch(
      'streamingSoftmax',
      { n, dk, dv, mask: a.mask ? 1 : 0, writeStats: a.writeStats ? 1 : 0, scale: a.scale, fixedMax },
      { q: a.q, k: a.k, v: a.v, rowPtr: a.rowPtr, colIdx: a.colIdx, out: a.out, stats: a.stats },
      [rowBlocks, Math.ceil(dv / 64), 1],
    );
    return;
  }
  const variant = variants.get(dk, dv);
  const { tj, dvq } = tiledShape(dk, dv);
  const plan = splitPlan(n, dk, dv, tj, a.maxDispatchFlops);
  const chunks = Math.ceil(dv / (4 * dvq));
  const split = plan.splits > 1;
  const part = split ? scratch.buffers(partialFloats(n, dv, plan.splits)) : null;
  for (let b0 = 0; b0 < plan.rowBlocks; b0 += plan.blocksPerDispatch) {
    const blocks = Math.min(plan.blocksPerDispatch, plan.rowBlocks - b0);
    rec.dispatch(
      'attentionTiled',
      {
        n,
        dk,
        dv,
        mask: a.mask ? 1 : 0,
        writeStats: a.writeStats ? 1 : 0,
        scale: a.scale,
        fixedMax,
        splits: plan.splits,
        keysPerSplit: plan.keysPerSplit,
        rowBlockOffset: b0,
      },
      {
        q: a.q,
        k: a.k,
        v: a.v,
        rowPtr: a.rowPtr,
        colIdx: a.colIdx,
        out: part ? part.acc : a.out,
        stats: part ? part.stats : a.stats,
      },
      [blocks, chunks, plan.splits],
      variant,
    );
  }
  if (part) {
    rec.dispatch1d(
      'attentionCombine',
      { n, dv, splits: plan.splits, writeStats: a.writeStats ? 1 : 0 },
      { partAcc: part.acc, partStats: part.stats, combined: a.out, combinedStats: a.stats },
      n * dv,
    );
  }
}
