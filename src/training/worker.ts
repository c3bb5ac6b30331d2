// The training thread: the trainers run here, so that backpropagation through hundreds of layers
// never blocks the page. The WGSL trainer (src/training/gpu) runs every configuration it supports
// where WebGPU works; the float64 CPU reference (src/training/reference) runs the rest, and every
// reply says which one ran and why (like src/engine/create.ts for the forward engine).
// One job at a time: a new job aborts the one in flight (latest wins).
/// <reference lib="webworker" />
import { buildDataset } from '../data/datasets';
import { registerDataset } from '../data/registry';
import { acquireGpu } from '../engine/gpu/device';
import { unsupportedReason } from './gpu/network';
import { createGpuTrainer } from './gpu/trainer';
import type { FromTrainWorker, RanOn, ToTrainWorker } from './protocol';
import { createReferenceTrainer } from './reference/trainer';
import type { TrainConfig, Trainer } from './types';

declare const self: DedicatedWorkerGlobalScope;

const cpu: Trainer = createReferenceTrainer();
let gpu: Trainer | null = null;
/** Why there is no GPU trainer (null when there is one). */
let gpuMissing: string | null = 'not initialized';
let current: { id: number; controller: AbortController } | null = null;

function post(message: FromTrainWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function abortError(): Error {
  const err = new Error('superseded by a newer request');
  err.name = 'AbortError';
  return err;
}

async function init(prefer: 'gpu' | 'cpu'): Promise<void> {
  if (prefer === 'cpu') {
    gpuMissing = 'the CPU reference trainer was asked for';
    return;
  }
  try {
    const ctx = await acquireGpu((message) => {
      // A lost device: later jobs run on the CPU, saying why.
      gpu = null;
      gpuMissing = `the GPU device was lost (${message})`;
    });
    gpu = createGpuTrainer(ctx);
    gpuMissing = null;
  } catch (err) {
    gpuMissing = err instanceof Error ? err.message : String(err);
  }
}

/** The trainer for one configuration: the GPU one when it exists and supports it. */
function pick(config: TrainConfig): { trainer: Trainer; ranOn: RanOn } {
  if (!gpu) return { trainer: cpu, ranOn: { kind: 'cpu', note: gpuMissing } };
  const reason = unsupportedReason(config, buildDataset(config.dataset).n);
  if (reason) return { trainer: cpu, ranOn: { kind: 'cpu', note: reason } };
  return { trainer: gpu, ranOn: { kind: 'gpu', note: null } };
}

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

/**
 * Run `job` on the chosen trainer; if the GPU trainer fails (not an abort), run it again on the
 * CPU reference and say so, rather than leave the page without numbers.
 */
async function withFallback<T>(
  config: TrainConfig,
  job: (trainer: Trainer, ranOn: RanOn) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  const { trainer, ranOn } = pick(config);
  if (trainer === cpu) return job(cpu, ranOn);
  try {
    return await job(trainer, ranOn);
  } catch (err) {
    if (isAbort(err) || signal.aborted) throw err;
    const why = err instanceof Error ? err.message : String(err);
    return job(cpu, { kind: 'cpu', note: `the GPU trainer failed (${why})` });
  }
}

self.onmessage = async (event: MessageEvent<ToTrainWorker>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    await init(msg.prefer);
    post({ type: 'ready', kind: gpu ? 'gpu' : 'cpu', fallbackReason: gpuMissing });
    return;
  }
  if (msg.type === 'dispose') {
    current?.controller.abort();
    gpu?.dispose();
    cpu.dispose();
    gpu = null;
    return;
  }
  if (msg.type === 'cancel') {
    if (current?.id === msg.id) current.controller.abort();
    // Acknowledge at once: this thread heard the request, so the page need not replace it; the
    // job itself stops at its next check (between epochs, or between configurations).
    post({ type: 'error', id: msg.id, name: 'AbortError', message: 'cancelled' });
    return;
  }
  // Loaded data sets live in this worker's own registry; the trainers resolve them by id.
  if (msg.dataset) registerDataset(msg.dataset);
  current?.controller.abort();
  const controller = new AbortController();
  const signal = controller.signal;
  current = { id: msg.id, controller };
  try {
    if (msg.type === 'gradients') {
      for (let index = 0; index < msg.configs.length; index++) {
        // Trainer.gradients takes no signal: one forward and backward pass is short, so the job
        // checks between configurations.
        if (signal.aborted) throw abortError();
        const config = msg.configs[index];
        let out = await withFallback(
          config,
          async (trainer, ranOn) => ({ stats: await trainer.gradients(config), ranOn }),
          signal,
        );
        // The GPU trainer reports NaN where a vanishing gradient left float32's range (see
        // normAndMu in gpu/trainer.ts); the float64 reference resolves it, so recompute there.
        const lost =
          out.ranOn.kind === 'gpu' ? out.stats.find((st) => !Number.isFinite(st.gradNorm)) : undefined;
        if (lost && !signal.aborted)
          out = {
            stats: await cpu.gradients(config),
            ranOn: {
              kind: 'cpu',
              note: `float32 gradient statistics left float32's range at layer ${lost.layer} (a vanishing gradient); recomputed in float64 on the CPU`,
            },
          };
        if (signal.aborted) throw abortError();
        post({ type: 'gradients', id: msg.id, index, stats: out.stats, ranOn: out.ranOn });
      }
      post({ type: 'done', id: msg.id });
    } else {
      const result = await withFallback(
        msg.config,
        async (trainer, ranOn) => {
          post({ type: 'started', id: msg.id, ranOn });
          const r = await trainer.train(
            msg.config,
            (progress) => {
              if (signal.aborted) return;
              const embeddings = progress.embeddings?.slice();
              post(
                { type: 'progress', id: msg.id, progress: { ...progress, embeddings } },
                embeddings ? [embeddings.buffer] : [],
              );
            },
            signal,
          );
          return { ...r, engine: { kind: ranOn.kind, note: ranOn.note ?? r.engine.note } };
        },
        signal,
      );
      post({ type: 'done', id: msg.id, result });
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'error', id: msg.id, name: signal.aborted ? 'AbortError' : e.name, message: e.message });
  } finally {
    if (current?.id === msg.id) current = null;
  }
};
