// The float64 work the GPU engine does on the host for each layer it reads back: the spectrum's
// eigenvalues (finishMetrics) and the projection's two axes (the top two eigenvectors of the
// covariance). About 1–3 ms a layer at d = 64, against well under a millisecond of GPU work on a
// real GPU, so the group's layers are shared between the engine's own thread and a few worker
// threads: the engine thread solves the first share while the workers solve the others, and the
// next group is already on the GPU meanwhile (the host loop is pipelined).
//
// The axes are always found by the direct solve (topEigenvectors), never warm-started from the
// previous layer: then every layer is independent of the others and of which thread solved it, so
// the picture does not depend on the number of cores. (The picture depends only on the plane of
// the two axes, which both ways find to working precision.)
import { finishMetrics, type LayerSums } from '../metrics';
import { topEigenvectors } from '../../math/spectrum';
import type { Axes } from '../../math/projection';
import type { LayerMetrics } from '../types';

export interface LayerSolveJob {
  sums: LayerSums;
  centeredSpectrum: boolean;
  /** The covariance of rn(H) (width × width), when the layer's axes are wanted. */
  covariance: Float64Array | null;
  width: number;
}

export interface LayerSolved {
  metrics: LayerMetrics;
  /** The covariance's top two eigenvectors (null: none asked, or the solve failed). */
  axes: Axes | null;
}

export function solveLayer(job: LayerSolveJob): LayerSolved {
  const metrics = finishMetrics(job.sums, job.centeredSpectrum);
  let axes: Axes | null = null;
  if (job.covariance) {
    const w = job.width;
    if (w === 1) axes = [Float64Array.of(1), Float64Array.of(0)];
    else {
      const top = topEigenvectors(job.covariance, w, 2);
      if (top) axes = [top.vectors[0]!, top.vectors[1]!];
    }
  }
  return { metrics, axes };
}

export type SolverRequest = { id: number; jobs: LayerSolveJob[] };
export type SolverReply = { id: number; solved: LayerSolved[] } | { id: number; error: string };

/**
 * Below about this many multiply-adds of eigensolve a layer (d ≈ 24) a share is not worth a
 * message's round trip and a thread the OS may not schedule at once: the engine thread solves it.
 */
const MIN_WIDTH_CUBED = 24 ** 3;

/** Worker threads besides the engine's own: one per further core, at most 3; none without Worker. */
export function solverThreadCount(): number {
  if (typeof Worker === 'undefined' || typeof navigator === 'undefined') return 0;
  return Math.max(0, Math.min(3, (navigator.hardwareConcurrency || 1) - 1));
}

export class HostSolver {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (s: LayerSolved[]) => void; reject: (e: Error) => void }
  >();
  private workers: Worker[] | null = null;
  private broken: string | null = null;

  constructor(private readonly threads = solverThreadCount()) {}

  /** Started on first use, so an engine that never reads back layers starts no thread. */
  private pool(): Worker[] {
    if (this.workers) return this.workers;
    this.workers = [];
    for (let i = 0; i < this.threads; i++) {
      const w = new Worker(new URL('./solverThread.ts', import.meta.url), {
        type: 'module',
        name: `gpu-host-solver-${i + 1}`,
      });
      w.onmessage = (e: MessageEvent<SolverReply>) => {
        const msg = e.data;
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if ('solved' in msg) p.resolve(msg.solved);
        else p.reject(new Error(`host solver thread: ${msg.error}`));
      };
      // A thread that fails (to load, say) is not retried: later groups solve on the engine thread.
      w.onerror = (e) => {
        e.preventDefault();
        this.broken = e.message || 'a host solver thread failed';
        const err = new Error(this.broken);
        this.pending.forEach((p) => p.reject(err));
        this.pending.clear();
      };
      this.workers.push(w);
    }
    return this.workers;
  }

  /**
   * Every job's result, in order; shares run on the workers while this thread solves the first.
   * `remote`: how many of them a worker thread solved.
   */
  async solve(jobs: LayerSolveJob[]): Promise<{ solved: LayerSolved[]; remote: number }> {
    const width = Math.max(0, ...jobs.map((j) => j.width));
    const parts = this.broken || width ** 3 < MIN_WIDTH_CUBED ? 1 : Math.min(jobs.length, this.threads + 1);
    if (parts <= 1) return { solved: jobs.map(solveLayer), remote: 0 };
    const workers = this.pool();
    const edges = Array.from({ length: parts + 1 }, (_, i) => Math.round((jobs.length * i) / parts));
    const remote = workers.slice(0, parts - 1).map((w, i) => {
      const share = jobs.slice(edges[i + 1], edges[i + 2]);
      return new Promise<LayerSolved[]>((resolve, reject) => {
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, jobs: share } satisfies SolverRequest);
      });
    });
    const local = jobs.slice(0, edges[1]).map(solveLayer);
    try {
      return { solved: local.concat(...(await Promise.all(remote))), remote: jobs.length - local.length };
    } catch {
      // A lost thread costs time, never a result: solve what it had here.
      return { solved: jobs.map(solveLayer), remote: 0 };
    }
  }

  dispose(): void {
    this.workers?.forEach((w) => w.terminate());
    this.workers = null;
    const err = new Error('the host solver was disposed');
    this.pending.forEach((p) => p.reject(err));
    this.pending.clear();
  }
}
