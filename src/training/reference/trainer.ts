// The float64 CPU trainer (`Trainer` of src/training/types.ts, kind 'cpu'): full-batch training
// with Adam, evaluation in eval mode (no dropout) after every update, and the authors' protocol
// of reporting test accuracy at the epoch of best validation accuracy (first such epoch).
// It yields to the event loop after every epoch, so an AbortSignal can stop it between epochs.

import { checkTrainConfig, trainingAbortError } from '../config';
import type { Dataset } from '../../engine/types';
import { prepareTrainingData } from '../data';
import { initTrainingWeights } from '../model';
import type {
  EpochStats,
  GradientLayerStats,
  TrainConfig,
  TrainProgress,
  TrainResult,
  Trainer,
} from '../types';
import { adamStep, createAdamState } from './adam';
import { architectureOf, gradientStats } from './gradients';
import { accuracy, softmaxCrossEntropy } from './loss';
import { backward, forward } from './network';

/** Gradient statistics and embeddings ride along with onProgress every this many epochs (and on the last). */
export const DETAIL_EVERY = 10;

/**
 * The epochs of a run as both trainers keep them, and the best validation epoch so far (the
 * first epoch with the highest validation accuracy) with its test accuracy.
 */
export class EpochLog {
  readonly epochs: EpochStats[] = [];
  bestValEpoch = -1;
  testAccAtBestVal = NaN;
  private bestVal = -Infinity;

  add(stats: EpochStats): void {
    this.epochs.push(stats);
    if (stats.valAcc > this.bestVal) {
      this.bestVal = stats.valAcc;
      this.bestValEpoch = stats.epoch;
      this.testAccAtBestVal = stats.testAcc;
    }
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Gradient statistics of the freshly initialized model (eval mode, no update). */
export function referenceGradients(config: TrainConfig, dataset?: Dataset): GradientLayerStats[] {
  checkTrainConfig(config);
  const data = prepareTrainingData(config, dataset);
  const weights = initTrainingWeights(config, data.inDim, data.classes);
  return gradientStats(config, data, weights).stats;
}

export async function trainReference(
  config: TrainConfig,
  onProgress?: (p: TrainProgress) => void,
  signal?: AbortSignal,
  dataset?: Dataset,
): Promise<TrainResult> {
  checkTrainConfig(config);
  const data = prepareTrainingData(config, dataset);
  const { n, labels, split, graph, features } = data;
  const weights = initTrainingWeights(config, data.inDim, data.classes);
  const arch = architectureOf(config);
  const L = config.layers;
  const params = [...weights.layers, weights.out];
  const adam = createAdamState(params);
  const initialGradients = gradientStats(config, data, weights).stats;
  const log = new EpochLog();
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    if (signal?.aborted) throw trainingAbortError();
    const fwd = forward(arch, weights, graph, features, n, {
      dropout: { seed: config.seed, epoch, p: config.dropout },
      sparse: data.sparseFeatures,
    });
    const { loss, grad } = softmaxCrossEntropy(fwd.logits, weights.classes, labels, split.train);
    const g = backward(arch, weights, graph, n, fwd, grad);
    adamStep(params, [...g.layers, g.out], adam, { lr: config.lr, weightDecay: config.weightDecay });

    const detail = epoch % DETAIL_EVERY === 0 || epoch === config.epochs - 1;
    let logits: Float64Array;
    let hL: Float64Array;
    let gradients: GradientLayerStats[] | undefined;
    if (detail) {
      const s = gradientStats(config, data, weights);
      ({ logits } = s);
      hL = s.hs[L];
      gradients = s.stats;
    } else {
      const ev = forward(arch, weights, graph, features, n, { sparse: data.sparseFeatures });
      logits = ev.logits;
      hL = ev.hs[L];
    }
    const stats: EpochStats = {
      epoch,
      loss,
      trainAcc: accuracy(logits, weights.classes, labels, split.train),
      valAcc: accuracy(logits, weights.classes, labels, split.val),
      testAcc: accuracy(logits, weights.classes, labels, split.test),
    };
    log.add(stats);
    onProgress?.({
      epoch: stats,
      ...(gradients ? { gradients, embeddings: Float32Array.from(hL) } : {}),
    });
    await nextTick();
  }
  if (signal?.aborted) throw trainingAbortError();
  return {
    config,
    epochs: log.epochs,
    bestValEpoch: log.bestValEpoch,
    testAccAtBestVal: log.testAccAtBestVal,
    initialGradients,
    engine: { kind: 'cpu', note: null },
  };
}

/** The float64 CPU implementation of `Trainer`. */
export function createReferenceTrainer(): Trainer {
  return {
    kind: 'cpu',
    gradients: (config) => Promise.resolve(referenceGradients(config)),
    train: (config, onProgress, signal) => trainReference(config, onProgress, signal),
    dispose: () => {},
  };
}
