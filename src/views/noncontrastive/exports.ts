// Exports of the eigenvalue trajectories with the configuration that produced them: CSV (one
// row per loss, step and mode; the ODE's prediction beside the Euclidean rows) and JSON.
import { LOSS_KINDS, type NcConfig } from '../../noncontrastive/model';
import type { NcRun } from '../../runtime/noncontrastive';
import { COLLAPSE_THRESHOLD } from '../../noncontrastive/trainer';

const COLUMNS = ['loss', 'step', 'time', 'mode', 'eig_WWt', 'eig_Wp_sym', 'ode_s', 'ode_p', 'loss_value'];

function num(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

/** The configuration as "# key = value" lines, then the table. */
export function trajectoriesCsv(run: NcRun, cfg: NcConfig, url: string): string {
  const head = [
    '# Linear SimSiam/BYOL (SPEC §3): Euclidean vs cosine loss from the same initialization and data',
    `# link: ${url}`,
    ...Object.entries(cfg).map(([k, v]) => `# ${k} = ${String(v)}`),
    `# collapse threshold (eigenvalue of W Wᵀ) = ${COLLAPSE_THRESHOLD}`,
    '# time = step × lr (the ODE’s time); eig_Wp_sym: eigenvalues of (W_p + W_pᵀ)/2, descending; ode_p sorted alike',
  ];
  const odeIndex = new Map(run.ode?.steps.map((s, k) => [s, k]) ?? []);
  const lines = [...head, COLUMNS.join(',')];
  for (const kind of LOSS_KINDS)
    for (const r of run.records[kind]) {
      const k = odeIndex.get(r.step);
      const odeS = kind === 'euclidean' && k !== undefined ? run.ode?.s[k] : undefined;
      const odeP =
        kind === 'euclidean' && k !== undefined
          ? [...(run.ode?.p[k] ?? [])].sort((a, b) => b - a)
          : undefined;
      r.eigW.forEach((v, j) =>
        lines.push(
          [kind, r.step, r.step * cfg.lr, j, v, r.eigP[j], num(odeS?.[j]), num(odeP?.[j]), r.loss].join(','),
        ),
      );
    }
  return lines.join('\n') + '\n';
}

export function trajectoriesJson(run: NcRun, cfg: NcConfig, url: string): string {
  return JSON.stringify(
    {
      model: 'linear SimSiam/BYOL, SPEC §3',
      link: url,
      config: cfg,
      collapseThreshold: COLLAPSE_THRESHOLD,
      step: run.step,
      divergedAt: run.divergedAt,
      records: run.records,
      ode: run.ode,
      odeInitialModes: run.initialModes,
    },
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    1,
  );
}
