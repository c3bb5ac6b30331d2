// Messages between the page and the engine worker (src/engine/worker.ts). Results cross as
// structured clones; feature arrays are transferred, not copied.
import type { Dataset, EngineConfig, RunOptions, RunResult } from './types';

export type ToWorker =
  | { type: 'init'; prefer: 'gpu' | 'cpu' }
  | { type: 'run'; id: number; config: EngineConfig; features: RunOptions['features']; dataset?: Dataset }
  | { type: 'cancel'; id: number }
  | { type: 'dispose' };

export type FromWorker =
  | { type: 'ready'; kind: 'gpu' | 'cpu'; adapter: string; fallbackReason: string | null }
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'error'; id: number; name: string; message: string }
  | { type: 'device-lost'; message: string };
