// Messages between the page and the engine worker (src/engine/worker.ts). Results cross as
// structured clones; feature arrays are transferred, not copied.
import type { Dataset, EngineConfig, RunOptions, RunResult } from './types';
import type { Calibration, EngineChoice, EngineName } from './create';

export type ToWorker =
  /** `calibration`: this browser's cached measurement, if any (workers have no localStorage). */
  | { type: 'init'; choice: EngineChoice; calibration: Calibration | null }
  | {
      type: 'run';
      id: number;
      config: EngineConfig;
      features: RunOptions['features'];
      projection?: RunOptions['projection'];
      dataset?: Dataset;
      /** Send the layers so far now and then ('progress' messages). */
      progress?: boolean;
    }
  | { type: 'cancel'; id: number }
  /** A loaded data set, sent once (its arrays copied once) and kept in the worker's registry until forgotten. */
  | { type: 'register-dataset'; dataset: Dataset }
  | { type: 'forget-dataset'; id: string }
  | { type: 'dispose' };

export type FromWorker =
  | {
      type: 'ready';
      kind: 'gpu' | 'cpu';
      name: EngineName;
      adapter: string;
      fallbackReason: string | null;
      /** Why this engine runs, for the page. */
      reason: string;
      calibration: Calibration | null;
      /** The GPU device's largest storage-buffer binding in bytes (null for the CPU engine). */
      maxBufferBytes: number | null;
    }
  | { type: 'result'; id: number; result: RunResult }
  /** The layers of run `id` so far (RunOptions.onProgress). */
  | { type: 'progress'; id: number; result: RunResult }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'device-lost'; message: string };
