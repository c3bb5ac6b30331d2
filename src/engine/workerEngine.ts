// The Engine API backed by a dedicated worker (src/engine/worker.ts): what the page uses, so
// that the GPU engine's readbacks and the float64 finishing (eigenvalues included) or the CPU
// fallback never block input. Latest wins across the boundary: the worker's engine rejects a
// superseded run with an AbortError, which arrives here as the same rejection.
import type { FromWorker, ToWorker } from './protocol';
import { getRegisteredDataset } from '../data/datasets';
import type { Dataset, Engine, EngineConfig, RunOptions, RunResult } from './types';
import type { Calibration, EngineChoice, EngineName } from './create';

export interface WorkerEngine extends Engine {
  /** Which engine runs: the GPU engine, the fast CPU engine or the float64 reference. */
  readonly name: EngineName;
  /** The adapter seen ("google swiftshader"), or "" without one. */
  readonly adapter: string;
  /** Why the GPU engine is not in use, or null. */
  readonly fallbackReason: string | null;
  /** Why this engine runs, for the page. */
  readonly reason: string;
  /** The engine-choice measurement (to cache per browser), or null. */
  readonly calibration: Calibration | null;
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

export async function createWorkerEngine(
  options: {
    choice?: EngineChoice;
    calibration?: Calibration | null;
    onDeviceLost?: (message: string) => void;
  } = {},
): Promise<WorkerEngine> {
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
  return new WorkerEngineImpl(worker, ready, options.onDeviceLost);
}

class WorkerEngineImpl implements WorkerEngine {
  readonly kind: 'gpu' | 'cpu';
  readonly name: EngineName;
  readonly adapter: string;
  readonly fallbackReason: string | null;
  readonly reason: string;
  readonly calibration: Calibration | null;
  readonly maxBufferBytes: number | null;
  private nextId = 1;
  private pending = new Map<
    number,
    { resolve: (r: RunResult) => void; reject: (e: Error) => void; onProgress?: (r: RunResult) => void }
  >();
  private sentDatasets = new Set<string>();

  constructor(
    private readonly worker: Worker,
    ready: Extract<FromWorker, { type: 'ready' }>,
    onDeviceLost?: (message: string) => void,
  ) {
    this.kind = ready.kind;
    this.name = ready.name;
    this.adapter = ready.adapter;
    this.fallbackReason = ready.fallbackReason;
    this.reason = ready.reason;
    this.calibration = ready.calibration;
    this.maxBufferBytes = ready.maxBufferBytes ?? null;
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      if (msg.type === 'device-lost') {
        onDeviceLost?.(msg.message);
        return;
      }
      if (msg.type === 'ready') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') {
        p.onProgress?.(msg.result);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.type === 'result') p.resolve(msg.result);
      else {
        const err = new Error(msg.message);
        err.name = msg.name;
        p.reject(err);
      }
    };
    worker.onerror = (e) => {
      const err = new Error(`the engine worker crashed: ${e.message}`);
      this.pending.forEach((p) => p.reject(err));
      this.pending.clear();
    };
  }

  run(config: EngineConfig, options: RunOptions = {}): Promise<RunResult> {
    const id = this.nextId++;
    let dataset = options.dataset;
    if (!dataset && config.dataset.kind === 'loaded') dataset = getRegisteredDataset(config.dataset.id);
    if (dataset && config.dataset.kind !== 'loaded') dataset = undefined; // generated sets are rebuilt in the worker
    const send = dataset && !this.sentDatasets.has(dataset.id) ? dataset : undefined;
    if (send) this.sentDatasets.add(send.id);
    return new Promise<RunResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress: options.onProgress });
      options.signal?.addEventListener(
        'abort',
        () => this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker),
        { once: true },
      );
      this.worker.postMessage({
        type: 'run',
        id,
        config,
        features: options.features ?? 'all',
        ...(options.projection ? { projection: options.projection } : {}),
        dataset: send,
        progress: options.onProgress !== undefined,
      } satisfies ToWorker);
    });
  }

  registerDataset(dataset: Dataset): void {
    this.worker.postMessage({ type: 'register-dataset', dataset } satisfies ToWorker);
    this.sentDatasets.add(dataset.id);
  }

  forgetDataset(id: string): void {
    if (!this.sentDatasets.delete(id)) return;
    this.worker.postMessage({ type: 'forget-dataset', id } satisfies ToWorker);
  }

  dispose(): void {
    this.worker.postMessage({ type: 'dispose' } satisfies ToWorker);
    const err = new Error('the engine was disposed');
    err.name = 'AbortError';
    this.pending.forEach((p) => p.reject(err));
    this.pending.clear();
    this.worker.terminate();
  }
}
