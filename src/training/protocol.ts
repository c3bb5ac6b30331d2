// Messages between the page and the training worker (src/training/worker.ts). One job at a time
// per worker: a new job aborts the one in flight (latest wins). Embedding snapshots are
// transferred, not copied.
import type { Dataset } from '../engine/types';
import type { GradientLayerStats, TrainConfig, TrainProgress, TrainResult } from './types';

/** Which trainer ran a configuration, and why it is the CPU one when a GPU trainer exists. */
export interface RanOn {
  kind: 'gpu' | 'cpu';
  note: string | null;
}

export type ToTrainWorker =
  | { type: 'init'; prefer: 'gpu' | 'cpu' }
  /** Gradient statistics at initialization of each configuration, in order (one `gradients` reply each). */
  | { type: 'gradients'; id: number; configs: TrainConfig[]; dataset?: Dataset }
  | { type: 'train'; id: number; config: TrainConfig; dataset?: Dataset }
  | { type: 'cancel'; id: number }
  | { type: 'dispose' };

export type FromTrainWorker =
  /** `kind`: the trainer the worker prefers; `fallbackReason`: why that is the CPU one, or null. */
  | { type: 'ready'; kind: 'gpu' | 'cpu'; fallbackReason: string | null }
  /** The statistics of configs[index] of gradients job `id`. */
  | { type: 'gradients'; id: number; index: number; stats: GradientLayerStats[]; ranOn: RanOn }
  /** Sent when a training job starts: the trainer that runs it. */
  | { type: 'started'; id: number; ranOn: RanOn }
  | { type: 'progress'; id: number; progress: TrainProgress }
  | { type: 'done'; id: number; result?: TrainResult }
  | { type: 'error'; id: number; name: string; message: string };
