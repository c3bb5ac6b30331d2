// The training panel's stage: the loss and the train/validation/test accuracy after every epoch,
// the embedding of H_L through training, and the result at the epoch of best validation accuracy.
import type { EpochStats } from '../../training/types';
import { useSize } from '../useSize';
import { NARROW_PLOT_HEIGHT, useNarrow } from '../useNarrow';
import { SPLIT_COLORS } from '../plot/theme';
import { EpochEmbedding } from './EpochEmbedding';
import { SeriesPlot, type Series } from './SeriesPlot';
import { useTrainingRuns } from '../../runtime/training';

/**
 * Cross-entropy starts near ln(classes) (≈ 1.1 for three): a loss above this is a run blowing up,
 * even while it is still a finite number.
 */
export const UNSTABLE_LOSS = 100;

/** The first epoch whose loss is not a finite number (divergence), or null. */
export function divergedAt(epochs: EpochStats[]): number | null {
  const bad = epochs.find((e) => !Number.isFinite(e.loss));
  return bad ? bad.epoch : null;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function TrainPanel() {
  const run = useTrainingRuns((s) => s.train);
  const [ref, size] = useSize<HTMLDivElement>();
  const narrow = useNarrow();
  const epochs = run.epochs;
  const last = epochs[epochs.length - 1];
  const diverged = divergedAt(epochs);
  const unstable = epochs.find((e) => Number.isFinite(e.loss) && e.loss > UNSTABLE_LOSS) ?? null;
  // A loss spanning many decades is readable only on a log axis.
  const finiteLoss = epochs.map((e) => e.loss).filter((v) => Number.isFinite(v) && v > 0);
  const lossLog = finiteLoss.length > 1 && Math.max(...finiteLoss) > 1e3 * Math.min(...finiteLoss);
  const total = run.config?.epochs ?? 0;
  const lossSeries: Series[] = [
    {
      id: 'loss',
      label: 'training loss (cross-entropy)',
      color: SPLIT_COLORS.loss,
      points: epochs.map((e) => ({ x: e.epoch, y: e.loss })),
    },
  ];
  const accSeries: Series[] = (['train', 'val', 'test'] as const).map((k) => ({
    id: k,
    label: { train: 'train', val: 'validation', test: 'test' }[k],
    color: SPLIT_COLORS[k],
    dash: k === 'train' ? '5 3' : undefined,
    points: epochs.map((e) => ({
      x: e.epoch,
      y: 100 * (k === 'train' ? e.trainAcc : k === 'val' ? e.valAcc : e.testAcc),
    })),
  }));
  const plotW = Math.max(260, Math.floor(size.width));
  const halfW = Math.max(200, Math.floor(plotW / 2));
  // Two rows filling the grid's height; in a narrow window (the page scrolls) a fixed height.
  const plotH = narrow ? NARROW_PLOT_HEIGHT : Math.max(150, Math.floor((size.height - 8) / 2));
  // The gradient norms per layer at the latest epoch that carried them, beside those at the start.
  const initial = run.result
    ? { label: 'at initialization', stats: run.result.initialGradients }
    : run.firstGradients
      ? { label: `epoch ${run.firstGradients.epoch}`, stats: run.firstGradients.stats }
      : null;
  const gradSeries: Series[] = [
    ...(initial
      ? [
          {
            id: 'grad-init',
            label: initial.label,
            color: '#8a93a6',
            dash: '5 3',
            points: initial.stats.map((g) => ({ x: g.layer, y: g.gradNorm })),
          },
        ]
      : []),
    ...(run.gradients
      ? [
          {
            id: 'grad-now',
            label: `epoch ${run.gradients.epoch}`,
            color: '#CC79A7',
            marker: 'filled' as const,
            points: run.gradients.stats.map((g) => ({ x: g.layer, y: g.gradNorm })),
          },
        ]
      : []),
  ];
  // Epochs are numbered from 0 (the first update) by the trainers.
  const xDomain: [number, number] = [0, Math.max(1, total - 1)];
  const note =
    diverged !== null ? `the loss is not a number from epoch ${diverged} on: the run diverged` : null;
  return (
    <div
      className="tr-train"
      data-testid="train-panel"
      data-status={run.status}
      data-epochs={epochs.length}
      data-first-test-acc={epochs[0]?.testAcc ?? ''}
      data-last-test-acc={last?.testAcc ?? ''}
      data-last-train-acc={last?.trainAcc ?? ''}
      data-best-test-acc={run.result?.testAccAtBestVal ?? ''}
    >
      <div className="tr-train-status" role="status">
        {run.status === 'idle' ? 'Press Train to start.' : null}
        {run.status === 'running'
          ? `Training… epoch ${last ? last.epoch + 1 : 0} of ${total}${last ? `, test accuracy ${pct(last.testAcc)}` : ''}`
          : null}
        {run.status === 'stopped' ? `Stopped after ${epochs.length} of ${total} epochs.` : null}
        {run.status === 'done' && run.result
          ? `Done: best validation accuracy at epoch ${run.result.bestValEpoch}, where the test accuracy is ${pct(run.result.testAccAtBestVal)} (final: train ${pct(last?.trainAcc ?? NaN)}, test ${pct(last?.testAcc ?? NaN)}).`
          : null}
        {run.status === 'error' ? <span className="tr-error">Training failed: {run.error}</span> : null}
      </div>
      {diverged === null && unstable ? (
        <p className="tr-error" role="alert" data-testid="train-unstable">
          The training is unstable: the loss reached {unstable.loss.toExponential(1)} at epoch{' '}
          {unstable.epoch} (it starts near 1). Lower the learning rate or the weight gain.
        </p>
      ) : null}
      {diverged !== null ? (
        <p className="tr-error" role="alert">
          The training diverged: the loss is NaN or infinite from epoch {diverged} on. Lower the learning
          rate, the weight gain or ContraNorm’s s, or raise τ.
        </p>
      ) : null}
      <div className="tr-train-grid">
        <div className="tr-train-curves" ref={ref}>
          <SeriesPlot
            width={halfW}
            height={plotH}
            title="Loss"
            xAxis={{ label: 'epoch', domain: xDomain }}
            yAxis={{ label: 'cross-entropy', log: lossLog, domain: lossLog ? undefined : [0, 0] }}
            series={lossSeries}
            exportName="training-loss"
            testId="train-loss"
            note={note}
            warn={diverged !== null}
          />
          <SeriesPlot
            width={plotW - halfW}
            height={plotH}
            title="Gradient norm per layer"
            xAxis={{ label: 'layer ℓ', domain: [0, Math.max(1, run.config?.layers ?? 1)] }}
            yAxis={{ label: '‖∂loss/∂H_ℓ‖_F', log: true }}
            series={gradSeries}
            exportName="training-gradients"
            testId="train-gradients"
          />
          <SeriesPlot
            width={plotW}
            height={plotH}
            title="Accuracy"
            xAxis={{ label: 'epoch', domain: xDomain }}
            yAxis={{ label: 'accuracy (%)', fixed: [0, 100], format: (v) => `${v.toFixed(1)}%` }}
            series={accSeries}
            exportName="training-accuracy"
            testId="train-accuracy"
          />
        </div>
        <EpochEmbedding
          snapshots={run.snapshots}
          hidden={run.config?.hidden ?? 1}
          dataset={run.config?.dataset ?? null}
          running={run.status === 'running'}
        />
      </div>
    </div>
  );
}
