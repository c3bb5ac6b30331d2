// The gradient view: three GCN stacks side by side (plain, residual, Lipschitz-bounded residual),
// per layer ℓ the gradient norm ‖G_ℓ‖_F on a log axis (one y range for all three, so heights
// compare) and the gradient similarity μ(G_ℓ) beside the representation's μ(H_ℓ).
import { useEffect, useMemo } from 'react';
import type { RanOn } from '../../training/protocol';
import type { GradientLayerStats, TrainConfig } from '../../training/types';
import { useTrainingState } from './useTrainingState';
import { useSize } from '../useSize';
import { NARROW_PLOT_HEIGHT, useNarrow } from '../useNarrow';
import { gradientConfigs, STACKS, type StackId } from '../../state/training';
import { REP_COLOR, STACK_COLORS } from '../plot/theme';
import { SeriesPlot, yExtent, type Series } from './SeriesPlot';
import { computeGradients, useTrainingRuns } from '../../runtime/training';

/** The first layer whose statistics are not finite numbers, or null. */
export function firstNonFiniteLayer(stats: GradientLayerStats[]): number | null {
  const bad = stats.find(
    (s) => !Number.isFinite(s.gradNorm) || !Number.isFinite(s.gradMu) || !Number.isFinite(s.repMu),
  );
  return bad ? bad.layer : null;
}

function normSeries(id: StackId, stats: GradientLayerStats[] | null): Series {
  return {
    id: `${id}-norm`,
    label: '‖G_ℓ‖_F',
    color: STACK_COLORS[id],
    points: (stats ?? []).map((s) => ({ x: s.layer, y: s.gradNorm })),
  };
}

function muSeries(id: StackId, stats: GradientLayerStats[] | null): Series[] {
  return [
    {
      id: `${id}-gmu`,
      label: 'μ(G_ℓ) gradient',
      color: STACK_COLORS[id],
      points: (stats ?? []).map((s) => ({ x: s.layer, y: s.gradMu })),
    },
    {
      id: `${id}-hmu`,
      label: 'μ(H_ℓ) representation',
      color: REP_COLOR,
      dash: '6 3',
      points: (stats ?? []).map((s) => ({ x: s.layer, y: s.repMu })),
    },
  ];
}

const fmtE = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toExponential(1));
const fmt2 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));

/** Which trainer computed a stack; the CPU one says why in its tooltip (no WebGPU, or a configuration the GPU trainer lacks). */
function RanOnBadge({ ranOn }: { ranOn: RanOn | undefined }) {
  if (!ranOn) return null;
  return (
    <span
      className={`tr-badge tr-trainer-${ranOn.kind}`}
      title={ranOn.note ?? undefined}
      data-testid="stack-trainer"
      data-kind={ranOn.kind}
    >
      {ranOn.kind === 'gpu' ? 'GPU' : 'CPU'}
    </span>
  );
}

/** A stack's border and padding, across (styles.css .tr-stack), which its plots must leave room for. */
const STACK_FRAME = 12;

export function GradientView() {
  const key = JSON.stringify(gradientConfigs(useTrainingState()));
  // Keyed by content: a change elsewhere in the page does not restart the computation.
  const configs = useMemo(() => JSON.parse(key) as TrainConfig[], [key]);
  const run = useTrainingRuns((s) => s.gradients);
  const [ref, size] = useSize<HTMLDivElement>();
  const narrow = useNarrow();

  useEffect(() => {
    // A short pause after the last change: a dragged slider asks for one computation, not one per step.
    const timer = window.setTimeout(() => void computeGradients(configs), 250);
    return () => window.clearTimeout(timer);
  }, [configs]);

  const depth = configs[0].layers;
  const all = STACKS.map((s) => run.stacks[s.id]);
  const normExtent = yExtent(
    STACKS.map((s) => normSeries(s.id, run.stacks[s.id])),
    true,
  );
  const gap = 10;
  // Wide: three columns, each a heading and two readout lines above its two plots, filling the
  // grid's height. Narrow (one column, the page scrolls): each stack's two plots side by side
  // where they fit, at a fixed height.
  const w = narrow
    ? Math.max(240, Math.floor((size.width - STACK_FRAME - gap) / 2))
    : Math.max(220, Math.floor((size.width - 2 * gap) / 3) - STACK_FRAME);
  const h = narrow ? NARROW_PLOT_HEIGHT : Math.max(170, Math.floor((size.height - 84) / 2));
  const stale = run.key !== JSON.stringify(configs);
  return (
    <div className="tr-grad" data-testid="gradient-view" data-status={run.status} data-depth={depth}>
      {run.status === 'error' ? (
        <p className="tr-error" role="alert">
          The gradients could not be computed: {run.error}
        </p>
      ) : null}
      <div className="tr-grad-grid" ref={ref}>
        {STACKS.map((st, k) => {
          const stats = all[k];
          const bad = stats ? firstNonFiniteLayer(stats) : null;
          const first = stats?.find((s) => s.layer === 0);
          const last = stats?.find((s) => s.layer === depth);
          const note =
            stats === null
              ? run.status === 'running' || stale
                ? 'computing…'
                : 'no data yet'
              : bad !== null
                ? `not finite from layer ${bad} on: not drawn there`
                : null;
          return (
            <section
              key={st.id}
              className="tr-stack"
              data-testid={`stack-${st.id}`}
              data-layers={stats?.length ?? 0}
              data-finite={stats ? String(bad === null) : ''}
              data-grad-norm-0={first?.gradNorm ?? ''}
              data-grad-mu-0={first?.gradMu ?? ''}
            >
              <h3 style={{ color: STACK_COLORS[st.id] }}>
                {st.title}
                <RanOnBadge ranOn={run.ranOn[st.id]} />
              </h3>
              {/* Two lines: one line of both cut off the second half in a third of a 1280 px window. */}
              <p className="tr-readout" data-testid={`stack-readout-${st.id}`}>
                ℓ = 0: ‖G‖ {fmtE(first?.gradNorm)}, μ(G) {fmt2(first?.gradMu)}
                <br />ℓ = {depth}: ‖G‖ {fmtE(last?.gradNorm)}, μ(H) {fmt2(last?.repMu)}
              </p>
              <SeriesPlot
                width={w}
                height={h}
                title="Gradient norm ‖G_ℓ‖_F"
                xAxis={{ label: 'layer ℓ', domain: [0, depth] }}
                yAxis={{ label: '‖∂loss/∂H_ℓ‖_F', log: true, fixed: normExtent ?? undefined }}
                series={[normSeries(st.id, stats)]}
                legend={false}
                exportName={`gradient-norm-${st.id}`}
                testId={`grad-norm-${st.id}`}
                note={note}
                warn={bad !== null}
              />
              <SeriesPlot
                width={w}
                height={h}
                title="Consensus distance μ"
                xAxis={{ label: 'layer ℓ', domain: [0, depth] }}
                yAxis={{ label: 'μ', fixed: [0, 1], format: (v) => v.toFixed(3) }}
                series={muSeries(st.id, stats)}
                exportName={`gradient-mu-${st.id}`}
                testId={`grad-mu-${st.id}`}
                note={note}
                warn={bad !== null}
              />
            </section>
          );
        })}
      </div>
      <p className="tr-foot">
        One forward and backward pass per stack at initialization, dropout off, on the data set and width set
        at the left
        {run.timeMs !== null ? ` · computed in ${(run.timeMs / 1000).toFixed(1)} s` : ''}.
      </p>
    </div>
  );
}
