// Plain-data types of the training workload, shared by the bench page
// (bench/trainBench.ts) and the Node runner (bench/trainRunner.ts): they cross the Playwright
// boundary, so numbers, strings, arrays and plain objects only.

export type TrainPeerName = 'gpu' | 'tfjs';

export interface TrainPrepareArgs {
  /** Cora's Planetoid JSON text, read by the runner; null when the file is absent (CSBM fallback). */
  coraJson: string | null;
}

export interface TrainInfo {
  /** Where the data came from, in words. */
  dataNote: string;
  n: number;
  inputDim: number;
  classes: number;
  nnzA: number;
  split: { train: number; val: number; test: number };
}

export interface TrainPeerArgs {
  peer: TrainPeerName;
  depth: number;
  /** Epochs timed after the warm-up epoch. */
  timedEpochs: number;
  /** Ours only: a run with per-kernel GPU times (timestamp-query; one pass per dispatch, so not a timing run). */
  profile?: boolean;
}

/** One kernel's summed GPU time over a profiled run. */
export interface TrainKernelTime {
  kernel: string;
  ms: number;
  dispatches: number;
  share: number;
}

export interface TrainPeerResult {
  peer: TrainPeerName;
  depth: number;
  timedEpochs: number;
  /** Setup (weights, buffers, shaders) plus the warm-up epoch 0, untimed for the per-epoch figure. */
  warmupMs: number;
  /** Wall time of the timed epochs together. */
  timedMs: number;
  /** Training loss (cross-entropy, dropout on) and accuracies (eval mode) of the last timed epoch. */
  finalLoss: number;
  finalTrainAcc: number;
  finalValAcc: number;
  /** Training loss of the warm-up epoch (epoch 0), to show the loss went down. */
  firstLoss: number;
  method: string;
  notes: string[];
  /** With `profile`: every kernel of the whole run (setup pass, warm-up, timed and trailing epochs). */
  kernels?: TrainKernelTime[];
  error?: string;
}
