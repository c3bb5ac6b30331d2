// The training kernels: the backward pass, the read-out loss and Adam, in the same
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
import { compilePipelines, f, kernel, KERNELS, u, type KernelTable } from '../../engine/gpu/kernels';

/** backward_column_norm.wgsl finishes with workgroup_sum.wgsl's reduction, prepended to it. */
const backwardColumnNorm = `${workgroupSum}\n${backwardColumnNormBody}`;

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
/** contranorm_train.wgsl's bindings as its forward, query-side and key-side entry points use them. */
const contraForwardBuffers = ['u', 'z', '-', '-', 'rowPtr', 'colIdx', 'out=outA', 'stats=outB'] as const;
const contraRowsBuffers = ['u', 'z', 'go', 'stats', 'rowPtr', 'colIdx', 'outA'] as const;
const contraColsBuffers = [...contraRowsBuffers, 'outB'] as const;
const ceParams = [u('n'), u('classes'), u('chunks'), f('invTrain')] as const;
const adamParams = [
  u('count'),
  f('beta1'),
  f('beta2'),
  f('eps'),
  f('weightDecay'),
  f('stepSize'),
  f('invSqrtBc2'),
] as const;

// Laid out by hand, as KERNELS is.
// prettier-ignore
export const TRAIN_KERNELS = {
  weightPartial: kernel(backwardDense, 'weightPartial', denseParams, ['h', 'g', 'partials']),
  weightFinalize: kernel(backwardDense, 'weightFinalize', denseParams, ['-', '-', 'partials', 'out']),
  matmulNT: kernel(backwardDense, 'matmulNT', denseParams, ['w=h', 'g', '-', 'out']),
  actBackward: kernel(backwardPointwise, 'actBackward', actParams, ['pre=x', 'g=y', 'out']),
  dropout: kernel(dropoutSource, 'dropout', dropoutParams, ['x', 'y', 'out']),
  layernormBackward: kernel(backwardLayernorm, 'main', [u('n'), u('d'), u('contra'), f('a'), f('b')],
    ['x', 'v', 'g', 'out', 'go', 'stats']),
  columnNormPartial: kernel(backwardColumnNorm, 'partial', columnParams, ['z', 'g', 'stats', 'partials']),
  columnNormFinalize: kernel(backwardColumnNorm, 'finalize', columnParams,
    ['-', '-', '-', 'partials', 'gstats']),
  columnNormApply: kernel(backwardColumnNorm, 'apply', columnParams,
    ['z', 'g', 'stats', '-', 'gstats', 'out']),
  contranormForward: kernel(contranormTrain, 'forward', contraParams, contraForwardBuffers, ['D']),
  contranormRows: kernel(contranormTrain, 'rows', contraParams, contraRowsBuffers, ['D']),
  contranormCols: kernel(contranormTrain, 'cols', contraParams, contraColsBuffers, ['D']),
  // The same three on workgroup tiles of the other side's rows, for d ≤ CONTRA_CHUNK (norms.ts).
  contranormForwardTiled: kernel(contranormTrain, 'forwardTiled', contraParams, contraForwardBuffers, ['D']),
  contranormRowsTiled: kernel(contranormTrain, 'rowsTiled', contraParams, contraRowsBuffers, ['D']),
  contranormColsTiled: kernel(contranormTrain, 'colsTiled', contraParams, contraColsBuffers, ['D']),
  contranormFinish: kernel(backwardContranormFinish, 'main', [u('n'), u('d'), u('rn'), f('scale')],
    ['z', 'direct', 'rowsTerm', 'valueTerm', 'colsTerm', 'out']),
  crossEntropyRows: kernel(crossEntropy, 'rows', ceParams, ['logits', 'labels', 'role', 'grad', 'rowOut']),
  crossEntropySumPartial: kernel(crossEntropy, 'sumPartial', ceParams,
    ['-', '-', '-', '-', 'rowOut', 'partials']),
  crossEntropySumFinalize: kernel(crossEntropy, 'sumFinalize', ceParams,
    ['-', '-', '-', '-', '-', 'partials', 'totals']),
  adam: kernel(adam, 'main', adamParams, ['w', 'g', 'm', 'v']),
} as const satisfies KernelTable;

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
