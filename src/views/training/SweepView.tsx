// The depth sweep's stage: our test accuracy against depth per normalization (mean over seeds,
// bar from the lowest to the highest seed), and beside it the ContraNorm authors' published Cora
// figures, dashed and hollow, labelled with their source. The two are never merged.
import { CONTRANORM_CORA } from '../../training/paperFigures';
import { normLabel } from '../plot/theme';
import { useSize } from '../useSize';
import { NARROW_PLOT_HEIGHT, useNarrow } from '../useNarrow';
import { NORM_COLORS } from '../plot/theme';
import { SeriesPlot, type Series } from './SeriesPlot';
import { useTrainingRuns } from '../../runtime/training';
import { summarizeSweep } from './sweepSummary';
import { SweepProgress } from './SweepProgress';

export function SweepView({ datasetName }: { datasetName: string }) {
  const run = useTrainingRuns((s) => s.sweep);
  const [ref, size] = useSize<HTMLDivElement>();
  const narrow = useNarrow();
  const summary = summarizeSweep(run.points);
  const norms = [...new Set(run.runs.map((r) => r.norm))];
  const ours: Series[] = norms.map((norm) => ({
    id: `ours-${norm}`,
    label: `${normLabel(norm)}: ours`,
    color: NORM_COLORS[norm],
    marker: 'filled',
    points: summary
      .filter((s) => s.norm === norm)
      .sort((a, b) => a.depth - b.depth)
      .map((s) => ({ x: s.depth, y: s.mean, lo: s.min, hi: s.max })),
  }));
  const published: Series[] = CONTRANORM_CORA.series
    .filter((s) => norms.length === 0 || norms.includes(s.norm))
    .map((s) => ({
      id: `published-${s.norm}`,
      label: `${normLabel(s.norm)}: published (Cora)`,
      color: NORM_COLORS[s.norm],
      dash: '6 4',
      marker: 'hollow',
      width: 1.8,
      points: s.points.map((p) => ({ x: p.depth, y: p.accuracy })),
    }));
  const maxDepth = Math.max(32, ...run.runs.map((r) => r.depth));
  const total = run.runs.length;
  const cur = run.runs[run.current];
  const w = Math.max(320, Math.floor(size.width));
  // The grid's height; in a narrow window (the page scrolls) a fixed one.
  const h = narrow ? 1.5 * NARROW_PLOT_HEIGHT : Math.max(260, Math.floor(size.height));
  return (
    <div
      className="tr-sweep"
      data-testid="sweep-view"
      data-status={run.status}
      data-points={run.points.length}
    >
      <div className="tr-train-status" role="status">
        {run.status === 'idle'
          ? `Press Run sweep to train every depth and normalization set at the left; Stop ends it at any time.`
          : null}
        {run.status === 'running' && cur
          ? `Run ${run.current + 1} of ${total}: ${normLabel(cur.norm)}, ${cur.depth} layers, seed ${cur.seed}, epoch ${run.currentEpoch} of ${cur.config.epochs}`
          : null}
        {run.status === 'done' ? `Done: ${run.points.length} runs on ${datasetName}.` : null}
        {run.status === 'stopped' ? `Stopped after ${run.points.length} of ${total} runs.` : null}
        {run.status === 'error' ? <span className="tr-error">The sweep failed: {run.error}</span> : null}
      </div>
      <SweepProgress />
      {run.failures.length ? (
        <p className="tr-error" role="alert">
          {run.failures.length} run{run.failures.length > 1 ? 's' : ''} failed and{' '}
          {run.failures.length > 1 ? 'are' : 'is'} not plotted:{' '}
          {run.failures
            .map((f) => `${normLabel(f.norm)} L=${f.depth} seed ${f.seed} (${f.message})`)
            .join('; ')}
        </p>
      ) : null}
      <div className="tr-sweep-plot" ref={ref}>
        <SeriesPlot
          width={w}
          height={h}
          title="Test accuracy against depth"
          caption={[
            `● filled, solid: ours, on ${datasetName}`,
            `○ hollow, dashed: published, ${CONTRANORM_CORA.source} (Guo et al., ICLR 2023)`,
          ]}
          xAxis={{ label: 'layers L (log scale)', domain: [2, maxDepth], log2: true }}
          yAxis={{ label: 'test accuracy (%)', fixed: [0, 100], format: (v) => `${v.toFixed(1)}%` }}
          series={[...ours, ...published]}
          exportName="depth-sweep"
          testId="sweep-plot"
        />
      </div>
    </div>
  );
}
