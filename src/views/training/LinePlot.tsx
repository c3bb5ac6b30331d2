// One line plot of the training view: titled, both axes labelled, a legend, values on hover.
// Only finite values are drawn (and only positive ones on a log axis); a series with gaps is
// broken there rather than joined across them. Styles are inline so exported SVGs match.
import { useState } from 'react';
import { line, scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useLecture } from '../../state/store';
import { Axis } from '../plot/Axis';
import { AXIS_COLOR, plotFont } from '../plot/theme';
import { PlotText } from '../plot/Text';

export interface Point {
  x: number;
  y: number;
  /** Optional range (error bar), same units as y. */
  lo?: number;
  hi?: number;
}

export interface Series {
  id: string;
  label: string;
  color: string;
  dash?: string;
  points: Point[];
  /** Markers at the points: filled, hollow (published figures), or none. */
  marker?: 'filled' | 'hollow';
  width?: number;
}

export interface LinePlotProps {
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xLog2?: boolean;
  yLog?: boolean;
  /** Fixed y range (linear axes); grown to fit the data. */
  yDomain?: [number, number];
  xDomain?: [number, number];
  /** Shared y range across plots, overrides the data's. */
  yFixed?: [number, number];
  format?: (y: number) => string;
  exportName: string;
  testId?: string;
  /** Shown in the plot's middle when there is nothing to draw (or on top, with `warn`). */
  note?: string | null;
  warn?: boolean;
  legend?: boolean;
  /** Lines under the title (sources, what the marks mean). */
  caption?: string[];
}

const finite = (p: Point, log: boolean) => Number.isFinite(p.y) && Number.isFinite(p.x) && (!log || p.y > 0);

/** The usable stretches of a series: consecutive drawable points. */
function segments(points: Point[], log: boolean): Point[][] {
  const out: Point[][] = [];
  let cur: Point[] = [];
  for (const p of points) {
    if (finite(p, log)) cur.push(p);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

export function yExtent(series: Series[], log: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const p of s.points) {
      if (!finite(p, log)) continue;
      lo = Math.min(lo, p.lo !== undefined && (!log || p.lo > 0) ? p.lo : p.y);
      hi = Math.max(hi, p.hi ?? p.y);
    }
  return lo <= hi ? [lo, hi] : null;
}

export function LinePlot(props: LinePlotProps) {
  const { width, height, series, yLog = false, xLog2 = false, legend = true } = props;
  const presentation = useLecture((s) => s.presentation);
  const [hover, setHover] = useState<number | null>(null);
  const fs = plotFont(presentation);
  // Legend columns as wide as the longest label (about 0.6 em a character), as many as fit.
  const legendW = Math.max(4, ...series.map((s) => s.label.length)) * fs * 0.6 + 40;
  const legendCols = Math.max(1, Math.floor((width - 4.6 * fs) / legendW));
  const legendRows = legend && series.length ? Math.ceil(series.length / legendCols) : 0;
  const captionH = (props.caption?.length ?? 0) * (fs + 3);
  const m = {
    top: fs * 2 + 6 + legendRows * (fs + 6) + captionH,
    right: 14,
    bottom: 2 * fs + 16,
    left: 3.6 * fs + 18,
  };
  const xs = series.flatMap((s) => s.points.filter((p) => finite(p, yLog)).map((p) => p.x));
  const xDomain: [number, number] = props.xDomain ?? [
    xs.length ? Math.min(...xs) : 0,
    xs.length ? Math.max(Math.max(...xs), Math.min(...xs) + 1) : 1,
  ];
  const x: ScaleContinuousNumeric<number, number> = xLog2
    ? scaleLog()
        .base(2)
        .domain([Math.max(xDomain[0], 1e-9), xDomain[1]])
        .range([m.left, width - m.right])
    : scaleLinear()
        .domain(xDomain)
        .range([m.left, width - m.right]);
  const ext = yExtent(series, yLog);
  let y: ScaleContinuousNumeric<number, number>;
  if (yLog) {
    const [lo, hi] = props.yFixed ?? ext ?? [1e-3, 1];
    y = scaleLog()
      .domain([Math.max(lo, 1e-300), Math.max(hi, lo * 10)])
      .nice()
      .range([height - m.bottom, m.top]);
  } else {
    let [lo, hi] = props.yFixed ?? props.yDomain ?? ext ?? [0, 1];
    if (!props.yFixed && ext) {
      lo = Math.min(lo, ext[0]);
      hi = Math.max(hi, ext[1]);
    }
    if (hi - lo < 1e-12) hi = lo + 1;
    y = scaleLinear()
      .domain([lo, hi])
      .nice()
      .range([height - m.bottom, m.top]);
  }
  // As many y ticks as fit without their labels touching.
  const yTicks = Math.max(2, Math.min(yLog ? 5 : 4, Math.floor((height - m.top - m.bottom) / (2.2 * fs))));
  const path = line<Point>()
    .x((p) => x(p.x))
    .y((p) => y(p.y));
  const fmt = props.format ?? ((v: number) => (yLog ? v.toExponential(2) : v.toFixed(3)));
  const drawable = series.some((s) => s.points.some((p) => finite(p, yLog)));
  // Hover: the nearest x among the data, and each series' value there.
  const readout =
    hover === null
      ? null
      : series.map((s) => ({ s, p: s.points.find((p) => p.x === hover && finite(p, yLog)) }));
  const xTickFormat = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(2));
  return (
    <svg
      width={width}
      height={height}
      xmlns="http://www.w3.org/2000/svg"
      data-export-name={props.exportName}
      data-testid={props.testId}
      data-drawn-series={series.filter((s) => s.points.some((p) => finite(p, yLog))).length}
      onMouseMove={(e) => {
        if (!xs.length) return;
        const rect = e.currentTarget.getBoundingClientRect();
        const v = x.invert(e.clientX - rect.left);
        let best = xs[0];
        for (const c of xs) if (Math.abs(c - v) < Math.abs(best - v)) best = c;
        setHover(best);
      }}
      onMouseLeave={() => setHover(null)}
    >
      <rect width={width} height={height} fill="#ffffff" />
      <PlotText x={m.left} y={fs + 3} fontSize={fs + 2} fontWeight={700} fill="#1d2433">
        {props.title}
      </PlotText>
      {(props.caption ?? []).map((c, i) => (
        <PlotText key={i} x={m.left} y={2 * fs + 6 + i * (fs + 3)} fontSize={fs} fill="#555e70">
          {c}
        </PlotText>
      ))}
      {legend
        ? series.map((s, i) => {
            const col = i % legendCols;
            const row = Math.floor(i / legendCols);
            const lx = m.left + col * legendW;
            const ly = fs * 2 + 10 + row * (fs + 6) + captionH;
            return (
              <g key={s.id} transform={`translate(${lx},${ly})`}>
                <line
                  x1={0}
                  x2={22}
                  y1={-fs / 3}
                  y2={-fs / 3}
                  stroke={s.color}
                  strokeWidth={s.width ?? 2.5}
                  strokeDasharray={s.dash}
                />
                {s.marker ? (
                  <circle
                    cx={11}
                    cy={-fs / 3}
                    r={3.5}
                    fill={s.marker === 'filled' ? s.color : '#fff'}
                    stroke={s.color}
                    strokeWidth={1.5}
                  />
                ) : null}
                <PlotText x={27} y={0} fontSize={fs}>
                  {s.label}
                </PlotText>
              </g>
            );
          })
        : null}
      <Axis scale={y} orient="left" at={m.left} log={yLog} ticks={yTicks} fontSize={fs} />
      <Axis
        scale={x}
        orient="bottom"
        at={height - m.bottom}
        ticks={5}
        fontSize={fs}
        format={xLog2 ? xTickFormat : undefined}
      />
      <PlotText x={(m.left + width - m.right) / 2} y={height - 4} textAnchor="middle" fontSize={fs}>
        {props.xLabel}
      </PlotText>
      <PlotText
        transform={`translate(${fs + 2},${(m.top + height - m.bottom) / 2}) rotate(-90)`}
        textAnchor="middle"
        fontSize={fs}
      >
        {props.yLabel}
      </PlotText>
      {series.map((s) =>
        segments(s.points, yLog).map((seg, k) => (
          <g key={`${s.id}-${k}`}>
            <path
              d={path(seg) ?? ''}
              fill="none"
              stroke={s.color}
              strokeWidth={s.width ?? 2.5}
              strokeDasharray={s.dash}
            />
            {seg.map((p) =>
              p.lo !== undefined && p.hi !== undefined ? (
                <line
                  key={`e${p.x}`}
                  x1={x(p.x)}
                  x2={x(p.x)}
                  y1={y(p.lo)}
                  y2={y(p.hi)}
                  stroke={s.color}
                  strokeWidth={1.5}
                />
              ) : null,
            )}
            {s.marker
              ? seg.map((p) => (
                  <circle
                    key={`m${p.x}`}
                    cx={x(p.x)}
                    cy={y(p.y)}
                    r={4}
                    fill={s.marker === 'filled' ? s.color : '#fff'}
                    stroke={s.color}
                    strokeWidth={1.8}
                  />
                ))
              : null}
          </g>
        )),
      )}
      {hover !== null && readout ? (
        <g pointerEvents="none">
          <line
            x1={x(hover)}
            x2={x(hover)}
            y1={m.top}
            y2={height - m.bottom}
            stroke="#8a93a6"
            strokeDasharray="2 2"
          />
          <PlotText x={width - m.right} y={m.top + fs} textAnchor="end" fontSize={fs} fill="inherit">
            <tspan fill={AXIS_COLOR}>{xTickFormat(hover)}: </tspan>
            {readout.map((r) => (
              <tspan key={r.s.id} fill={r.s.color} fontWeight={600}>
                {' '}
                {r.p ? fmt(r.p.y) : '–'}
              </tspan>
            ))}
          </PlotText>
        </g>
      ) : null}
      {props.note || !drawable ? (
        <PlotText
          x={(m.left + width - m.right) / 2}
          y={(m.top + height - m.bottom) / 2}
          textAnchor="middle"
          fontSize={fs}
          fontWeight={props.warn ? 700 : 400}
          fill={props.warn ? '#9a3f06' : '#555e70'}
        >
          {props.note ?? 'no data yet'}
        </PlotText>
      ) : null}
    </svg>
  );
}
