// The page's side of the parse worker (src/data/parseWorker.ts): one worker per load, so a
// newer load or a cancel simply terminates the older one.
import type { FromParseWorker, LoadedData, LoadOptions, LoadSource, ToParseWorker } from './load/protocol';

/** A load that failed: the message names the file and, where there is one, the line. */
export class LoadError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

export interface LoadHandle {
  result: Promise<LoadedData>;
  /** Stop the load (its promise rejects with an AbortError). */
  cancel(): void;
}

export function startLoad(
  source: LoadSource,
  options: LoadOptions,
  onProgress: (stage: string, fraction: number | null) => void,
): LoadHandle {
  const worker = new Worker(new URL('./parseWorker.ts', import.meta.url), { type: 'module', name: 'parse' });
  let settle: { resolve: (d: LoadedData) => void; reject: (e: Error) => void } | null = null;
  const result = new Promise<LoadedData>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = () => {
    worker.terminate();
    settle = null;
  };
  worker.onmessage = (e: MessageEvent<FromParseWorker>) => {
    const msg = e.data;
    if (msg.type === 'progress') onProgress(msg.stage, msg.fraction);
    else if (msg.type === 'error') {
      settle?.reject(new LoadError(msg.message, msg.file, msg.line));
      finish();
    } else {
      const { type: _type, ...data } = msg;
      settle?.resolve(data);
      finish();
    }
  };
  worker.onerror = (e) => {
    settle?.reject(new LoadError(`the file reader crashed: ${e.message || 'out of memory?'}`));
    finish();
  };
  worker.postMessage({ type: 'load', source, options } satisfies ToParseWorker);
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
