// The training workload's page side: Cora (or a CSBM of the same size) with the
// ContraNorm authors' GCN settings, trained by our WGSL trainer (src/training/gpu) and by the
// TensorFlow.js peer (bench/tfjsTrainPeer.ts) in the same page, on the same WebGPU adapter.
// Each call builds a fresh model, runs a warm-up epoch 0 (shader compilation, allocation, JIT)
// and then times `timedEpochs` epochs; see bench/trainRunner.ts for what is done with the times.
import { parsePlanetoid } from '../src/data/planetoid';
import { buildDataset, registerDataset } from '../src/data/datasets';
import type { Dataset, DatasetSpec } from '../src/engine/types';
import { prepareTrainingData } from '../src/training/data';
import { createGpuTrainer } from '../src/training/gpu/trainer';
import { acquireGpu } from '../src/engine/gpu/device';
import { KernelProfile } from '../src/engine/gpu/profile';
import type { TrainConfig } from '../src/training/types';
import { createTfjsTraining, TFJS_TRAIN_METHOD } from './tfjsTrainPeer';
import type { TrainInfo, TrainPeerArgs, TrainPeerResult, TrainPrepareArgs } from './trainTypes';

let prepared: { dataset: Dataset; spec: DatasetSpec } | null = null;

/** The authors' Cora settings (hidden 32, Adam 0.005, wd 5e-4, dropout 0.6, rw, L1 features, ContraNorm `mask`, s = 0.5, τ = 1). */
export function trainConfig(spec: DatasetSpec, depth: number, epochs: number): TrainConfig {
  return {
    dataset: spec,
    layers: depth,
    hidden: 32,
    adjacency: 'rw',
    // `mask`: the authors' GNN code removes self and neighbours from the softmax (src/engine/types.ts);
    // the ContraNorm is followed by a LayerNorm without affine, then ReLU.
    norm: { kind: 'contranorm', s: 0.5, tau: 1, variant: 'mask', pairnormScale: 1 },
    activation: 'relu',
    residual: 'none',
    alpha: 1,
    dropout: 0.6,
    lr: 0.005,
    weightDecay: 5e-4,
    epochs,
    seed: 1,
    weights: { init: 'gaussian', gain: 1 },
    featureNorm: 'l1',
  };
}

export function prepareTrain(args: TrainPrepareArgs): TrainInfo {
  let dataset: Dataset;
  let spec: DatasetSpec;
  let dataNote: string;
  if (args.coraJson) {
    dataset = parsePlanetoid(JSON.parse(args.coraJson), 'cora');
    registerDataset(dataset);
    spec = { kind: 'loaded', id: dataset.id };
    dataNote = `Cora (../shared/datasets/planetoid/cora.json), public split`;
  } else {
    spec = {
      kind: 'csbm',
      n: 2708,
      classes: 7,
      avgDegree: 4,
      homophily: 0.8,
      featureDim: 1433,
      separation: 1,
      seed: 1,
    };
    dataset = buildDataset(spec);
    dataNote =
      'Cora NOT FOUND: a contextual SBM of 2,708 nodes, 7 classes, degree 4, 1,433 Gaussian features stands in for it (seeded split 20/class, 500, 1000)';
  }
  prepared = { dataset, spec };
  const data = prepareTrainingData(trainConfig(spec, 2, 1), dataset);
  return {
    dataNote,
    n: data.n,
    inputDim: data.inDim,
    classes: data.classes,
    nnzA: data.graph.colIdx.length,
    split: { train: data.split.train.length, val: data.split.val.length, test: data.split.test.length },
  };
}

export async function runTrainPeer(args: TrainPeerArgs): Promise<TrainPeerResult> {
  if (!prepared) throw new Error('training workload not prepared');
  const out: TrainPeerResult = {
    peer: args.peer,
    depth: args.depth,
    timedEpochs: args.timedEpochs,
    warmupMs: NaN,
    timedMs: NaN,
    finalLoss: NaN,
    finalTrainAcc: NaN,
    finalValAcc: NaN,
    firstLoss: NaN,
    method: '',
    notes: [],
  };
  try {
    if (args.peer === 'gpu') await gpuPeer(args, out);
    else await tfjsPeer(args, out);
  } catch (err) {
    out.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
  return out;
}

async function gpuPeer(args: TrainPeerArgs, out: TrainPeerResult): Promise<void> {
  const { dataset, spec } = prepared!;
  // Epoch 0 warms up; epochs 1..K are timed; one more epoch runs untimed after them, because the
  // trainer's last epoch always adds a gradient-statistics backward and an embeddings readback
  // (as does every DETAIL_EVERY = 10th epoch, which a timed window of 200 epochs does include).
  const K = args.timedEpochs;
  const config = trainConfig(spec, args.depth, K + 2);
  out.method =
    'our WGSL trainer (src/training/gpu): CSR Â·H, streamed ContraNorm softmax forward and backward (no N×N buffer), hand-written backward and Adam; ' +
    'per epoch a training step and an eval forward, 8 floats read back';
  const profile = args.profile ? new KernelProfile() : null;
  const trainer = profile
    ? createGpuTrainer(await acquireGpu(undefined, { timestamps: true }), profile)
    : createGpuTrainer();
  const t0 = performance.now();
  const stamps: number[] = [];
  try {
    const r = await trainer.train(config, () => stamps.push(performance.now()), undefined, dataset);
    out.warmupMs = stamps[0]! - t0;
    out.timedMs = stamps[K]! - stamps[0]!;
    const last = r.epochs[K]!;
    out.finalLoss = last.loss;
    out.finalTrainAcc = last.trainAcc;
    out.finalValAcc = last.valAcc;
    out.firstLoss = r.epochs[0]!.loss;
    if (profile) {
      await profile.flush();
      out.kernels = profile.table();
      if (profile.untimed) out.notes.push(`${profile.untimed} dispatches beyond a query set were not timed`);
    }
    out.notes.push(
      `the untimed epoch after the window (a detail epoch: gradient statistics + embeddings readback) took ${(stamps[K + 1]! - stamps[K]!).toFixed(0)} ms`,
    );
  } finally {
    trainer.dispose();
  }
}

async function tfjsPeer(args: TrainPeerArgs, out: TrainPeerResult): Promise<void> {
  const { dataset, spec } = prepared!;
  const config = trainConfig(spec, args.depth, args.timedEpochs + 1);
  out.method = TFJS_TRAIN_METHOD;
  const t0 = performance.now();
  const training = await createTfjsTraining(config, prepareTrainingData(config, dataset));
  try {
    const first = await training.epoch();
    out.firstLoss = first.loss;
    const t1 = performance.now();
    out.warmupMs = t1 - t0;
    let last = first;
    for (let e = 0; e < args.timedEpochs; e++) last = await training.epoch();
    out.timedMs = performance.now() - t1;
    out.finalLoss = last.loss;
    out.finalTrainAcc = last.trainAcc;
    out.finalValAcc = last.valAcc;
  } finally {
    training.dispose();
  }
}
