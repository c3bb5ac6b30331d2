// Messages between the page and the engine worker (src/engine/worker.ts). Results cross as
// structured clones; feature arrays are transferred, not copied.
import type { Dataset, EngineConfig, RunOptions, RunResult } from './types';

export type ToWorker =
  | { type: 'init'; prefer: 'gpu' | 'cpu' }
  | { type: 'run'; id: number; config: EngineConfig; features: RunOptions['features']; dataset?: Dataset }
  | { type: 'cancel'; id: number }
  /** A loaded data set, sent once (its arrays copied once) and kept in the worker's registry until forgotten. */
  | { type: 'register-dataset'; dataset: Dataset }
  | { type: 'forget-dataset'; id: string }
  | { type: 'dispose' };

export type FromWorker =
  | {
      type: 'ready';
      kind: 'gpu' | 'cpu';
      adapter: string;
      fallbackReason: string | null;
      /** The GPU device's largest storage-buffer binding in bytes (null for the CPU engine). */
      maxBufferBytes: number | null;
    }
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'device-lost'; message: string };
