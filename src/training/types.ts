// The training API: one interface that the page, the tests and the benchmark call,
// implemented by the float64 CPU reference (src/training/reference) and the WGSL trainer
// (src/training/gpu), side by side, like the forward engine in src/engine/types.ts.
//
// The model is a GCN stack of SPEC §1.1 followed by a linear read-out:
//   H₀ = X (rows L1-normalized when `featureNorm = 'l1'`)
//   for ℓ = 1..L:  Z = Â · dropout(H_{ℓ−1}) · W_ℓ ; Z ← norm(Z) ; Z ← act(Z) ;
//                  H_ℓ = Z, or the residual / Lipschitz-bounded residual of SPEC §1.3
//   logits = dropout(H_L) · W_out ;  loss = mean softmax cross-entropy over the training nodes
// Weights: W_1 is d_in×hidden, W_2..W_L hidden×hidden, W_out hidden×classes; initialized from the
// project's seeded generator (src/engine/weights.ts conventions). Adam with L2 weight decay added to
// the gradient (PyTorch `Adam(weight_decay=…)`, as in the ContraNorm authors' code).
import type { StackConfig, WeightInit } from '../engine/types';

/** A GCN stack (`layers` ≥ 1) and how it is trained. */
export interface TrainConfig extends StackConfig {
  /** Dropout probability on each layer's input and on the read-out input (0 disables). */
  dropout: number;
  lr: number;
  weightDecay: number;
  epochs: number;
  /** Seeds weights, dropout masks and (when the data set has none) the split. */
  seed: number;
  weights: { init: WeightInit; gain: number };
  /** Row L1 normalization of the input features (the authors' preprocessing). */
  featureNorm: 'l1' | 'none';
}

/** Per-layer gradient statistics (SPEC §2, "gradient similarity"), ℓ = 0..L. */
export interface GradientLayerStats {
  layer: number;
  /** ‖G_ℓ‖_F with G_ℓ = ∂loss/∂H_ℓ. */
  gradNorm: number;
  /** μ(G_ℓ) = ‖G_ℓ − 1γᵀ‖_F / ‖G_ℓ‖_F (SPEC §2's consensus distance applied to the gradient). */
  gradMu: number;
  /** μ(H_ℓ) of the representation, for comparison. */
  repMu: number;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  trainAcc: number;
  valAcc: number;
  testAcc: number;
}

export interface TrainResult {
  config: TrainConfig;
  epochs: EpochStats[];
  /** Test accuracy at the epoch of best validation accuracy (the authors' protocol). */
  bestValEpoch: number;
  testAccAtBestVal: number;
  /** Gradient statistics at initialization (before the first update). */
  initialGradients: GradientLayerStats[];
  /** Which trainer ran, and a reason when it is the CPU fallback. */
  engine: { kind: 'gpu' | 'cpu'; note: string | null };
}

export interface TrainProgress {
  epoch: EpochStats;
  /** Present every few epochs: gradient statistics at this epoch. */
  gradients?: GradientLayerStats[];
  /** Present every few epochs: final-layer embeddings H_L (n×hidden, row-major) for the animation. */
  embeddings?: Float32Array;
}

export interface Trainer {
  readonly kind: 'gpu' | 'cpu';
  /** Gradient statistics of the freshly initialized model (one forward + backward, no update). */
  gradients(config: TrainConfig): Promise<GradientLayerStats[]>;
  /** Train; `onProgress` after each epoch. Rejects with an AbortError when `signal` aborts. */
  train(
    config: TrainConfig,
    onProgress?: (p: TrainProgress) => void,
    signal?: AbortSignal,
  ): Promise<TrainResult>;
  dispose(): void;
}
