// How long the depth sweep will take, from the runs timed so far on this machine. A run's work is
// counted in layer-epochs (epochs × (depth + 1): the convolutions plus the classifier), and each
// normalization has its own rate, since ContraNorm's N×N similarity costs far more per layer than
// the others. Before any run has been timed there is no honest number to give: null.
import type { NormKind } from '../engine/types';
import type { SweepRunSpec } from '../state/training';

export interface RunTiming {
  norm: NormKind;
  depth: number;
  epochs: number;
  ms: number;
}

/** The work of `epochs` epochs of a run at `depth`, in layer-epochs. */
export function runWork(depth: number, epochs: number): number {
  return epochs * (depth + 1);
}

/** Milliseconds per layer-epoch: per normalization where it was timed, else over all timed runs. */
export function ratesOf(timings: RunTiming[]): { byNorm: Map<NormKind, number>; overall: number | null } {
  const sums = new Map<NormKind, { ms: number; work: number }>();
  let ms = 0;
  let work = 0;
  for (const t of timings) {
    const w = runWork(t.depth, t.epochs);
    if (!(w > 0) || !Number.isFinite(t.ms)) continue;
    const s = sums.get(t.norm) ?? { ms: 0, work: 0 };
    s.ms += t.ms;
    s.work += w;
    sums.set(t.norm, s);
    ms += t.ms;
    work += w;
  }
  const byNorm = new Map<NormKind, number>();
  for (const [k, s] of sums) byNorm.set(k, s.ms / s.work);
  return { byNorm, overall: work > 0 ? ms / work : null };
}

export interface SweepProgress {
  runs: SweepRunSpec[];
  /** Index of the run in progress (runs.length when all are done). */
  current: number;
  /** Epochs of the current run done so far, and the milliseconds they took. */
  currentEpoch: number;
  currentMs: number;
  /** Every finished run of this machine's sweeps so far, this one's included. */
  timings: RunTiming[];
}

/** Milliseconds left, or null while nothing has been timed. */
export function remainingMs(p: SweepProgress): number | null {
  const timings = [...p.timings];
  const cur = p.runs[p.current];
  // The run in progress counts too once it has done a few epochs (the first sweep's first estimate).
  if (cur && p.currentEpoch >= 5 && p.currentMs > 0)
    timings.push({ norm: cur.norm, depth: cur.depth, epochs: p.currentEpoch, ms: p.currentMs });
  const { byNorm, overall } = ratesOf(timings);
  if (overall === null) return null;
  let ms = 0;
  for (let i = p.current; i < p.runs.length; i++) {
    const r = p.runs[i];
    const epochs = i === p.current ? Math.max(0, r.config.epochs - p.currentEpoch) : r.config.epochs;
    ms += runWork(r.depth, epochs) * (byNorm.get(r.norm) ?? overall);
  }
  return ms;
}

/** "about 40 s", "about 3 min", "about 1 h 20 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 90) return `about ${s} s`;
  const min = Math.round(s / 60);
  if (min < 90) return `about ${min} min`;
  return `about ${Math.floor(min / 60)} h ${min % 60} min`;
}
