// The page's side of the parse worker (src/data/parseWorker.ts): one worker per load, so a
// newer load or a cancel simply terminates the older one.
import type { LoadedData, LoadOptions, LoadSource, ToParseWorker } from './load/protocol';
import { runWorkerLoad, type WorkerLoadHandle } from './workerLoad';

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

export type LoadHandle = WorkerLoadHandle<LoadedData>;

export function startLoad(
  source: LoadSource,
  options: LoadOptions,
  onProgress: (stage: string, fraction: number | null) => void,
): LoadHandle {
  const worker = new Worker(new URL('./parseWorker.ts', import.meta.url), { type: 'module', name: 'parse' });
  return runWorkerLoad<
    LoadedData,
    { stage: string; fraction: number | null },
    { message: string; file?: string; line?: number }
  >(worker, { type: 'load', source, options } satisfies ToParseWorker, {
    progress: (msg) => onProgress(msg.stage, msg.fraction),
    error: (msg) => new LoadError(msg.message, msg.file, msg.line),
    crashed: (detail) => new LoadError(`the file reader crashed: ${detail}`),
  });
}
