// Messages between the page (client.ts) and the recording worker (worker.ts).
import type { Dataset, RunResult } from '../types';
import type { LoadSource } from '../../data/load/protocol';

export type ToRecordedWorker = { type: 'load'; source: LoadSource; centeredSpectrum: boolean };

/** A recording read and measured: one RunResult per stack, and its inputs as a data set. */
export interface RecordedLoad {
  /** Layer 0 of the first stack with the labels and graph, registered so a computed panel can run on it. */
  dataset: Dataset;
  results: RunResult[];
  files: string[];
  n: number;
  edges: number;
  classes: number;
  timeMs: number;
}

export type FromRecordedWorker =
  | { type: 'progress'; stage: string }
  | ({ type: 'done' } & RecordedLoad)
  | { type: 'error'; message: string };
