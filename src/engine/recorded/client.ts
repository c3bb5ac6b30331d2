// The page's side of the recording worker: one worker per load, so a newer load or a cancel
// simply terminates the older one.
import type { LoadSource } from '../../data/load/protocol';
import type { FromRecordedWorker, RecordedLoad, ToRecordedWorker } from './protocol';

export interface RecordedLoadHandle {
  result: Promise<RecordedLoad>;
  cancel(): void;
}

export function startRecordedLoad(
  source: LoadSource,
  centeredSpectrum: boolean,
  onStage: (stage: string) => void,
): RecordedLoadHandle {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'recorded' });
  let settle: { resolve: (d: RecordedLoad) => void; reject: (e: Error) => void } | null = null;
  const result = new Promise<RecordedLoad>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = null;
  };
  worker.onmessage = (e: MessageEvent<FromRecordedWorker>) => {
    const msg = e.data;
    if (msg.type === 'progress') onStage(msg.stage);
    else if (msg.type === 'error') {
      settle?.reject(new Error(msg.message));
      finish();
    } else {
      const { type: _type, ...data } = msg;
      settle?.resolve(data);
      finish();
    }
  };
  worker.onerror = (e) => {
    settle?.reject(new Error(`the recording reader crashed: ${e.message || 'out of memory?'}`));
    finish();
  };
  worker.postMessage({ type: 'load', source, centeredSpectrum } satisfies ToRecordedWorker);
  return {
    result,
    cancel: () => {
      const err = new Error('the load was cancelled');
      err.name = 'AbortError';
      settle?.reject(err);
      finish();
    },
  };
}
