// The training API backed by a dedicated worker (src/training/worker.ts): what the page uses.
// Latest wins: a new job (or an aborted signal) rejects the job in flight with an AbortError and
// asks the worker to cancel it. The worker acknowledges a cancel as soon as its thread is free;
// a trainer busy in one long synchronous call cannot, so when no acknowledgement arrives within
// STUCK_MS the worker is replaced by a fresh one and the newest job is sent there.
import { getRegisteredDataset } from '../data/registry';
import type { Dataset } from '../engine/types';
import type { FromTrainWorker, RanOn, ToTrainWorker } from './protocol';
import type { GradientLayerStats, TrainConfig, TrainProgress, TrainResult } from './types';

export interface WorkerTrainer {
  readonly kind: 'gpu' | 'cpu';
  /** Why the GPU trainer is not in use, or null. */
  readonly fallbackReason: string | null;
  /** Gradient statistics at initialization of each configuration; `onEach` as each one arrives. */
  gradients(
    configs: TrainConfig[],
    onEach?: (index: number, stats: GradientLayerStats[], ranOn: RanOn) => void,
    signal?: AbortSignal,
  ): Promise<GradientLayerStats[][]>;
  /**
   * Train; `onStarted` names the trainer that runs it (called again, before any further progress,
   * if the run restarts on the CPU after the GPU trainer failed).
   */
  train(
    config: TrainConfig,
    onProgress?: (p: TrainProgress) => void,
    signal?: AbortSignal,
    onStarted?: (ranOn: RanOn) => void,
  ): Promise<TrainResult>;
  dispose(): void;
}

/** How long a cancelled job may keep the worker busy before the worker is replaced. */
const STUCK_MS = 1500;

type Ready = Extract<FromTrainWorker, { type: 'ready' }>;

interface Job {
  id: number;
  message: Extract<ToTrainWorker, { type: 'gradients' | 'train' }>;
  onMessage: (msg: FromTrainWorker) => void;
  reject: (err: Error) => void;
}

function abortError(message = 'superseded by a newer request'): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

function datasetOf(config: TrainConfig): Dataset | undefined {
  return config.dataset.kind === 'loaded' ? getRegisteredDataset(config.dataset.id) : undefined;
}

export async function createWorkerTrainer(options: { prefer?: 'gpu' | 'cpu' } = {}): Promise<WorkerTrainer> {
  const impl = new WorkerTrainerImpl(options.prefer ?? 'gpu');
  await impl.start();
  return impl;
}

class WorkerTrainerImpl implements WorkerTrainer {
  kind: 'gpu' | 'cpu' = 'cpu';
  fallbackReason: string | null = null;
  private worker: Worker | null = null;
  /** Settles when the current worker is ready; replaced on every spawn. */
  private ready: Promise<Ready> = new Promise<Ready>(() => {});
  private nextId = 1;
  private job: Job | null = null;
  /** Ids of cancelled jobs the worker has not let go of yet, with their watchdog timers. */
  private stale = new Map<number, number>();
  private sent = new Set<string>();
  private disposed = false;

  constructor(private readonly prefer: 'gpu' | 'cpu') {}

  async start(): Promise<void> {
    this.spawn();
    const ready = await this.ready;
    this.kind = ready.kind;
    this.fallbackReason = ready.fallbackReason;
  }

  private spawn(): void {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
    this.worker = worker;
    this.sent.clear();
    this.ready = new Promise<Ready>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromTrainWorker>) => {
        if (e.data.type === 'ready') {
          resolve(e.data);
          return;
        }
        this.receive(e.data);
      };
      worker.onerror = (e) => {
        const err = new Error(`the training worker failed: ${e.message}`);
        reject(err);
        this.job?.reject(err);
        this.job = null;
      };
    });
    // Whoever waits on `ready` sees a failure; nobody waiting is not an unhandled rejection.
    this.ready.catch(() => {});
    worker.postMessage({ type: 'init', prefer: this.prefer } satisfies ToTrainWorker);
  }

  private receive(msg: FromTrainWorker): void {
    if (msg.type === 'ready') return;
    if ((msg.type === 'done' || msg.type === 'error') && this.stale.has(msg.id)) {
      window.clearTimeout(this.stale.get(msg.id));
      this.stale.delete(msg.id);
      return;
    }
    if (this.job && msg.id === this.job.id) this.job.onMessage(msg);
  }

  /** Reject the job in flight and ask the worker to drop it; replace the worker if it cannot. */
  private supersede(reason?: string): void {
    const old = this.job;
    if (!old) return;
    this.job = null;
    old.reject(abortError(reason));
    this.worker?.postMessage({ type: 'cancel', id: old.id } satisfies ToTrainWorker);
    const timer = window.setTimeout(() => {
      if (!this.stale.has(old.id) || this.disposed) return;
      // The trainer did not yield: start over with a fresh worker and re-send the newest job.
      this.stale.clear();
      this.worker?.terminate();
      this.spawn();
      const job = this.job;
      if (job) void this.post(job);
    }, STUCK_MS);
    this.stale.set(old.id, timer);
  }

  private async post(job: Job): Promise<void> {
    let ready: Ready;
    try {
      ready = await this.ready;
    } catch (err) {
      if (this.job === job) {
        this.job = null;
        job.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return;
    }
    if (this.job !== job || !this.worker) return;
    this.kind = ready.kind;
    this.fallbackReason = ready.fallbackReason;
    const configs = job.message.type === 'gradients' ? job.message.configs : [job.message.config];
    const dataset = configs.map(datasetOf).find((d) => d !== undefined);
    const send = dataset && !this.sent.has(dataset.id) ? dataset : undefined;
    if (send) this.sent.add(send.id);
    this.worker.postMessage({ ...job.message, dataset: send } satisfies ToTrainWorker);
  }

  private run<T>(
    make: (id: number) => Job['message'],
    handle: (msg: FromTrainWorker, resolve: (v: T) => void) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.disposed) return Promise.reject(abortError('the trainer was disposed'));
    if (signal?.aborted) return Promise.reject(abortError('aborted'));
    this.supersede();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        id,
        message: make(id),
        reject,
        onMessage: (msg) => {
          if (msg.type === 'error') {
            this.job = null;
            const err = new Error(msg.message);
            err.name = msg.name;
            reject(err);
          } else handle(msg, resolve);
        },
      };
      this.job = job;
      signal?.addEventListener(
        'abort',
        () => {
          if (this.job === job) this.supersede('aborted');
        },
        { once: true },
      );
      void this.post(job);
    });
  }

  gradients(
    configs: TrainConfig[],
    onEach?: (index: number, stats: GradientLayerStats[], ranOn: RanOn) => void,
    signal?: AbortSignal,
  ): Promise<GradientLayerStats[][]> {
    const out: GradientLayerStats[][] = [];
    return this.run<GradientLayerStats[][]>(
      (id) => ({ type: 'gradients', id, configs }),
      (msg, resolve) => {
        if (msg.type === 'gradients') {
          out[msg.index] = msg.stats;
          onEach?.(msg.index, msg.stats, msg.ranOn);
        } else if (msg.type === 'done') {
          this.job = null;
          resolve(out);
        }
      },
      signal,
    );
  }

  train(
    config: TrainConfig,
    onProgress?: (p: TrainProgress) => void,
    signal?: AbortSignal,
    onStarted?: (ranOn: RanOn) => void,
  ): Promise<TrainResult> {
    return this.run<TrainResult>(
      (id) => ({ type: 'train', id, config }),
      (msg, resolve) => {
        if (msg.type === 'started') onStarted?.(msg.ranOn);
        else if (msg.type === 'progress') onProgress?.(msg.progress);
        else if (msg.type === 'done' && msg.result) {
          this.job = null;
          resolve(msg.result);
        }
      },
      signal,
    );
  }

  dispose(): void {
    this.disposed = true;
    this.supersede('the trainer was disposed');
    this.stale.forEach((t) => window.clearTimeout(t));
    this.stale.clear();
    this.worker?.postMessage({ type: 'dispose' } satisfies ToTrainWorker);
    this.worker?.terminate();
    this.worker = null;
  }
}
