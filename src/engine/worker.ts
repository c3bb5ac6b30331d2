// The engine's own thread: the GPU engine (or the CPU fallback) runs here, eigen-solves and
// metric finishing included, so that the page's main thread never waits on them.
/// <reference lib="webworker" />
import { createEngine } from './create';
import { registerDataset, unregisterDataset } from '../data/registry';
import type { FromWorker, ToWorker } from './protocol';
import type { Dataset, Engine, RunResult } from './types';

declare const self: DedicatedWorkerGlobalScope;

let engine: Engine | null = null;
const datasets = new Map<string, Dataset>();
const controllers = new Map<number, AbortController>();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** The result with feature arrays of its own, not shared with the engine's cache (a copy is cheap next to a structured clone). */
function copyOut(result: RunResult): RunResult {
  return {
    ...result,
    layers: result.layers.map((l) => (l.features ? { ...l, features: l.features.slice() } : l)),
  };
}
const transferables = (result: RunResult): Transferable[] =>
  result.layers.flatMap((l) => (l.features ? [l.features.buffer as ArrayBuffer] : []));

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    const created = await createEngine({
      choice: msg.choice,
      calibration: msg.calibration,
      onDeviceLost: (message) => post({ type: 'device-lost', message }),
    });
    engine = created.engine;
    // The GPU engine's device limits (the page refuses a loaded set beyond them up front).
    const limits = (engine as { context?: { limits?: { maxStorageBufferBindingSize?: number } } }).context
      ?.limits;
    post({
      type: 'ready',
      kind: engine.kind,
      name: created.name,
      adapter: created.adapter,
      fallbackReason: created.fallbackReason,
      reason: created.reason,
      calibration: created.calibration,
      maxBufferBytes: limits?.maxStorageBufferBindingSize ?? null,
    });
    return;
  }
  if (msg.type === 'register-dataset') {
    // The engines resolve { kind: 'loaded', id } through this worker's registry.
    registerDataset(msg.dataset);
    return;
  }
  if (msg.type === 'forget-dataset') {
    unregisterDataset(msg.id);
    datasets.delete(msg.id);
    return;
  }
  if (msg.type === 'dispose') {
    engine?.dispose();
    engine = null;
    return;
  }
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  if (!engine) {
    post({ type: 'error', id: msg.id, name: 'Error', message: 'the engine worker is not initialized' });
    return;
  }
  if (msg.dataset) datasets.set(msg.dataset.id, msg.dataset);
  const dataset = msg.config.dataset.kind === 'loaded' ? datasets.get(msg.config.dataset.id) : undefined;
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  try {
    const result = await engine.run(msg.config, {
      features: msg.features,
      ...(msg.projection ? { projection: msg.projection } : {}),
      signal: controller.signal,
      dataset,
      ...(msg.progress
        ? {
            onProgress: (partial: RunResult) => {
              const p = copyOut(partial);
              post({ type: 'progress', id: msg.id, result: p }, transferables(p));
            },
          }
        : {}),
    });
    const out = copyOut(result);
    post({ type: 'result', id: msg.id, result: out }, transferables(out));
  } catch (err) {
    const e = err as Error;
    post({ type: 'error', id: msg.id, name: e.name, message: e.message });
  } finally {
    controllers.delete(msg.id);
  }
};
