// Turning the run's records into plot lines and shared axis ranges (pure functions).
import type { LossKind } from '../../noncontrastive/model';
import type { NcRun } from '../../runtime/noncontrastive';
import { COLLAPSE_THRESHOLD, type SpectrumRecord } from '../../noncontrastive/trainer';
import type { PlotLine } from '../plot/LinePlot';

/** Lowest decade a log eigenvalue axis shows: collapsing modes run off below it. */
export const LOG_FLOOR = 1e-10;
/** Highest: a diverging run's last finite values (1e100 and more) would squash every other line. */
export const LOG_CEILING = 1e6;
/** The predictor axis's limit, for the same reason. */
export const PREDICTOR_LIMIT = 20;

/** One line per mode j (j-th largest), from the records' field. */
export function modeLines(
  records: readonly SpectrumRecord[],
  field: 'eigW' | 'eigP',
  style: Omit<PlotLine, 'key' | 'points'>,
  prefix: string,
): PlotLine[] {
  const n = records[0]?.[field].length ?? 0;
  const out: PlotLine[] = [];
  for (let j = 0; j < n; j++)
    out.push({ ...style, key: `${prefix}${j}`, points: records.map((r) => ({ x: r.step, y: r[field][j] })) });
  return out;
}

/** ODE lines (s or p per mode; p sorted per step to pair with the sorted eigenvalues). */
export function odeLines(run: NcRun, field: 's' | 'p', style: Omit<PlotLine, 'key' | 'points'>): PlotLine[] {
  const ode = run.ode;
  if (!ode) return [];
  const rows = field === 's' ? ode.s : ode.p.map((p) => [...p].sort((a, b) => b - a));
  const n = rows[0]?.length ?? 0;
  const out: PlotLine[] = [];
  for (let j = 0; j < n; j++)
    out.push({
      ...style,
      key: `ode-${field}${j}`,
      points: ode.steps.map((s, k) => ({ x: s, y: rows[k][j] })),
    });
  return out;
}

/** A log range covering every finite positive eigenvalue of both runs (and the ODE), with the threshold in view. */
export function eigenDomain(run: NcRun): [number, number] {
  let lo = COLLAPSE_THRESHOLD / 10;
  let hi = COLLAPSE_THRESHOLD * 10;
  const see = (v: number) => {
    if (!Number.isFinite(v) || v <= 0) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const k of ['euclidean', 'cosine'] as LossKind[]) for (const r of run.records[k]) r.eigW.forEach(see);
  if (run.ode) for (const row of run.ode.s) row.forEach(see);
  const top = Math.min(LOG_CEILING, 10 ** Math.ceil(Math.log10(hi * 1.5)));
  const bottom = Math.max(LOG_FLOOR, 10 ** Math.floor(Math.log10(lo)));
  return [bottom, top];
}

/** A linear range for the predictor's eigenvalues of both runs (and the ODE), always including 0. */
export function predictorDomain(run: NcRun): [number, number] {
  let lo = 0;
  let hi = 1;
  const see = (v: number) => {
    if (!Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const k of ['euclidean', 'cosine'] as LossKind[]) for (const r of run.records[k]) r.eigP.forEach(see);
  if (run.ode) for (const row of run.ode.p) row.forEach(see);
  lo = Math.max(lo, -PREDICTOR_LIMIT);
  hi = Math.min(hi, PREDICTOR_LIMIT);
  const pad = 0.05 * (hi - lo);
  return [lo - (lo < 0 ? pad : 0), hi + pad];
}

export function lastRecord(run: NcRun, kind: LossKind): SpectrumRecord | null {
  const r = run.records[kind];
  return r.length ? r[r.length - 1] : null;
}
