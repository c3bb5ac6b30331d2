// A quantity against training steps (d3 scales, SVG): several lines, an optional collapse
// threshold with the region under it shaded, the current step marked, a legend. Lines are
// clipped to the plot: on a log axis, values under the bottom of the axis run off it.
import { useId } from 'react';
import { line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { Axis, logTickFormat } from '../plot/Axis';
import { COLLAPSE_FILL } from '../plot/theme';
import { PlotText } from '../plot/Text';

export interface PlotLine {
  key: string;
  color: string;
  dash?: string;
  width?: number;
  opacity?: number;
  points: [number, number][];
}

export interface LegendItem {
  label: string;
  color: string;
  dash?: string;
}

interface Props {
  width: number;
  height: number;
  title: string;
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

export function TrajectoryPlot(props: Props) {
  const { width, height, log, yDomain, xMax, lines, legend, threshold, fontSize: fs } = props;
  const clip = useId().replace(/:/g, '');
  const legendRows = legend.length;
  const m = {
    top: fs * 1.6 + 6 + legendRows * (fs + 3),
    right: 2.2 * fs,
    bottom: 2 * fs + 14,
    left: 3.6 * fs + 8,
  };
  const x = scaleLinear()
    .domain([0, Math.max(1, xMax)])
    .range([m.left, width - m.right]);
  const y: ScaleContinuousNumeric<number, number> = (log ? scaleLog() : scaleLinear())
    .domain(yDomain)
    .range([height - m.bottom, m.top]);
  const path = line<[number, number]>()
    .defined((p) => Number.isFinite(p[1]) && (!log || p[1] > 0))
    .x((p) => x(p[0]))
    .y((p) => {
      // Far off-scale values would give SVG coordinates of 1e50: pin them just outside the clip.
      const v = y(p[1]);
      return Math.max(-10 * height, Math.min(11 * height, v));
    });
  const y0 = height - m.bottom;
  const tTop = threshold ? Math.max(m.top, Math.min(y0, y(threshold.value))) : y0;
  if (width < 60 || height < 60) return null;
  return (
    <svg
      width={width}
      height={height}
      xmlns="http://www.w3.org/2000/svg"
      data-export-name={props.exportName}
      data-testid={props.testId}
    >
      <rect width={width} height={height} fill="#ffffff" />
      <defs>
        <clipPath id={clip}>
          <rect x={m.left} y={m.top} width={width - m.left - m.right} height={y0 - m.top} />
        </clipPath>
      </defs>
      <PlotText x={m.left - 3.4 * fs} y={fs + 2} fontSize={fs + 2} fontWeight={700}>
        {props.title}
      </PlotText>
      {legend.map((item, i) => {
        const ly = fs * 1.6 + 6 + i * (fs + 3) + fs / 2;
        return (
          <g key={item.label} transform={`translate(${m.left},${ly})`}>
            <line x2={22} stroke={item.color} strokeWidth={2.5} strokeDasharray={item.dash} />
            <PlotText x={28} dy="0.32em" fontSize={fs}>
              {item.label}
            </PlotText>
          </g>
        );
      })}
      {threshold ? (
        <g>
          <rect
            x={m.left}
            y={tTop}
            width={width - m.left - m.right}
            height={y0 - tTop}
            fill={COLLAPSE_FILL}
          />
          <line x1={m.left} x2={width - m.right} y1={tTop} y2={tTop} stroke="#9a3f06" strokeDasharray="5 3" />
          <PlotText
            x={width - m.right - 4}
            y={Math.min(y0 - 4, tTop + fs + 2)}
            textAnchor="end"
            fontSize={fs}
            fill="#9a3f06"
            fontWeight={600}
            paintOrder="stroke"
            stroke="#ffffff"
            strokeWidth={3}
          >
            {threshold.label}
          </PlotText>
        </g>
      ) : null}
      <Axis
        scale={y}
        orient="left"
        at={m.left}
        log={log}
        ticks={log ? 6 : 4}
        fontSize={fs}
        format={log ? logTickFormat : undefined}
      />
      <Axis
        scale={x}
        orient="bottom"
        at={y0}
        ticks={Math.max(2, Math.floor((width - m.left - m.right) / (5 * fs)))}
        fontSize={fs}
      />
      <PlotText x={(m.left + width - m.right) / 2} y={height - 3} textAnchor="middle" fontSize={fs}>
        training step
      </PlotText>
      <PlotText
        transform={`translate(${fs},${(m.top + y0) / 2}) rotate(-90)`}
        textAnchor="middle"
        fontSize={fs}
      >
        {props.yLabel}
      </PlotText>
      <g clipPath={`url(#${clip})`}>
        {lines.map((l) => (
          <path
            key={l.key}
            d={path(l.points) ?? ''}
            fill="none"
            stroke={l.color}
            strokeWidth={l.width ?? 2}
            strokeDasharray={l.dash}
            strokeOpacity={l.opacity ?? 1}
          />
        ))}
      </g>
      <line x1={x(props.step)} x2={x(props.step)} y1={m.top} y2={y0} stroke="#8a93a6" strokeDasharray="2 3" />
      {props.note ? (
        <PlotText
          x={(m.left + width - m.right) / 2}
          y={(m.top + y0) / 2}
          textAnchor="middle"
          fontSize={fs + 1}
          fontWeight={700}
          fill="#9a3f06"
          paintOrder="stroke"
          stroke="#ffffff"
          strokeWidth={4}
        >
          {props.note}
        </PlotText>
      ) : null}
    </svg>
  );
}
