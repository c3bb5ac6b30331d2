// The training kernels (issue 5): the backward pass, the read-out loss and Adam, in the same
// table format as the forward's src/engine/gpu/kernels.ts (uniform at binding 0, storage
// bindings 1..k in order, '-' for a binding the entry point does not use). The trainer runs the
// forward kernels too, so its pipelines cover both tables (TRAINER_KERNELS).
import backwardDense from '../../../shaders/backward_dense.wgsl?raw';
import backwardPointwise from '../../../shaders/backward_pointwise.wgsl?raw';
import dropoutSource from '../../../shaders/dropout.wgsl?raw';
import backwardLayernorm from '../../../shaders/backward_layernorm.wgsl?raw';
import backwardColumnNormBody from '../../../shaders/backward_column_norm.wgsl?raw';
import workgroupSum from '../../../shaders/workgroup_sum.wgsl?raw';
import contranormTrain from '../../../shaders/contranorm_train.wgsl?raw';
import backwardContranormFinish from '../../../shaders/backward_contranorm_finish.wgsl?raw';
import crossEntropy from '../../../shaders/cross_entropy.wgsl?raw';
import adam from '../../../shaders/adam.wgsl?raw';
import { compilePipelines, KERNELS, type KernelSpec } from '../../engine/gpu/kernels';

/** backward_column_norm.wgsl finishes with workgroup_sum.wgsl's reduction, prepended to it. */
const backwardColumnNorm = `${workgroupSum}\n${backwardColumnNormBody}`;

type Field = KernelSpec['params'][number];
const u = (name: string): Field => [name, 'u32'];
const f = (name: string): Field => [name, 'f32'];

const denseParams = [u('n'), u('k'), u('m'), u('chunks')] as const;
const actParams = [u('count'), u('act'), f('alpha')] as const;
const dropoutParams = [
  u('count'),
  u('useY'),
  u('useMask'),
  u('key'),
  u('threshold'),
  f('keep'),
  f('beta'),
] as const;
const columnParams = [u('n'), u('d'), u('chunks'), u('mode'), f('pairnormScale')] as const;
const contraParams = [u('n'), u('d'), u('mask'), f('scale'), f('m0')] as const;
const ceParams = [u('n'), u('classes'), u('chunks'), f('invTrain')] as const;

export const TRAIN_KERNELS = {
  weightPartial: {
    source: backwardDense,
    entry: 'weightPartial',
    params: denseParams,
    buffers: ['h', 'g', 'partials'],
  },
  weightFinalize: {
    source: backwardDense,
    entry: 'weightFinalize',
    params: denseParams,
    buffers: ['-', '-', 'partials', 'out'],
  },
  matmulNT: {
    source: backwardDense,
    entry: 'matmulNT',
    params: denseParams,
    buffers: ['w', 'g', '-', 'out'],
  },
  actBackward: {
    source: backwardPointwise,
    entry: 'actBackward',
    params: actParams,
    buffers: ['pre', 'g', 'out'],
  },
  dropout: {
    source: dropoutSource,
    entry: 'dropout',
    params: dropoutParams,
    buffers: ['x', 'y', 'out'],
  },
  layernormBackward: {
    source: backwardLayernorm,
    entry: 'main',
    params: [u('n'), u('d'), u('contra'), f('a'), f('b')],
    buffers: ['x', 'v', 'g', 'out', 'go', 'stats'],
  },
  columnNormPartial: {
    source: backwardColumnNorm,
    entry: 'partial',
    params: columnParams,
    buffers: ['z', 'g', 'stats', 'partials'],
  },
  columnNormFinalize: {
    source: backwardColumnNorm,
    entry: 'finalize',
    params: columnParams,
    buffers: ['-', '-', '-', 'partials', 'gstats'],
  },
  columnNormApply: {
    source: backwardColumnNorm,
    entry: 'apply',
    params: columnParams,
    buffers: ['z', 'g', 'stats', '-', 'gstats', 'out'],
  },
  contranormForward: {
    source: contranormTrain,
    entry: 'forward',
    params: contraParams,
    buffers: ['u', 'z', '-', '-', 'rowPtr', 'colIdx', 'out', 'stats'],
  },
  contranormRows: {
    source: contranormTrain,
    entry: 'rows',
    params: contraParams,
    buffers: ['u', 'z', 'go', 'stats', 'rowPtr', 'colIdx', 'outA'],
  },
  contranormCols: {
    source: contranormTrain,
    entry: 'cols',
    params: contraParams,
    buffers: ['u', 'z', 'go', 'stats', 'rowPtr', 'colIdx', 'outA', 'outB'],
  },
  // The same three on workgroup tiles of the other side's rows, for d ≤ CONTRA_CHUNK (variants.ts).
  contranormForwardTiled: {
    source: contranormTrain,
    entry: 'forwardTiled',
    params: contraParams,
    buffers: ['u', 'z', '-', '-', 'rowPtr', 'colIdx', 'out', 'stats'],
  },
  contranormRowsTiled: {
    source: contranormTrain,
    entry: 'rowsTiled',
    params: contraParams,
    buffers: ['u', 'z', 'go', 'stats', 'rowPtr', 'colIdx', 'outA'],
  },
  contranormColsTiled: {
    source: contranormTrain,
    entry: 'colsTiled',
    params: contraParams,
    buffers: ['u', 'z', 'go', 'stats', 'rowPtr', 'colIdx', 'outA', 'outB'],
  },
  contranormFinish: {
    source: backwardContranormFinish,
    entry: 'main',
    params: [u('n'), u('d'), u('rn'), f('scale')],
    buffers: ['z', 'direct', 'rowsTerm', 'valueTerm', 'colsTerm', 'out'],
  },
  crossEntropyRows: {
    source: crossEntropy,
    entry: 'rows',
    params: ceParams,
    buffers: ['logits', 'labels', 'role', 'grad', 'rowOut'],
  },
  crossEntropySumPartial: {
    source: crossEntropy,
    entry: 'sumPartial',
    params: ceParams,
    buffers: ['-', '-', '-', '-', 'rowOut', 'partials'],
  },
  crossEntropySumFinalize: {
    source: crossEntropy,
    entry: 'sumFinalize',
    params: ceParams,
    buffers: ['-', '-', '-', '-', '-', 'partials', 'totals'],
  },
  adam: {
    source: adam,
    entry: 'main',
    params: [u('count'), f('beta1'), f('beta2'), f('eps'), f('weightDecay'), f('stepSize'), f('invSqrtBc2')],
    buffers: ['w', 'g', 'm', 'v'],
  },
} as const satisfies Record<string, KernelSpec>;

/** Everything the GPU trainer dispatches: the forward's kernels and the training kernels. */
export const TRAINER_KERNELS = { ...KERNELS, ...TRAIN_KERNELS } as const;
export type TrainerKernelName = keyof typeof TRAINER_KERNELS;

/** Rows per chunk of the reductions in backward_dense.wgsl and backward_column_norm.wgsl. */
export const DENSE_CHUNK = 256;
export const COLUMN_GRAD_CHUNK = 256;
/** Rows per chunk of cross_entropy.wgsl's sums. */
export const LOSS_CHUNK = 1024;

type TrainerPipelines = Record<TrainerKernelName, GPUComputePipeline>;
const cache = new WeakMap<GPUDevice, Promise<TrainerPipelines>>();

/**
 * Every kernel of TRAINER_KERNELS compiled for `device`, once per device (compilation takes tens
 * of seconds on CPU-emulated adapters, so trainers on one device share the pipelines).
 */
export function buildTrainerPipelines(device: GPUDevice): Promise<TrainerPipelines> {
  let p = cache.get(device);
  if (!p) {
    p = compile(device);
    cache.set(device, p);
    p.catch(() => cache.delete(device));
  }
  return p;
}

/** Compile concurrently, one shader module per source file (the forward engine's compiler). */
function compile(device: GPUDevice): Promise<TrainerPipelines> {
  return compilePipelines(device, TRAINER_KERNELS);
}
