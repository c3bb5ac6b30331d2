// One worker thread of the fast engine's pool (./pool.ts): its own instance of the WebAssembly
// kernels, computing the row blocks of softmax products it is sent.
/// <reference lib="webworker" />
import { FastKernels } from './kernels';
import type { ThreadReply, ThreadRequest } from './pool';

declare const self: DedicatedWorkerGlobalScope;

let kernels: Promise<FastKernels> | null = null;

self.onmessage = async (event: MessageEvent<ThreadRequest>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    kernels = FastKernels.create(msg.module);
    await kernels;
    self.postMessage({ type: 'ready' } satisfies ThreadReply);
    return;
  }
  try {
    if (!kernels) throw new Error('the thread was not initialized');
    const block = (await kernels).softmaxBlock(msg.op, msg.r0, msg.r1);
    const transfer = [block.o.buffer, block.stats.buffer, ...(block.colSum ? [block.colSum.buffer] : [])];
    self.postMessage({ type: 'block', id: msg.id, block } satisfies ThreadReply, transfer);
  } catch (err) {
    self.postMessage({ type: 'error', id: msg.id, message: (err as Error).message } satisfies ThreadReply);
  }
};
