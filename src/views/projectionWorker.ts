// The embedding view's PCA + Procrustes alignment of every layer (src/views/projection.ts), off
// the main thread: for a 64-layer run the chain of per-layer eigenvectors took 50–300 ms of main
// thread per new result, i.e. one long task per slider step. Requests are latest-wins per key
// (panel): requests that queue up while the thread is busy collapse into the newest one.
/// <reference lib="webworker" />
import { LayerProjections } from './projection';
import type { ProjectionReply, ProjectionRequest } from './lecture/projectionProtocol';

declare const self: DedicatedWorkerGlobalScope;

const pending = new Map<string, ProjectionRequest>();
let scheduled = false;

function project(req: ProjectionRequest): ProjectionReply {
  const p = new LayerProjections(req.layers, req.n, req.mode);
  const layers: (Float64Array | null)[] = [];
  for (let l = 0; l < p.count; l++) layers.push(p.get(l));
  return { id: req.id, key: req.key, layers };
}

function drain(): void {
  scheduled = false;
  const batch = [...pending.values()];
  pending.clear();
  for (const req of batch) {
    const reply = project(req);
    // A layer's coordinates may be the previous layer's array (it never is today, but a shared
    // buffer cannot be transferred twice): transfer each buffer once.
    const buffers = new Set(reply.layers.flatMap((c) => (c ? [c.buffer as ArrayBuffer] : [])));
    self.postMessage(reply, [...buffers]);
  }
}

self.onmessage = (event: MessageEvent<ProjectionRequest>) => {
  pending.set(event.data.key, event.data);
  if (!scheduled) {
    scheduled = true;
    // A macrotask later: every request already queued behind this one arrives first.
    setTimeout(drain, 0);
  }
};
