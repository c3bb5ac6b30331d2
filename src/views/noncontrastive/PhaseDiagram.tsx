// Tian et al.'s phase diagram of the Euclidean loss over (η, σ²): non-collapsed equilibria exist
// only where 4η(1+σ²) ≤ 1 (see src/noncontrastive/ode.ts for why α_p does not enter). The current
// setting is marked, coloured by what the simulation did.
import { area, scaleLinear } from 'd3';
import { useLecture } from '../../state/store';
import { useNcRun } from '../../runtime/noncontrastive';
import { aliveModes } from '../../noncontrastive/trainer';
import { LinePlot, type PlotPoint } from '../plot/LinePlot';
import { COLLAPSE_FILL, LOSS_COLORS, plotFont } from '../plot/theme';
import { useSize } from '../useSize';
import { lastRecord } from './plotData';
import { PlotText } from '../plot/Text';
import { textWidth } from '../plot/textWidth';

const SIGMA2_MAX = 4; // σ ≤ 2 on the slider
const WARN = '#9a3f06';

export function PhaseDiagram() {
  const eta = useLecture((s) => s.ncEta);
  const sigma = useLecture((s) => s.ncSigma);
  const presentation = useLecture((s) => s.presentation);
  const run = useNcRun();
  const [ref, size] = useSize<HTMLDivElement>();
  const { width, height } = size;
  const fs = plotFont(presentation);
  if (width < 60 || height < 60) return <div className="nc-plot" ref={ref} />;
  const m = { top: fs * 2.9 + 10, right: 2.2 * fs, bottom: 2 * fs + 14, left: 3 * fs + 8 };
  const etaMax = Math.max(0.5, eta * 1.1);
  const x = scaleLinear()
    .domain([0, etaMax])
    .range([m.left, width - m.right]);
  const y = scaleLinear()
    .domain([0, SIGMA2_MAX])
    .range([height - m.bottom, m.top]);
  const curve = Array.from({ length: 101 }, (_, i) => (i / 100) * SIGMA2_MAX).map((s2) => ({
    x: 1 / (4 * (1 + s2)),
    y: s2,
  }));
  const collapseRegion = area<PlotPoint>()
    .x0((p) => x(p.x))
    .x1(() => x(etaMax))
    .y((p) => y(p.y));
  const last = lastRecord(run, 'euclidean');
  const collapsed = last !== null && run.step > 0 && aliveModes(last.eigW) === 0;
  const px = x(eta);
  const py = y(Math.min(SIGMA2_MAX, sigma * sigma));
  const right = px > (m.left + width - m.right) / 2;
  // The run's label beside its point, on the side with more room; where it would still cross an
  // axis or the edge, centred above the point (below it near the top).
  const markText = collapsed ? 'this run: collapsed' : 'this run';
  const markW = textWidth(markText, fs, 700);
  const beside = right ? px - fs * 0.8 - markW >= m.left + 2 : px + fs * 0.8 + markW <= width - 2;
  const aboveY = py - fs * 1.1 >= m.top + fs ? py - fs * 1.1 : py + fs * 1.8;
  const mark: { x: number; y: number; anchor: 'start' | 'end' } = beside
    ? { x: right ? px - fs * 0.8 : px + fs * 0.8, y: py - fs * 0.6, anchor: right ? 'end' : 'start' }
    : { x: Math.max(m.left + 2, Math.min(px - markW / 2, width - 2 - markW)), y: aboveY, anchor: 'start' };
  return (
    <div className="nc-plot" ref={ref}>
      <LinePlot
        exportName="nc-phase"
        testId="nc-phase"
        frame={{ width, height, m, x, y }}
        fs={fs}
        title={{ text: 'Phase diagram, Euclidean loss', x: 4, y: fs + 2, size: fs + 2, weight: 700 }}
        xAxis={{ ticks: 5, label: 'weight decay η' }}
        // No "0" on the y axis: the x axis's 0.0 labels the corner, and the two would touch.
        yAxis={{ ticks: 4, label: 'augmentation σ²', format: (v) => (v === 0 ? '' : String(v)) }}
        lines={[{ key: 'boundary', points: curve, color: WARN, width: 2.5 }]}
        backdrop={
          <>
            <path d={collapseRegion(curve) ?? ''} fill={COLLAPSE_FILL} />
            <PlotText
              x={x(etaMax) - 6}
              y={y(SIGMA2_MAX * 0.55)}
              textAnchor="end"
              fontSize={fs}
              fill={WARN}
              fontWeight={600}
            >
              every mode collapses
            </PlotText>
            <PlotText
              x={x(etaMax) - 6}
              y={y(SIGMA2_MAX * 0.55) + fs + 3}
              textAnchor="end"
              fontSize={fs}
              fill={WARN}
            >
              4η(1+σ²) &gt; 1
            </PlotText>
            <PlotText x={4} y={2 * fs + 8} fontSize={fs}>
              white: modes can survive
            </PlotText>
          </>
        }
        overlay={
          <>
            <circle
              cx={px}
              cy={py}
              r={fs * 0.55}
              fill={collapsed ? LOSS_COLORS.euclidean : '#ffffff'}
              stroke="#1d2433"
              strokeWidth={2}
              data-testid="nc-phase-point"
            />
            <PlotText
              x={mark.x}
              y={mark.y}
              textAnchor={mark.anchor}
              fontSize={fs}
              fill="#1d2433"
              fontWeight={700}
              paintOrder="stroke"
              stroke="#ffffff"
              strokeWidth={3}
            >
              {markText}
            </PlotText>
          </>
        }
      />
    </div>
  );
}
