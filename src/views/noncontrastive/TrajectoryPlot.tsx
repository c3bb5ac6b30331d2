// A quantity against training steps: several lines, an optional collapse threshold with the
// region under it shaded, the current step marked, a legend. Lines are clipped to the plot: on a
// log axis, values under the bottom of the axis run off it.
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { logTickFormat } from '../plot/Axis';
import { LinePlot, PlotCursor, PlotNote, type PlotFrame, type PlotLine } from '../plot/LinePlot';
import { COLLAPSE_FILL, WARN_COLOR as WARN } from '../plot/theme';
import { PlotText } from '../plot/Text';
import { fitting, textWidth } from '../plot/textWidth';

export interface LegendItem {
  label: string;
  /** The label for a plot too narrow for `label`. */
  short?: string;
  color: string;
  dash?: string;
}

interface Props {
  width: number;
  height: number;
  title: string;
  /** The title for a plot too narrow for `title`. */
  shortTitle?: string;
  yLabel: string;
  log: boolean;
  yDomain: [number, number];
  xMax: number;
  step: number;
  lines: PlotLine[];
  legend: LegendItem[];
  threshold?: { value: number; label: string };
  fontSize: number;
  testId: string;
  exportName: string;
  /** A line of text over the plot area (e.g. a divergence note). */
  note?: string | null;
}

/**
 * Room left of the plot for the y tick labels (the widest, measured) and, beyond them, the
 * rotated y-axis title (about 1.4 em from the edge), without the two touching.
 */
function yLabelMargin(log: boolean | undefined, domain: [number, number], fs: number): number {
  const scale = (log ? scaleLog() : scaleLinear()).domain(domain);
  const labels = log ? scale.ticks(6).map(logTickFormat) : scale.ticks(4).map(scale.tickFormat(4));
  return Math.max(3.6 * fs + 8, 1.4 * fs + 8 + Math.max(0, ...labels.map((l) => textWidth(l, fs))));
}

export function TrajectoryPlot(props: Props) {
  const { width, height, log, yDomain, xMax, legend, threshold, fontSize: fs } = props;
  if (width < 60 || height < 60) return null;
  const m = {
    top: fs * 1.6 + 6 + legend.length * (fs + 3),
    right: 2.2 * fs,
    bottom: 2 * fs + 14,
    left: yLabelMargin(log, yDomain, fs),
  };
  const x = scaleLinear()
    .domain([0, Math.max(1, xMax)])
    .range([m.left, width - m.right]);
  const y: ScaleContinuousNumeric<number, number> = (log ? scaleLog() : scaleLinear())
    .domain(yDomain)
    .range([height - m.bottom, m.top]);
  const frame: PlotFrame = { width, height, m, x, y };
  const y0 = height - m.bottom;
  const tTop = threshold ? Math.max(m.top, Math.min(y0, y(threshold.value))) : y0;
  const backdrop = (
    <>
      {legend.map((item, i) => (
        <g key={item.label} transform={`translate(${m.left},${fs * 1.6 + 6 + i * (fs + 3) + fs / 2})`}>
          <line x2={22} stroke={item.color} strokeWidth={2.5} strokeDasharray={item.dash} />
          <PlotText x={28} dy="0.32em" fontSize={fs}>
            {fitting([item.label, item.short ?? item.label], width - m.left - 28 - 4, fs)}
          </PlotText>
        </g>
      ))}
      {threshold ? (
        <g>
          <rect
            x={m.left}
            y={tTop}
            width={width - m.left - m.right}
            height={y0 - tTop}
            fill={COLLAPSE_FILL}
          />
          <line x1={m.left} x2={width - m.right} y1={tTop} y2={tTop} stroke={WARN} strokeDasharray="5 3" />
          <PlotText
            x={width - m.right - 4}
            y={Math.min(y0 - 4, tTop + fs + 2)}
            textAnchor="end"
            fontSize={fs}
            fill={WARN}
            fontWeight={600}
            paintOrder="stroke"
            stroke="#ffffff"
            strokeWidth={3}
          >
            {threshold.label}
          </PlotText>
        </g>
      ) : null}
    </>
  );
  const overlay = (
    <>
      <PlotCursor frame={frame} at={props.step} color="#8a93a6" dash="2 3" />
      {props.note ? <PlotNote frame={frame} size={fs + 1} warn halo text={props.note} /> : null}
    </>
  );
  return (
    <LinePlot
      exportName={props.exportName}
      testId={props.testId}
      frame={frame}
      fs={fs}
      title={{
        text: fitting(
          [props.title, props.shortTitle ?? props.title],
          width - (m.left - 3.4 * fs) - 4,
          fs + 2,
          700,
        ),
        x: m.left - 3.4 * fs,
        y: fs + 2,
        size: fs + 2,
        weight: 700,
      }}
      xAxis={{
        ticks: Math.max(2, Math.floor((width - m.left - m.right) / (5 * fs))),
        label: 'training step',
      }}
      yAxis={{ ticks: log ? 6 : 4, log, format: log ? logTickFormat : undefined, label: props.yLabel }}
      lines={props.lines}
      clip
      backdrop={backdrop}
      overlay={overlay}
    />
  );
}
