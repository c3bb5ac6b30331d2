// Records a batch of kernel dispatches and copies, then encodes and submits them in one command
// buffer: one uniform buffer holds every dispatch's params (256-byte slots), and consecutive
// dispatches share one compute pass (WebGPU orders storage writes between dispatches).
// Generic over a kernel table, so the trainer (src/training/gpu) records its own kernels with it.
import { KERNELS, packParams, type KernelName, type KernelSpec } from './kernels';
import type { GpuContext } from './device';

const SLOT = 256;
const WG = 64;

export type Binding = GPUBuffer | { buffer: GPUBuffer; offset: number; size: number };

type Command<Name extends string> =
  | {
      kind: 'dispatch';
      name: Name;
      slot: number;
      buffers: (Binding | null)[];
      groups: [number, number, number];
    }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number };

/** Records dispatches of the kernels in `specs` (the forward engine's table by default). */
export class KernelRecorder<Name extends string> {
  private commands: Command<Name>[] = [];
  private params: Array<{ name: Name; values: Record<string, number> }> = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly pipelines: Record<Name, GPUComputePipeline>,
    private readonly specs: Record<Name, KernelSpec>,
  ) {}

  get size(): number {
    return this.commands.length;
  }

  /** Dispatch `name` over `threads` invocations of a 64-wide 1-D kernel, folded into 2-D past 65535 groups. */
  dispatch1d(
    name: Name,
    values: Record<string, number>,
    buffers: Record<string, Binding>,
    threads: number,
  ): void {
    this.dispatch(
      name,
      values,
      buffers,
      fold(Math.ceil(threads / WG), this.ctx.limits.maxComputeWorkgroupsPerDimension),
    );
  }

  dispatch(
    name: Name,
    values: Record<string, number>,
    buffers: Record<string, Binding>,
    groups: [number, number, number],
  ): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const max = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    if (groups.some((g) => g > max))
      throw new Error(`dispatch of ${name} exceeds ${max} workgroups per dimension`);
    const spec = this.specs[name];
    const list = spec.buffers.map((b) => {
      if (b === '-') return null;
      const buf = buffers[b];
      if (!buf) throw new Error(`kernel ${name}: buffer ${b} missing`);
      return buf;
    });
    this.params.push({ name, values });
    this.commands.push({ kind: 'dispatch', name, slot: this.params.length - 1, buffers: list, groups });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size > 0) this.commands.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

  /** Encode everything recorded so far and submit it; the recorder is empty afterwards. */
  submit(): void {
    const { device } = this.ctx;
    if (this.commands.length === 0) return;
    const uniformBytes = Math.max(SLOT, this.params.length * SLOT);
    const uniform = device.createBuffer({
      size: uniformBytes,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    const data = new ArrayBuffer(uniformBytes);
    const view = new DataView(data);
    this.params.forEach((p, i) => packParams(this.specs[p.name], p.values, view, i * SLOT));
    device.queue.writeBuffer(uniform, 0, data);

    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    for (const cmd of this.commands) {
      if (cmd.kind === 'copy') {
        pass?.end();
        pass = null;
        encoder.copyBufferToBuffer(cmd.src, cmd.srcOffset, cmd.dst, cmd.dstOffset, cmd.size);
        continue;
      }
      pass ??= encoder.beginComputePass();
      const pipeline = this.pipelines[cmd.name];
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
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
      pass.dispatchWorkgroups(cmd.groups[0], cmd.groups[1], cmd.groups[2]);
    }
    pass?.end();
    device.queue.submit([encoder.finish()]);
    uniform.destroy(); // freed once the submitted work no longer needs it
    this.commands = [];
    this.params = [];
  }
}

/** The forward engine's recorder, over KERNELS. */
export class Recorder extends KernelRecorder<KernelName> {
  constructor(ctx: GpuContext, pipelines: Record<KernelName, GPUComputePipeline>) {
    super(ctx, pipelines, KERNELS);
  }
}

/** Fold a workgroup count into (x, y) with x ≤ max; kernels rebuild the linear index with linearWorkgroup(). */
export function fold(groups: number, max: number): [number, number, number] {
  if (groups <= max) return [groups, 1, 1];
  const y = Math.ceil(groups / max);
  if (y > max) throw new Error(`${groups} workgroups exceed the ${max}×${max} dispatch grid`);
  return [max, y, 1];
}
