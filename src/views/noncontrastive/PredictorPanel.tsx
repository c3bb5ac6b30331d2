// Eigenvalues of the predictor's symmetric part (W_p + W_pᵀ)/2 for both losses (linear axis:
// they can be negative with a random predictor), with the ODE's p(t) (sorted like them).
import { useLecture } from '../../state/store';
import { useNcRun } from '../../runtime/noncontrastive';
import { useSize } from '../useSize';
import { modeLines, odeLines, predictorDomain } from './plotData';
import { LOSS_COLORS, ODE_COLOR, plotFont } from '../plot/theme';
import { TrajectoryPlot } from './TrajectoryPlot';

export function PredictorPanel() {
  const run = useNcRun();
  const presentation = useLecture((s) => s.presentation);
  const [ref, size] = useSize<HTMLDivElement>();
  const fs = plotFont(presentation);
  const lines = [
    ...modeLines(
      run.records.euclidean,
      'eigP',
      { color: LOSS_COLORS.euclidean, width: 1.8, opacity: 0.8 },
      'e',
    ),
    ...modeLines(run.records.cosine, 'eigP', { color: LOSS_COLORS.cosine, width: 1.8, opacity: 0.8 }, 'c'),
    ...odeLines(run, 'p', { color: ODE_COLOR, dash: '5 4', width: 1.2 }),
  ];
  return (
    <div className="nc-plot" ref={ref}>
      <TrajectoryPlot
        width={size.width}
        height={size.height}
        title="Predictor (W_p + W_pᵀ)/2"
        yLabel="eigenvalue"
        log={false}
        yDomain={predictorDomain(run)}
        xMax={run.cfg?.steps ?? 1}
        step={run.step}
        lines={lines}
        legend={[
          { label: 'Euclidean', color: LOSS_COLORS.euclidean },
          { label: 'cosine', color: LOSS_COLORS.cosine },
          { label: 'ODE p(t)', color: ODE_COLOR, dash: '5 4' },
        ]}
        fontSize={fs}
        testId="nc-predictor"
        exportName="nc-predictor"
      />
    </div>
  );
}
