// The one line plot every view draws with: a white SVG with a title, a left and a bottom axis,
// optional axis labels, and lines of {x, y} points (optionally clipped to the plot area, with
// markers and error bars). What differs between views (margins, scales, legends, cursors,
// readouts) is decided by the caller: it passes the frame (margins and scales) and puts its own
// marks in three layers: `backdrop` (under the axes), `underlay` (between axes and lines) and
// `overlay` (over the lines). Styles are inline so that an exported SVG looks as on the page.
//
// The axes and the lines are memoized parts: a caller that keeps `frame` and `lines` stable
// (useMemo) re-renders only its own layers when, say, a cursor moves; the axes' many SVG
// elements were most of the main thread's time per step of a dragged depth slider.
import { memo, useId, type ReactNode, type SVGProps } from 'react';
import { line, type ScaleContinuousNumeric } from 'd3';
import { Axis } from './Axis';
import { AXIS_COLOR, WARN_COLOR } from './theme';
import { PlotText } from './Text';

export interface PlotPoint {
  x: number;
  y: number;
  /** Optional range (error bar), same units as y. */
  lo?: number;
  hi?: number;
}

export interface PlotLineStyle {
  color: string;
  width?: number;
  dash?: string;
  opacity?: number;
  linecap?: 'round';
  /** Markers at the points: filled, hollow (published figures), or none. */
  marker?: 'filled' | 'hollow';
}

export interface PlotLine extends PlotLineStyle {
  key: string;
  points: PlotPoint[];
  testId?: string;
}

export interface PlotMargins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Where a plot draws: its size, margins (the plot area inside them) and scales. */
export interface PlotFrame {
  width: number;
  height: number;
  m: PlotMargins;
  x: ScaleContinuousNumeric<number, number>;
  y: ScaleContinuousNumeric<number, number>;
}

/** One axis: how many ticks d3 aims for, their format, a log scale (y only), its label. */
export interface AxisSpec {
  ticks: number;
  log?: boolean;
  format?: (v: number) => string;
  label?: string;
}

export interface PlotTitle {
  text: string;
  /** Left end of the title; the plot area's left edge unless told. */
  x?: number;
  y: number;
  size: number;
  weight: number;
  fill?: string;
}

/** A point a line can draw: finite, and positive on a log axis. */
export function drawable(p: PlotPoint, log: boolean): boolean {
  return Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.y > 0);
}

interface LinePlotProps {
  frame: PlotFrame;
  exportName: string;
  testId?: string;
  /** Type size of the axes and their labels (see plotFont). */
  fs: number;
  title: PlotTitle;
  xAxis: AxisSpec;
  yAxis: AxisSpec;
  /** Baseline of the x label above the bottom edge, and the y label's distance from the left edge. */
  labelInset?: { x: number; y: number };
  lines: PlotLine[];
  /** Clip the lines to the plot area (values off the axis run out of it rather than over the axes). */
  clip?: boolean;
  /** The SVG's tooltip. */
  tooltip?: string;
  backdrop?: ReactNode;
  underlay?: ReactNode;
  overlay?: ReactNode;
  /** More attributes of the <svg> (data-* for tests, pointer handlers for hover readouts). */
  svgProps?: SvgExtras;
}

type SvgExtras = SVGProps<SVGSVGElement> & Record<`data-${string}`, string | number | undefined>;

/** A plot's white SVG, named for the exports. */
export function PlotSvg(p: {
  width: number;
  height: number;
  exportName: string;
  testId?: string;
  svgProps?: SvgExtras;
  children: ReactNode;
}) {
  return (
    <svg
      width={p.width}
      height={p.height}
      xmlns="http://www.w3.org/2000/svg"
      data-export-name={p.exportName}
      data-testid={p.testId}
      {...p.svgProps}
    >
      {p.children}
    </svg>
  );
}

/** A vertical line across the plot area at x = `at` (a cursor, the current step). */
export function PlotCursor(p: {
  frame: PlotFrame;
  at: number;
  color: string;
  dash?: string;
  width?: number;
}) {
  const { m, x, height } = p.frame;
  const px = x(p.at);
  return (
    <line
      x1={px}
      x2={px}
      y1={m.top}
      y2={height - m.bottom}
      stroke={p.color}
      strokeWidth={p.width}
      strokeDasharray={p.dash}
    />
  );
}

/** A line of text in the middle of the plot area: why there is nothing, or a warning (haloed over lines). */
export function PlotNote(p: {
  frame: PlotFrame;
  size: number;
  warn?: boolean;
  halo?: boolean;
  text: string;
}) {
  const { m, width, height } = p.frame;
  return (
    <PlotText
      x={(m.left + width - m.right) / 2}
      y={(m.top + height - m.bottom) / 2}
      textAnchor="middle"
      fontSize={p.size}
      fontWeight={p.warn ? 700 : 400}
      fill={p.warn ? WARN_COLOR : '#555e70'}
      {...(p.halo ? { paintOrder: 'stroke', stroke: '#ffffff', strokeWidth: 4 } : {})}
    >
      {p.text}
    </PlotText>
  );
}

// Memoized on primitives and the frame: the axis specs are new objects on every render.
interface AxesProps {
  frame: PlotFrame;
  fs: number;
  yLog: boolean;
  yTicks: number;
  xTicks: number;
  yFormat?: (v: number) => string;
  xFormat?: (v: number) => string;
  xLabel?: string;
  yLabel?: string;
  insetX: number;
  insetY: number;
}

const PlotAxes = memo(function PlotAxes(p: AxesProps) {
  const { m, x, y, width, height } = p.frame;
  const { fs } = p;
  return (
    <>
      <Axis
        scale={y}
        orient="left"
        at={m.left}
        log={p.yLog}
        ticks={p.yTicks}
        fontSize={fs}
        format={p.yFormat}
      />
      <Axis
        scale={x}
        orient="bottom"
        at={height - m.bottom}
        ticks={p.xTicks}
        fontSize={fs}
        format={p.xFormat}
      />
      {p.xLabel ? (
        <PlotText x={(m.left + width - m.right) / 2} y={height - p.insetX} textAnchor="middle" fontSize={fs}>
          {p.xLabel}
        </PlotText>
      ) : null}
      {p.yLabel ? (
        <PlotText
          transform={`translate(${p.insetY},${(m.top + height - m.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize={fs}
        >
          {p.yLabel}
        </PlotText>
      ) : null}
    </>
  );
});

interface LinesProps {
  frame: PlotFrame;
  lines: PlotLine[];
  yLog: boolean;
  clipId: string | null;
}

const PlotLines = memo(function PlotLines({ frame, lines, yLog, clipId }: LinesProps) {
  const { x, y, height } = frame;
  // Far off-scale values would give SVG coordinates of 1e50: pin them well outside the plot.
  const path = line<PlotPoint>()
    .defined((p) => drawable(p, yLog))
    .x((p) => x(p.x))
    .y((p) => Math.max(-10 * height, Math.min(11 * height, y(p.y))));
  const body = lines.map((l) => {
    const marks = l.points.filter((p) => drawable(p, yLog));
    return (
      <g key={l.key}>
        <path
          d={path(l.points) ?? ''}
          fill="none"
          stroke={l.color}
          strokeWidth={l.width ?? 2.5}
          strokeDasharray={l.dash}
          strokeOpacity={l.opacity}
          strokeLinecap={l.linecap}
          data-testid={l.testId}
        />
        {marks.map((p) =>
          p.lo !== undefined && p.hi !== undefined ? (
            <line
              key={`e${p.x}`}
              x1={x(p.x)}
              x2={x(p.x)}
              y1={y(p.lo)}
              y2={y(p.hi)}
              stroke={l.color}
              strokeWidth={1.5}
            />
          ) : null,
        )}
        {l.marker
          ? marks.map((p) => (
              <circle
                key={`m${p.x}`}
                cx={x(p.x)}
                cy={y(p.y)}
                r={4}
                fill={l.marker === 'filled' ? l.color : '#fff'}
                stroke={l.color}
                strokeWidth={1.8}
              />
            ))
          : null}
      </g>
    );
  });
  return clipId ? <g clipPath={`url(#${clipId})`}>{body}</g> : <>{body}</>;
});

export function LinePlot(p: LinePlotProps) {
  const { frame, title, xAxis, yAxis } = p;
  const { m, width, height } = frame;
  const clipId = `clip-${useId().replace(/:/g, '')}`;
  const inset = p.labelInset ?? { x: 3, y: p.fs };
  const yLog = !!yAxis.log;
  return (
    <PlotSvg width={width} height={height} exportName={p.exportName} testId={p.testId} svgProps={p.svgProps}>
      {p.tooltip ? <title>{p.tooltip}</title> : null}
      <rect width={width} height={height} fill="#ffffff" />
      {p.clip ? (
        <defs>
          <clipPath id={clipId}>
            <rect
              x={m.left}
              y={m.top}
              width={Math.max(0, width - m.left - m.right)}
              height={Math.max(0, height - m.top - m.bottom)}
            />
          </clipPath>
        </defs>
      ) : null}
      <PlotText
        x={title.x ?? m.left}
        y={title.y}
        fontSize={title.size}
        fontWeight={title.weight}
        fill={title.fill ?? AXIS_COLOR}
      >
        {title.text}
      </PlotText>
      {p.backdrop}
      <PlotAxes
        frame={frame}
        fs={p.fs}
        yLog={yLog}
        yTicks={yAxis.ticks}
        xTicks={xAxis.ticks}
        yFormat={yAxis.format}
        xFormat={xAxis.format}
        xLabel={xAxis.label}
        yLabel={yAxis.label}
        insetX={inset.x}
        insetY={inset.y}
      />
      {p.underlay}
      <PlotLines frame={frame} lines={p.lines} yLog={yLog} clipId={p.clip ? clipId : null} />
      {p.overlay}
    </PlotSvg>
  );
}
