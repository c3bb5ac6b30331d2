// The float64 reference trainer: forward with tapes, hand-written backward, Adam,
// gradient statistics, and the CPU `Trainer`.

export { createReferenceTrainer, referenceGradients, trainReference, DETAIL_EVERY } from './trainer';
export {
  forward,
  backward,
  type Architecture,
  type ForwardOptions,
  type ForwardResult,
  type Gradients,
} from './network';
export {
  gradientStats,
  layerStats,
  factoredGradStats,
  consensusMu,
  frobenius,
  architectureOf,
} from './gradients';
export { softmaxCrossEntropy, accuracy } from './loss';
export { adamStep, createAdamState, type AdamOptions, type AdamState } from './adam';
