// The forward's Recorder (src/engine/gpu/recorder.ts) over the trainer's kernel table: records
// dispatches and copies, then encodes them into one command buffer with one uniform buffer of
// 256-byte parameter slots. Kept separate because the forward's class is typed to its own table.
import { fold, type Binding } from '../../engine/gpu/recorder';
import { packParams, type KernelSpec } from '../../engine/gpu/kernels';
import type { GpuContext } from '../../engine/gpu/device';
import { TRAINER_KERNELS, type TrainerKernelName } from './kernels';

const SLOT = 256;
const WG = 64;

type Command =
  | {
      kind: 'dispatch';
      name: TrainerKernelName;
      buffers: (Binding | null)[];
      groups: [number, number, number];
    }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; size: number };

export class TrainRecorder {
  private commands: Command[] = [];
  private params: Array<{ spec: KernelSpec; values: Record<string, number> }> = [];

  constructor(
    private readonly ctx: GpuContext,
    private readonly pipelines: Record<TrainerKernelName, GPUComputePipeline>,
  ) {}

  /** `threads` invocations of a 64-wide 1-D kernel, folded into 2-D past 65535 workgroups. */
  dispatch1d(
    name: TrainerKernelName,
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
    name: TrainerKernelName,
    values: Record<string, number>,
    buffers: Record<string, Binding>,
    groups: [number, number, number],
  ): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const max = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    if (groups.some((g) => g > max))
      throw new Error(`dispatch of ${name} exceeds ${max} workgroups per dimension`);
    const spec: KernelSpec = TRAINER_KERNELS[name];
    const list = spec.buffers.map((b) => {
      if (b === '-') return null;
      const buf = buffers[b];
      if (!buf) throw new Error(`kernel ${name}: buffer ${b} missing`);
      return buf;
    });
    this.params.push({ spec, values });
    this.commands.push({ kind: 'dispatch', name, buffers: list, groups });
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, size: number): void {
    if (size > 0) this.commands.push({ kind: 'copy', src, srcOffset, dst, dstOffset, size });
  }

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
    this.params.forEach((p, i) => packParams(p.spec, p.values, view, i * SLOT));
    device.queue.writeBuffer(uniform, 0, data);
    const encoder = device.createCommandEncoder();
    let pass: GPUComputePassEncoder | null = null;
    let slot = 0;
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
        { binding: 0, resource: { buffer: uniform, offset: slot * SLOT, size: SLOT } },
      ];
      slot++;
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
    uniform.destroy();
    this.commands = [];
    this.params = [];
  }
}
