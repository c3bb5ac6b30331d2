// Exports of the training view: the curves of the part on screen as CSV or JSON, each with the
// configuration that produced them and the page's URL. CSV files open with '#' comment lines
// (pandas: read_csv(..., comment='#')). Published figures are exported as published rows,
// never merged into ours.
import { serializeState } from '../../state/page';
import { pickState, useLecture } from '../../state/store';
import { CONTRANORM_CORA } from '../../training/paperFigures';
import type { TrainingPane } from '../../state/training';
import { download } from '../exports';
import { STACKS } from '../../state/training';
import { useTrainingRuns } from '../../runtime/training';
import { summarizeSweep } from './sweepSummary';

function url(): string {
  return `${window.location.origin}${window.location.pathname}#${serializeState(pickState(useLecture.getState()))}`;
}

function header(config: unknown): string[] {
  return [
    `# generator: collapse-visualizer, training view`,
    `# url: ${url()}`,
    `# config: ${JSON.stringify(config)}`,
  ];
}

export function gradientCsv(): string {
  const g = useTrainingRuns.getState().gradients;
  const lines = [...header(g.configs), 'stack,residual,layer,gradNorm,gradMu,repMu'];
  STACKS.forEach((st) => {
    for (const s of g.stacks[st.id] ?? [])
      lines.push([st.id, st.residual, s.layer, s.gradNorm, s.gradMu, s.repMu].join(','));
  });
  return lines.join('\n') + '\n';
}

export function trainCsv(): string {
  const t = useTrainingRuns.getState().train;
  const lines = [...header(t.config), 'epoch,loss,trainAcc,valAcc,testAcc'];
  for (const e of t.epochs) lines.push([e.epoch, e.loss, e.trainAcc, e.valAcc, e.testAcc].join(','));
  return lines.join('\n') + '\n';
}

export function sweepCsv(): string {
  const sw = useTrainingRuns.getState().sweep;
  const base = sw.runs[0]?.config ?? null;
  const lines = [...header(base), 'source,dataset,norm,depth,seed,testAccPercent,bestValEpoch'];
  const dataset = base ? JSON.stringify(base.dataset).replace(/,/g, ';') : '';
  for (const p of sw.points)
    lines.push(
      ['ours', `"${dataset}"`, p.norm, p.depth, p.seed, 100 * p.testAccAtBestVal, p.bestValEpoch].join(','),
    );
  for (const s of CONTRANORM_CORA.series)
    for (const p of s.points)
      lines.push(
        [`"published: ${CONTRANORM_CORA.source}"`, 'Cora', s.norm, p.depth, '', p.accuracy, ''].join(','),
      );
  return lines.join('\n') + '\n';
}

export function trainingJson(pane: TrainingPane): string {
  const r = useTrainingRuns.getState();
  const common = { generator: 'collapse-visualizer', view: 'training', url: url(), trainer: r.trainer };
  if (pane === 'gradients')
    return JSON.stringify(
      {
        ...common,
        part: 'gradients at initialization',
        stacks: STACKS.map((st, i) => ({
          stack: st.id,
          config: r.gradients.configs[i] ?? null,
          layers: r.gradients.stacks[st.id],
        })),
      },
      null,
      2,
    );
  if (pane === 'train')
    return JSON.stringify(
      {
        ...common,
        part: 'training',
        status: r.train.status,
        config: r.train.config,
        epochs: r.train.epochs,
        bestValEpoch: r.train.result?.bestValEpoch ?? null,
        testAccAtBestVal: r.train.result?.testAccAtBestVal ?? null,
        initialGradients: r.train.result?.initialGradients ?? null,
        engine: r.train.result?.engine ?? null,
      },
      null,
      2,
    );
  return JSON.stringify(
    {
      ...common,
      part: 'depth sweep',
      status: r.sweep.status,
      runs: r.sweep.runs.map((x) => ({ norm: x.norm, depth: x.depth, seed: x.seed, config: x.config })),
      ours: { points: r.sweep.points, summary: summarizeSweep(r.sweep.points), failures: r.sweep.failures },
      published: CONTRANORM_CORA,
    },
    null,
    2,
  );
}

export function exportTrainingCsv(pane: TrainingPane): void {
  const text = pane === 'gradients' ? gradientCsv() : pane === 'train' ? trainCsv() : sweepCsv();
  download(`training-${pane}.csv`, new Blob([text], { type: 'text/csv' }));
}

export function exportTrainingJson(pane: TrainingPane): void {
  download(`training-${pane}.json`, new Blob([trainingJson(pane)], { type: 'application/json' }));
}
