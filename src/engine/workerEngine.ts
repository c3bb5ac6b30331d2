// The Engine API backed by a dedicated worker (src/engine/worker.ts): what the page uses, so
// that the GPU engine's readbacks and the float64 finishing (eigenvalues included) or the CPU
// fallback never block input. Latest wins across the boundary: the worker's engine rejects a
// superseded run with an AbortError, which arrives here as the same rejection.
import type { FromWorker, ToWorker } from './protocol';
import { getRegisteredDataset } from '../data/datasets';
import type { Dataset, Engine, EngineConfig, RunOptions, RunResult } from './types';
import type { EngineChoiceReport, EngineOptions } from './create';

export interface WorkerEngine extends Engine, Readonly<EngineChoiceReport> {
  /** The GPU device's largest storage-buffer binding in bytes (null for the CPU engine). */
  readonly maxBufferBytes: number | null;
  /**
   * Send a loaded data set to the worker once (a structured-clone copy of its arrays); runs
   * of `{ kind: 'loaded', id }` then find it there without sending it again.
   */
  registerDataset(dataset: Dataset): void;
  /** Drop a data set sent by registerDataset (frees the worker's copy). */
  forgetDataset(id: string): void;
}

export async function createWorkerEngine(options: EngineOptions = {}): Promise<WorkerEngine> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'engine' });
  const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'ready') resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(`the engine worker failed to start: ${e.message}`));
    worker.postMessage({
      type: 'init',
      choice: options.choice ?? 'auto',
      calibration: options.calibration ?? null,
    } satisfies ToWorker);
  });
  return workerEngine(worker, ready, options.onDeviceLost);
}

type Pending = {
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
  onProgress?: (r: RunResult) => void;
};

function workerEngine(
  worker: Worker,
  ready: Extract<FromWorker, { type: 'ready' }>,
  onDeviceLost?: (message: string) => void,
): WorkerEngine {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const sentDatasets = new Set<string>();
  const rejectAll = (err: Error): void => {
    pending.forEach((p) => p.reject(err));
    pending.clear();
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const msg = e.data;
    if (msg.type === 'device-lost') {
      onDeviceLost?.(msg.message);
      return;
    }
    if (msg.type === 'ready') return;
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.result);
      return;
    }
    pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.result);
    else {
      const err = new Error(msg.message);
      err.name = msg.name;
      p.reject(err);
    }
  };
  worker.onerror = (e) => rejectAll(new Error(`the engine worker crashed: ${e.message}`));

  const { type: _ready, maxBufferBytes, ...report } = ready;
  return {
    ...report,
    maxBufferBytes: maxBufferBytes ?? null,

    run(config: EngineConfig, options: RunOptions = {}): Promise<RunResult> {
      const id = nextId++;
      let dataset = options.dataset;
      if (!dataset && config.dataset.kind === 'loaded') dataset = getRegisteredDataset(config.dataset.id);
      if (dataset && config.dataset.kind !== 'loaded') dataset = undefined; // generated sets are rebuilt in the worker
      const send = dataset && !sentDatasets.has(dataset.id) ? dataset : undefined;
      if (send) sentDatasets.add(send.id);
      return new Promise<RunResult>((resolve, reject) => {
        pending.set(id, { resolve, reject, onProgress: options.onProgress });
        options.signal?.addEventListener(
          'abort',
          () => worker.postMessage({ type: 'cancel', id } satisfies ToWorker),
          { once: true },
        );
        worker.postMessage({
          type: 'run',
          id,
          config,
          features: options.features ?? 'all',
          ...(options.projection ? { projection: options.projection } : {}),
          dataset: send,
          progress: options.onProgress !== undefined,
        } satisfies ToWorker);
      });
    },

    registerDataset(dataset: Dataset): void {
      worker.postMessage({ type: 'register-dataset', dataset } satisfies ToWorker);
      sentDatasets.add(dataset.id);
    },

    forgetDataset(id: string): void {
      if (!sentDatasets.delete(id)) return;
      worker.postMessage({ type: 'forget-dataset', id } satisfies ToWorker);
    },

    dispose(): void {
      worker.postMessage({ type: 'dispose' } satisfies ToWorker);
      const err = new Error('the engine was disposed');
      err.name = 'AbortError';
      rejectAll(err);
      worker.terminate();
    },
  };
}
