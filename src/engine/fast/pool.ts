// The fast engine's worker threads: the O(N²·d) softmax products are split into row blocks,
// one per thread, the calling thread computing the first block itself while the others run.
// Every block needs all of K and V: where the page is cross-origin isolated they travel in one
// SharedArrayBuffer that every thread reads; elsewhere each thread gets a copy (O(N·d), small
// next to the block's O(N²·d / threads) arithmetic).
import { FastKernels, type SoftmaxBlock, type SoftmaxOp } from './kernels';

export type ThreadRequest =
  | { type: 'init'; module: WebAssembly.Module }
  | { type: 'run'; id: number; op: SoftmaxOp; r0: number; r1: number };
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'block'; id: number; block: SoftmaxBlock }
  | { type: 'error'; id: number; message: string };

/**
 * The least arithmetic (multiply-adds of the scores and of P·V) worth sending to another thread:
 * about 2 ms of one core. Below it a message's round trip, the thread's own copy and transpose of
 * K and V, and waiting for a thread the OS has not scheduled (on a busy 2-core machine) cost more
 * than the split saves: W2's 512-token products (17 M each) run whole on the calling thread,
 * Cora's 2,708-node ContraNorm (470 M) is split over every thread.
 */
export const MIN_MADDS_PER_PART = 25e6;

/** Worker threads to start besides the caller's: one per further core, at most 7; none without Worker. */
export function defaultThreadCount(): number {
  if (typeof Worker === 'undefined' || typeof navigator === 'undefined') return 0;
  return Math.max(0, Math.min(7, (navigator.hardwareConcurrency || 1) - 1));
}

/** Copy the op's operands into one SharedArrayBuffer, where that can be shared with workers. */
function shareOperands(op: SoftmaxOp): SoftmaxOp {
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) return op;
  const parts = op.q === op.k ? [op.q, op.v] : [op.q, op.k, op.v];
  const sab = new SharedArrayBuffer(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  const shared = parts.map((p) => {
    const view = new Float32Array(sab, offset, p.length);
    view.set(p);
    offset += p.byteLength;
    return view;
  });
  return op.q === op.k
    ? { ...op, q: shared[0], k: shared[0], v: shared[1] }
    : { ...op, q: shared[0], k: shared[1], v: shared[2] };
}

export class SoftmaxPool {
  private nextId = 1;
  private pending = new Map<number, { resolve: (b: SoftmaxBlock) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly workers: Worker[],
    private readonly minMaddsPerPart: number,
  ) {
    for (const w of workers) {
      w.onmessage = (e: MessageEvent<ThreadReply>) => {
        const msg = e.data;
        if (msg.type === 'ready') return;
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.type === 'block') p.resolve(msg.block);
        else p.reject(new Error(`fast engine thread: ${msg.message}`));
      };
      w.onerror = (e) => {
        const err = new Error(`a fast engine thread failed: ${e.message}`);
        this.pending.forEach((p) => p.reject(err));
        this.pending.clear();
      };
    }
  }

  /**
   * Start `threads` workers, each instantiating the kernels from the compiled module. A product
   * is split into parts of at least `minMaddsPerPart` multiply-adds (tests lower it, so that
   * small products take the threaded paths too).
   */
  static async create(
    module: WebAssembly.Module,
    threads: number,
    minMaddsPerPart = MIN_MADDS_PER_PART,
  ): Promise<SoftmaxPool> {
    const workers = await Promise.all(
      Array.from({ length: threads }, async (_, i) => {
        const w = new Worker(new URL('./thread.ts', import.meta.url), {
          type: 'module',
          name: `fast-${i + 1}`,
        });
        await new Promise<void>((resolve, reject) => {
          w.onmessage = (e: MessageEvent<ThreadReply>) => {
            if (e.data.type === 'ready') resolve();
          };
          w.onerror = (e) => reject(new Error(`a fast engine thread failed to start: ${e.message}`));
          w.postMessage({ type: 'init', module } satisfies ThreadRequest);
        });
        return w;
      }),
    );
    return new SoftmaxPool(workers, minMaddsPerPart);
  }

  get threads(): number {
    return this.workers.length;
  }

  /** How many parts run() splits the op into (1: it runs whole on the calling thread). */
  parts(op: Pick<SoftmaxOp, 'n' | 'dk' | 'dv' | 'symmetric'>): number {
    const madds = op.n * op.n * (op.dk + op.dv) * (op.symmetric ? 0.75 : 1);
    // At least one 4-row block per part.
    return Math.max(
      1,
      Math.min(
        this.workers.length + 1,
        Math.floor(op.n / 4),
        Math.floor(madds / Math.max(this.minMaddsPerPart, 1)),
      ),
    );
  }

  /** All n rows of the op: the first block here on `local`, the others on the workers. */
  async run(op: SoftmaxOp, local: FastKernels): Promise<SoftmaxBlock[]> {
    const parts = this.parts(op);
    if (parts === 1) return [local.softmaxBlock(op, 0, op.n)];
    // Block edges on multiples of 4 rows (the kernels' row block). A symmetric op's block at row
    // r scores the keys ≥ r only: equal shares of that triangle, n·r − r²/2, rather than of rows.
    const share = (i: number): number =>
      op.symmetric ? op.n * (1 - Math.sqrt(1 - i / parts)) : (op.n * i) / parts;
    const edges = Array.from({ length: parts + 1 }, (_, i) => Math.min(op.n, Math.round(share(i) / 4) * 4));
    edges[parts] = op.n;
    const shared = shareOperands(op);
    const remote = this.workers.slice(0, parts - 1).map(
      (w, i) =>
        new Promise<SoftmaxBlock>((resolve, reject) => {
          const id = this.nextId++;
          this.pending.set(id, { resolve, reject });
          w.postMessage({
            type: 'run',
            id,
            op: shared,
            r0: edges[i + 1],
            r1: edges[i + 2],
          } satisfies ThreadRequest);
        }),
    );
    const first = local.softmaxBlock(op, edges[0], edges[1]);
    return [first, ...(await Promise.all(remote))];
  }

  dispose(): void {
    for (const w of this.workers) w.terminate();
    const err = new Error('the fast engine was disposed');
    err.name = 'AbortError';
    this.pending.forEach((p) => p.reject(err));
    this.pending.clear();
  }
}
