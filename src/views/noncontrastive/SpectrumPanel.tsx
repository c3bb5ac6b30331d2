// Eigenvalues of W Wᵀ over training for one loss (log axis), collapsed modes (under the
// threshold) in a shaded band; for the Euclidean loss, Tian et al.'s ODE over the same modes.
import { useLecture } from '../../state/store';
import type { LossKind } from '../../noncontrastive/model';
import { useNcRun } from '../../runtime/noncontrastive';
import { aliveModes, COLLAPSE_THRESHOLD } from '../../noncontrastive/trainer';
import { useSize } from '../useSize';
import { eigenDomain, lastRecord, modeLines, odeLines } from './plotData';
import { LOSS_COLORS, LOSS_SHORT, ODE_COLOR, plotFont } from '../plot/theme';
import { TrajectoryPlot, type LegendItem } from './TrajectoryPlot';

export function SpectrumPanel({ kind }: { kind: LossKind }) {
  const run = useNcRun();
  const presentation = useLecture((s) => s.presentation);
  const [ref, size] = useSize<HTMLDivElement>();
  const fs = plotFont(presentation);
  const records = run.records[kind];
  const last = lastRecord(run, kind);
  const alive = last ? aliveModes(last.eigW) : 0;
  const n = last?.eigW.length ?? 0;
  const color = LOSS_COLORS[kind];
  const lines = modeLines(records, 'eigW', { color, width: 2, opacity: 0.85 }, kind);
  const legend: LegendItem[] = [{ label: 'simulation (one line per mode)', short: 'simulation', color }];
  if (kind === 'euclidean' && run.ode) {
    lines.push(...odeLines(run, 's', { color: ODE_COLOR, dash: '5 4', width: 1.4 }));
    legend.push({
      label: 'Tian et al. ODE from the same start',
      short: 'Tian et al. ODE',
      color: ODE_COLOR,
      dash: '5 4',
    });
  }
  const diverged = run.divergedAt[kind];
  return (
    <div className="nc-plot" ref={ref}>
      <TrajectoryPlot
        width={size.width}
        height={size.height}
        title={
          diverged !== null
            ? `${LOSS_SHORT[kind]} loss: diverged`
            : `${LOSS_SHORT[kind]} loss: ${alive} of ${n} modes alive`
        }
        shortTitle={
          diverged !== null ? `${LOSS_SHORT[kind]}: diverged` : `${LOSS_SHORT[kind]}: ${alive}/${n} alive`
        }
        yLabel="eigenvalue of W Wᵀ"
        log
        yDomain={eigenDomain(run)}
        xMax={run.cfg?.steps ?? 1}
        step={run.step}
        lines={lines}
        legend={legend}
        threshold={{ value: COLLAPSE_THRESHOLD, label: 'collapsed: below 10⁻⁴' }}
        fontSize={fs}
        testId={`nc-spectrum-${kind}`}
        exportName={`nc-spectrum-${kind}`}
        note={
          run.error
            ? 'cannot run this setting (see above)'
            : diverged !== null
              ? `diverged at step ${diverged}`
              : null
        }
      />
    </div>
  );
}
