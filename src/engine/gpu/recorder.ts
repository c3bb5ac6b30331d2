// Records a batch of kernel dispatches and copies, then encodes and submits them in one command
// buffer: one uniform buffer holds every dispatch's params (256-byte slots), and consecutive
// dispatches share one compute pass (WebGPU orders storage writes between dispatches).
// Generic over a kernel table, so the trainer (src/training/gpu) records its own kernels with it.
//
// What outlives one submit lives in a GpuSession (one per engine or trainer): the uniform buffer,
// the bind groups (cached by pipeline, uniform slot and bound buffer ranges, so a second run of
// the same shapes creates none), the counters of HostStats and, for the benchmark, per-kernel GPU
// times from 'timestamp-query'. Reusing the uniform buffer across submits is safe: a
// queue.writeBuffer is ordered after every command buffer submitted before it.
import {
  hostBufferNames,
  KERNELS,
  packParams,
  type Binding,
  type BuffersOf,
  type KernelName,
  type KernelTable,
  type ParamsOf,
} from './kernels';
import type { GpuContext } from './device';
import { KernelProfile } from './profile';

const SLOT = 256;
const WG = 64;

export type { Binding } from './kernels';

/** What the host did for one run: the measures of cost that do not depend on the adapter's speed. */
export interface HostStats {
  dispatches: number;
  submits: number;
  /** Awaited GPU→host round trips (buffer maps, error-scope pops) on the run's critical path. */
  awaitedRoundTrips: number;
  readbackBytes: number;
  bindGroupsCreated: number;
  /** Host time on the critical path: the run's wall time minus the time spent awaiting the GPU. */
  hostMs: number;
  /** The largest workgroup memory of any kernel dispatched. */
  maxWorkgroupStorageBytes: number;
  /** Layers whose float64 finishing (eigenvalues, axes) ran on a solver thread, off the loop's. */
  offThreadLayers: number;
}

export function emptyHostStats(): HostStats {
  return {
    dispatches: 0,
    submits: 0,
    awaitedRoundTrips: 0,
    readbackBytes: 0,
    bindGroupsCreated: 0,
    hostMs: 0,
    maxWorkgroupStorageBytes: 0,
    offThreadLayers: 0,
  };
}

const MAX_CACHED_BIND_GROUPS = 8192;

/** Per-engine state shared by every recorder of that engine. */
export class GpuSession {
  stats: HostStats = emptyHostStats();
  /** Set (by the benchmark) to collect per-kernel GPU times; needs a device with timestamp-query. */
  profile: KernelProfile | null = null;
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private uniform: GPUBuffer | null = null;

  constructor(readonly ctx: GpuContext) {}

  id(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  /** The uniform buffer, grown (never shrunk) to at least `bytes`. */
  uniformBuffer(bytes: number): GPUBuffer {
    if (!this.uniform || this.uniform.size < bytes) {
      this.uniform?.destroy();
      this.bindGroups.clear(); // they bind the old buffer
      this.uniform = this.ctx.device.createBuffer({
        label: 'kernel-params',
        size: Math.max(bytes, 64 * SLOT),
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
    }
    return this.uniform;
  }

  /**
   * Grow the uniform buffer at once to `slots` dispatches' parameters: grown in the middle of a run
   * (as its groups of layers double), it would clear the cached bind groups, and the next run of
   * the same shapes would create them all again.
   */
  reserveUniformSlots(slots: number): void {
    this.uniformBuffer(slots * SLOT);
  }

  bindGroup(key: string, make: () => GPUBindGroup): GPUBindGroup {
    let bg = this.bindGroups.get(key);
    if (!bg) {
      if (this.bindGroups.size >= MAX_CACHED_BIND_GROUPS) this.bindGroups.clear();
      bg = make();
      this.stats.bindGroupsCreated++;
      this.bindGroups.set(key, bg);
    }
    return bg;
  }

  /** Forget cached bind groups (their buffers are being destroyed). */
  clearBindGroups(): void {
    this.bindGroups.clear();
  }

  dispose(): void {
    this.bindGroups.clear();
    this.uniform?.destroy();
    this.uniform = null;
  }
}

type Command<Name extends string> =
  | {
      kind: 'dispatch';
      name: Name;
      pipeline: GPUComputePipeline;
      slot: number;
      buffers: (Binding | null)[];
      groups: [number, number, number];
    }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number };

/** A pipeline built from a table kernel with other override constants, and its workgroup memory. */
export interface PipelineVariant {
  pipeline: GPUComputePipeline;
  workgroupBytes: number;
}

/** A dispatch's kernel, its uniform values and its buffers, typed from the kernel's table entry. */
export type KernelCall<Specs extends KernelTable, Name extends keyof Specs & string> = [
  name: Name,
  values: ParamsOf<Specs[Name]>,
  buffers: BuffersOf<Specs[Name]>,
];

/**
 * What encoders record through: dispatches of the kernels of `Specs`, each checked at compile
 * time against its table entry (a missing or misspelt param or buffer name does not compile).
 * An encoder that takes a `Dispatcher<ForwardKernels>` accepts the trainer's recorder too, whose
 * table holds the forward's kernels unchanged.
 */
export interface Dispatcher<Specs extends KernelTable> {
  /** The kernel set of the device this recorder encodes for ('software' or 'hardware'). */
  readonly kernelSet: GpuContext['kernelSet'];
  /** Dispatch over `threads` invocations of a 64-wide 1-D kernel, folded into 2-D past 65535 groups. */
  dispatch1d<Name extends keyof Specs & string>(...call: [...KernelCall<Specs, Name>, threads: number]): void;
  /** Dispatch a table kernel; `variant` runs the same kernel compiled with other override constants. */
  dispatch<Name extends keyof Specs & string>(
    ...call: [...KernelCall<Specs, Name>, groups: [number, number, number], variant?: PipelineVariant]
  ): void;
}

/** Records dispatches of the kernels in the table `Specs`, and copies, then submits them at once. */
export class KernelRecorder<Specs extends KernelTable> implements Dispatcher<Specs> {
  private commands: Command<keyof Specs & string>[] = [];
  private params: Array<{ name: keyof Specs & string; values: Record<string, number> }> = [];
  /** Each kernel's buffers by host name, in binding order (null: unused). */
  private readonly bufferNames: Record<string, (string | null)[]> = {};
  readonly session: GpuSession;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pipelines: Record<keyof Specs, GPUComputePipeline>,
    private readonly specs: Specs,
    session?: GpuSession,
    /** Workgroup memory of each table kernel as compiled (for HostStats). */
    private readonly workgroupBytes: Partial<Record<keyof Specs, number>> = {},
  ) {
    this.session = session ?? new GpuSession(ctx);
    for (const [name, spec] of Object.entries(specs)) this.bufferNames[name] = hostBufferNames(spec);
  }

  get size(): number {
    return this.commands.length;
  }

  get kernelSet(): GpuContext['kernelSet'] {
    return this.ctx.kernelSet;
  }

  dispatch1d<Name extends keyof Specs & string>(
    ...call: [...KernelCall<Specs, Name>, threads: number]
  ): void {
    const [name, values, buffers, threads] = call;
    const max = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    this.dispatch(name, values, buffers, fold(Math.ceil(threads / WG), max));
  }

  dispatch<Name extends keyof Specs & string>(
    ...call: [...KernelCall<Specs, Name>, groups: [number, number, number], variant?: PipelineVariant]
  ): void {
    const [name, values, buffers, groups, variant] = call;
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const max = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    if (groups.some((g) => g > max))
      throw new Error(`dispatch of ${name} exceeds ${max} workgroups per dimension`);
    const byName: Partial<Record<string, Binding>> = buffers;
    const list = this.bufferNames[name]!.map((b) => {
      if (b === null) return null;
      const buf = byName[b];
      if (!buf) throw new Error(`kernel ${name}: buffer ${b} missing`);
      return buf;
    });
    const stats = this.session.stats;
    stats.dispatches++;
    const bytes = variant ? variant.workgroupBytes : (this.workgroupBytes[name] ?? 0);
    stats.maxWorkgroupStorageBytes = Math.max(stats.maxWorkgroupStorageBytes, bytes);
    this.params.push({ name, values });
    this.commands.push({
      kind: 'dispatch',
      name,
      pipeline: variant?.pipeline ?? this.pipelines[name],
      slot: this.params.length - 1,
      buffers: list,
      groups,
    });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size > 0) this.commands.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  /** Encode everything recorded so far and submit it; the recorder is empty afterwards. */
  submit(): void {
    const { device } = this.ctx;
    if (this.commands.length === 0) return;
    const session = this.session;
    const uniformBytes = Math.max(SLOT, this.params.length * SLOT);
    const uniform = session.uniformBuffer(uniformBytes);
    const data = new ArrayBuffer(uniformBytes);
    const view = new DataView(data);
    this.params.forEach((p, i) => packParams(this.specs[p.name], p.values, view, i * SLOT));
    device.queue.writeBuffer(uniform, 0, data);
    const uniformId = session.id(uniform);

    const profile = session.profile && this.ctx.timestamps ? session.profile : null;
    const timed = profile ? profile.begin(this.ctx.device, this.commands.length) : null;
    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    for (const cmd of this.commands) {
      if (cmd.kind === 'copy') {
        pass?.end();
        pass = null;
        encoder.copyBufferToBuffer(cmd.src, cmd.srcOffset, cmd.dst, cmd.dstOffset, cmd.size);
        continue;
      }
      if (timed) {
        // One pass per dispatch, so that its begin and end timestamps bracket that kernel alone.
        pass?.end();
        pass = encoder.beginComputePass({ timestampWrites: timed.next(cmd.name) });
      } else {
        pass ??= encoder.beginComputePass();
      }
      const pipeline = cmd.pipeline;
      let key = `${session.id(pipeline)}|${uniformId}:${cmd.slot}`;
      for (const b of cmd.buffers) {
        if (!b) key += '|-';
        else if (b instanceof GPUBuffer) key += `|${session.id(b)}`;
        else key += `|${session.id(b.buffer)}:${b.offset}:${b.size}`;
      }
      const bindGroup = session.bindGroup(key, () => {
        const entries: GPUBindGroupEntry[] = [
          { binding: 0, resource: { buffer: uniform, offset: cmd.slot * SLOT, size: SLOT } },
        ];
        cmd.buffers.forEach((b, i) => {
          if (!b) return;
          entries.push({
            binding: i + 1,
            resource:
              b instanceof GPUBuffer ? { buffer: b } : { buffer: b.buffer, offset: b.offset, size: b.size },
          });
        });
        return device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
      });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(cmd.groups[0], cmd.groups[1], cmd.groups[2]);
      if (timed) {
        pass.end();
        pass = null;
      }
    }
    pass?.end();
    timed?.resolve(encoder);
    device.queue.submit([encoder.finish()]);
    timed?.collect();
    session.stats.submits++;
    this.commands = [];
    this.params = [];
  }
}

/** The forward engine's recorder, over KERNELS. */
export class Recorder extends KernelRecorder<typeof KERNELS> {
  constructor(
    ctx: GpuContext,
    pipelines: Record<KernelName, GPUComputePipeline>,
    session?: GpuSession,
    workgroupBytes?: Partial<Record<KernelName, number>>,
  ) {
    super(ctx, pipelines, KERNELS, session, workgroupBytes);
  }
}

/** Fold a workgroup count into (x, y) with x ≤ max; kernels rebuild the linear index with linearWorkgroup(). */
export function fold(groups: number, max: number): [number, number, number] {
  if (groups <= max) return [groups, 1, 1];
  const y = Math.ceil(groups / max);
  if (y > max) throw new Error(`${groups} workgroups exceed the ${max}×${max} dispatch grid`);
  return [max, y, 1];
}
