// The trainer's recorder: the forward engine's (src/engine/gpu/recorder.ts) over the trainer's
// kernel table, so training batches are encoded exactly as forward batches are.
import { KernelRecorder } from '../../engine/gpu/recorder';
import type { GpuContext } from '../../engine/gpu/device';
import { TRAINER_KERNELS, type TrainerKernelName } from './kernels';

export class TrainRecorder extends KernelRecorder<typeof TRAINER_KERNELS> {
  constructor(ctx: GpuContext, pipelines: Record<TrainerKernelName, GPUComputePipeline>) {
    super(ctx, pipelines, TRAINER_KERNELS);
  }
}
