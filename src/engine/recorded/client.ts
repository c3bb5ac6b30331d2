// The page's side of the recording worker: one worker per load, so a newer load or a cancel
// simply terminates the older one.
import type { LoadSource } from '../../data/load/protocol';
import { runWorkerLoad, type WorkerLoadHandle } from '../../data/workerLoad';
import type { RecordedLoad, ToRecordedWorker } from './protocol';

export type RecordedLoadHandle = WorkerLoadHandle<RecordedLoad>;

export function startRecordedLoad(
  source: LoadSource,
  centeredSpectrum: boolean,
  onStage: (stage: string) => void,
): RecordedLoadHandle {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'recorded' });
  return runWorkerLoad<RecordedLoad, { stage: string }, { message: string }>(
    worker,
    { type: 'load', source, centeredSpectrum } satisfies ToRecordedWorker,
    {
      progress: (msg) => onStage(msg.stage),
      error: (msg) => new Error(msg.message),
      crashed: (detail) => new Error(`the recording reader crashed: ${detail}`),
    },
  );
}
