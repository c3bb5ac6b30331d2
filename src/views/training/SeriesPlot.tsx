// The training view's plot of labelled series: titled, both axes labelled, a legend (and caption)
// that sets the top margin, y range from the data, values on hover, a note when there is nothing
// to draw. Drawn by the plot kit's LinePlot: only finite values (and only positive ones on a log
// axis), a series with gaps broken there rather than joined across them.
import { useState } from 'react';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import { useLecture } from '../../state/store';
import {
  drawable,
  LinePlot,
  PlotCursor,
  PlotNote,
  type PlotFrame,
  type PlotLine,
  type PlotPoint,
} from '../plot/LinePlot';
import { AXIS_COLOR, plotFont } from '../plot/theme';
import { PlotText } from '../plot/Text';
import { fitting, textWidth } from '../plot/textWidth';

export type Point = PlotPoint;

/** A labelled line: its style and points as the plot kit draws them, and its legend label. */
export interface Series extends Omit<PlotLine, 'key' | 'testId'> {
  id: string;
  label: string;
}

/** The x axis: its label, its range (the data's unless given), a log₂ scale. */
export interface SeriesXAxis {
  label: string;
  domain?: [number, number];
  log2?: boolean;
}

/** The y axis: its label, a log scale, its range, and how the hover readout writes values. */
export interface SeriesYAxis {
  label: string;
  log?: boolean;
  /** Least range (linear axes), grown to fit the data. */
  domain?: [number, number];
  /** Exact range, whatever the data (a range shared across plots). */
  fixed?: [number, number];
  format?: (y: number) => string;
}

export interface SeriesPlotProps {
  width: number;
  height: number;
  title: string;
  xAxis: SeriesXAxis;
  yAxis: SeriesYAxis;
  series: Series[];
  exportName: string;
  testId?: string;
  /** Shown in the plot's middle when there is nothing to draw (or on top, with `warn`). */
  note?: string | null;
  warn?: boolean;
  legend?: boolean;
  /** Lines under the title (sources, what the marks mean). */
  caption?: string[];
}

export function yExtent(series: Series[], log: boolean): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const p of s.points) {
      if (!drawable(p, log)) continue;
      lo = Math.min(lo, p.lo !== undefined && (!log || p.lo > 0) ? p.lo : p.y);
      hi = Math.max(hi, p.hi ?? p.y);
    }
  return lo <= hi ? [lo, hi] : null;
}

export function SeriesPlot(props: SeriesPlotProps) {
  const { width, height, series, xAxis, yAxis, legend = true } = props;
  const yLog = yAxis.log ?? false;
  const xLog2 = xAxis.log2 ?? false;
  const presentation = useLecture((s) => s.presentation);
  const [hover, setHover] = useState<number | null>(null);
  const fs = plotFont(presentation);
  // Legend columns as wide as the longest label, as many as fit; in a plot too narrow for a
  // label, the label without its trailing "(…)" where that fits.
  const legendRoom = width - 4.6 * fs - 27 - 4;
  const labels = series.map((s) => fitting([s.label, s.label.replace(/\s*\([^)]*\)$/, '')], legendRoom, fs));
  const legendW = Math.max(textWidth('0000', fs), ...labels.map((l) => textWidth(l, fs))) + 40;
  const legendCols = Math.max(1, Math.floor((width - 4.6 * fs) / legendW));
  const legendRows = legend && series.length ? Math.ceil(series.length / legendCols) : 0;
  const captionH = (props.caption?.length ?? 0) * (fs + 3);
  const m = {
    top: fs * 2 + 6 + legendRows * (fs + 6) + captionH,
    right: 14,
    bottom: 2 * fs + 16,
    left: 3.6 * fs + 18,
  };
  const xs = series.flatMap((s) => s.points.filter((p) => drawable(p, yLog)).map((p) => p.x));
  const xDomain: [number, number] = xAxis.domain ?? [
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
    const [lo, hi] = yAxis.fixed ?? ext ?? [1e-3, 1];
    y = scaleLog()
      .domain([Math.max(lo, 1e-300), Math.max(hi, lo * 10)])
      .nice()
      .range([height - m.bottom, m.top]);
  } else {
    let [lo, hi] = yAxis.fixed ?? yAxis.domain ?? ext ?? [0, 1];
    if (!yAxis.fixed && ext) {
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
  const fmt = yAxis.format ?? ((v: number) => (yLog ? v.toExponential(2) : v.toFixed(3)));
  const drawn = series.some((s) => s.points.some((p) => drawable(p, yLog)));
  // Hover: the nearest x among the data, and each series' value there.
  const readout =
    hover === null
      ? null
      : series.map((s) => ({ s, p: s.points.find((p) => p.x === hover && drawable(p, yLog)) }));
  const xTickFormat = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(2));
  const frame: PlotFrame = { width, height, m, x, y };
  const backdrop = (
    <>
      {(props.caption ?? []).map((c, i) => (
        <PlotText key={i} x={m.left} y={2 * fs + 6 + i * (fs + 3)} fontSize={fs} fill="#555e70">
          {c}
        </PlotText>
      ))}
      {legend
        ? series.map((s, i) => {
            const lx = m.left + (i % legendCols) * legendW;
            const ly = fs * 2 + 10 + Math.floor(i / legendCols) * (fs + 6) + captionH;
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
                  {labels[i]}
                </PlotText>
              </g>
            );
          })
        : null}
    </>
  );
  const overlay = (
    <>
      {hover !== null && readout ? (
        <g pointerEvents="none">
          <PlotCursor frame={frame} at={hover} color="#8a93a6" dash="2 2" />
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
      {props.note || !drawn ? (
        <PlotNote frame={frame} size={fs} warn={props.warn} text={props.note ?? 'no data yet'} />
      ) : null}
    </>
  );
  return (
    <LinePlot
      exportName={props.exportName}
      testId={props.testId}
      frame={frame}
      fs={fs}
      title={{ text: props.title, y: fs + 3, size: fs + 2, weight: 700, fill: '#1d2433' }}
      xAxis={{ ticks: 5, format: xLog2 ? xTickFormat : undefined, label: xAxis.label }}
      yAxis={{ ticks: yTicks, log: yLog, label: yAxis.label }}
      labelInset={{ x: 4, y: fs + 2 }}
      lines={series.map((s) => ({ ...s, key: s.id }))}
      backdrop={backdrop}
      overlay={overlay}
      svgProps={{
        'data-drawn-series': series.filter((s) => s.points.some((p) => drawable(p, yLog))).length,
        onMouseMove: (e) => {
          if (!xs.length) return;
          const rect = e.currentTarget.getBoundingClientRect();
          const v = x.invert(e.clientX - rect.left);
          let best = xs[0];
          for (const c of xs) if (Math.abs(c - v) < Math.abs(best - v)) best = c;
          setHover(best);
        },
        onMouseLeave: () => setHover(null),
      }}
    />
  );
}
