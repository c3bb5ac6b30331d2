// A d3 scale drawn as an SVG axis in React (ticks from d3, styles inline so that an exported
// SVG looks the same as on the page).
import type { ScaleContinuousNumeric } from 'd3';
import { AXIS_COLOR } from './theme';
import { PlotText } from './Text';

export function superscript(n: number): string {
  const map: Record<string, string> = {
    '-': '⁻',
    '0': '⁰',
    '1': '¹',
    '2': '²',
    '3': '³',
    '4': '⁴',
    '5': '⁵',
    '6': '⁶',
    '7': '⁷',
    '8': '⁸',
    '9': '⁹',
  };
  return String(n)
    .split('')
    .map((c) => map[c] ?? c)
    .join('');
}

export function logTickFormat(v: number): string {
  const e = Math.round(Math.log10(v));
  if (Math.abs(Math.log10(v) - e) > 1e-6) return '';
  if (e === 0) return '1';
  if (e === 1) return '10';
  return `10${superscript(e)}`;
}

/**
 * A vertical axis's labels, thinned so that no two are closer than their height (1.2 em): a short
 * plot keeps every tick mark but labels every second or third. Walked from the top (a log axis:
 * its 1 stays labelled) or from the bottom (a linear axis: its 0).
 */
function spacedLabels(
  values: number[],
  scale: ScaleContinuousNumeric<number, number>,
  fmt: (v: number) => string,
  fontSize: number,
  from: 'top' | 'bottom',
): string[] {
  const labels = values.map(fmt);
  const order = values.map((_, i) => i).sort((a, b) => scale(values[a]!) - scale(values[b]!));
  if (from === 'bottom') order.reverse();
  let last = Number.NaN;
  for (const i of order) {
    if (labels[i] === '') continue;
    const y = scale(values[i]!);
    if (Math.abs(y - last) < 1.2 * fontSize) labels[i] = '';
    else last = y;
  }
  return labels;
}

interface AxisProps {
  scale: ScaleContinuousNumeric<number, number>;
  orient: 'bottom' | 'left';
  /** Where the axis line sits (y for bottom, x for left). */
  at: number;
  ticks?: number;
  format?: (v: number) => string;
  log?: boolean;
  fontSize?: number;
}

export function Axis({ scale, orient, at, ticks = 5, format, log, fontSize = 14 }: AxisProps) {
  const values = log
    ? scale.ticks(ticks).filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-6)
    : scale.ticks(ticks);
  const fmt = format ?? (log ? logTickFormat : scale.tickFormat(ticks));
  const [r0, r1] = scale.range();
  if (orient === 'bottom')
    return (
      <g>
        <line x1={r0} x2={r1} y1={at} y2={at} stroke={AXIS_COLOR} />
        {values.map((v) => (
          <g key={v} transform={`translate(${scale(v)},${at})`}>
            <line y2={4} stroke={AXIS_COLOR} />
            <PlotText y={6 + fontSize} textAnchor="middle" fontSize={fontSize}>
              {fmt(v)}
            </PlotText>
          </g>
        ))}
      </g>
    );
  const labels = spacedLabels(values, scale, fmt, fontSize, log ? 'top' : 'bottom');
  return (
    <g>
      <line y1={r0} y2={r1} x1={at} x2={at} stroke={AXIS_COLOR} />
      {values.map((v, i) => (
        <g key={v} transform={`translate(${at},${scale(v)})`}>
          <line x2={-4} stroke={AXIS_COLOR} />
          <PlotText x={-6} dy="0.32em" textAnchor="end" fontSize={fontSize}>
            {labels[i]}
          </PlotText>
        </g>
      ))}
    </g>
  );
}
