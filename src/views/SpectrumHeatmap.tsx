// σ_i/σ₁ of every layer at once: depth ℓ (x, columns 0..L) × singular-value index i (y, 1 at the
// top), on a log colour scale (viridis: perceptually uniform, colour-blind safe), one heat map per
// compared configuration. Values under the float32 floor (SPEC §2, GRAM_FLOOR·σ₁) are noise, not
// data: they get a neutral grey of their own. Layers from the first non-finite one on are hatched.
// The cells are one raster image per configuration (cheap for L = 256 × d = 256), embedded in the
// SVG so that the SVG export holds the whole figure. Many singular values (a real data set's raw
// features at layer 0) are drawn on a log index axis, one row per pixel (./heatRows.ts says how).
import { memo, useMemo, useState } from 'react';
import { interpolateViridis, scaleLinear, scaleSequentialLog, type ScaleLinear } from 'd3';
import { GRAM_FLOOR } from '../engine/metrics';
import { DefinitionLink } from './Definition';
import type { RunResult } from '../engine/types';
import { useLecture, useLectureFields, type PanelId } from '../state/store';
import { AXIS_COLOR, FONT, PANEL_COLORS, panelLabel, plotFont } from './plot/theme';
import { logTickFormat } from './plot/Axis';
import { useSize } from './useSize';
import { PlotText } from './plot/Text';
import { textWidth } from './plot/textWidth';
import { PlotSvg } from './plot/LinePlot';
import { indexPosition, logIndexTicks, rowPlan, rowValue, type RowPlan } from './heatRows';

/** The neutral colour of "under the float32 floor: not data". */
export const FLOOR_COLOR = '#d3d6dd';
const HEATMAP_TITLE = 'σᵢ/σ₁ over depth';
/** After the title when the rows are on a log scale of i. */
const ROW_RULE = '  (rows: log i, median)';
const HATCH_BG = '#f1f2f5';
const HATCH_FG = '#8a909c';

export const heatColor = scaleSequentialLog(interpolateViridis).domain([GRAM_FLOOR, 1]).clamp(true);

interface HeatData {
  /** Columns: layers of the run (L + 1 when complete). */
  columns: number;
  /** Rows: the most singular values of any layer. */
  rows: number;
  /** Which indices each row of the image shows. */
  plan: RowPlan;
  /** First non-finite layer, or null. */
  firstNonFinite: number | null;
  belowFloor: number;
  /** PNG data URL of the cells (columns × plan.drawn pixels), or '' without a canvas. */
  image: string;
  /** ratios[c][r] = the value of drawn row r at layer c (σ_i/σ₁, a median on a log axis; NaN where not data). */
  ratios: Float64Array[];
}

function heatRowCount(result: RunResult): number {
  return Math.max(1, ...result.layers.map((l) => l.metrics.singularValues.length));
}

function heatData(result: RunResult, plan: RowPlan): HeatData {
  const columns = result.layers.length;
  const rows = plan.count;
  const drawn = plan.drawn;
  const stop = result.firstNonFinite ?? Infinity;
  let belowFloor = 0;
  const ratios = result.layers.map((l, c) => {
    const sv = l.metrics.singularValues;
    const s1 = sv[0] ?? 0;
    const out = new Float64Array(drawn).fill(NaN);
    if (c >= stop || l.nonFinite > 0) return out;
    const own = Array.from(sv, (v) => (s1 > 0 && Number.isFinite(s1) ? v / s1 : 0));
    for (let r = 0; r < drawn; r++) out[r] = rowValue(plan, own, own.length, r);
    return out;
  });
  let image = '';
  const canvas = typeof document !== 'undefined' ? document.createElement('canvas') : null;
  const ctx = canvas?.getContext('2d');
  if (canvas && ctx) {
    canvas.width = columns;
    canvas.height = drawn;
    const img = ctx.createImageData(columns, drawn);
    const rgb = (css: string): [number, number, number] => {
      const h = css.startsWith('#') ? css.slice(1) : '';
      if (h.length === 6)
        return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16)) as [number, number, number];
      const m = /(\d+)\D+(\d+)\D+(\d+)/.exec(css);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
    };
    const floor = rgb(FLOOR_COLOR);
    for (let c = 0; c < columns; c++) {
      if (c >= stop) continue; // transparent: the hatched overlay says why
      const available = result.layers[c].metrics.singularValues.length;
      for (let i = 0; i < drawn; i++) {
        const o = 4 * (i * columns + c);
        const v = ratios[c][i];
        if (plan.first[i] >= available) continue; // no such singular value at this layer's width
        let color: [number, number, number];
        if (!(v >= GRAM_FLOOR)) {
          color = floor;
          belowFloor++;
        } else color = rgb(heatColor(Math.min(1, v)));
        img.data[o] = color[0];
        img.data[o + 1] = color[1];
        img.data[o + 2] = color[2];
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    image = canvas.toDataURL('image/png');
  }
  return { columns, rows, plan, firstNonFinite: result.firstNonFinite, belowFloor, image, ratios };
}

/** Per result object (results are immutable) and row plan: the image is encoded once for each. */
const heatCache = new WeakMap<RunResult, Map<string, HeatData>>();

function useHeatData(result: RunResult | null, pixels: number): HeatData | null {
  const plan = useMemo(() => (result ? rowPlan(heatRowCount(result), pixels) : null), [result, pixels]);
  return useMemo(() => {
    if (!result || !plan) return null;
    const key = `${plan.scale}:${plan.drawn}`;
    let byPlan = heatCache.get(result);
    if (!byPlan) heatCache.set(result, (byPlan = new Map<string, HeatData>()));
    let d = byPlan.get(key);
    if (!d) byPlan.set(key, (d = heatData(result, plan)));
    return d;
  }, [result, plan]);
}

/** "i=3" or "i=12–14": the indices a drawn row covers. */
function rowIndices(plan: RowPlan, r: number): string {
  const a = plan.first[r] + 1;
  const b = plan.last[r] + 1;
  return a === b ? `i=${a}` : `i=${a}–${b} (median)`;
}

function fmtRatio(v: number): string {
  if (!Number.isFinite(v)) return 'not data';
  if (v < GRAM_FLOOR) return 'below the float32 floor';
  return v >= 0.01 ? v.toFixed(3) : v.toExponential(1);
}

interface Layout {
  ids: PanelId[];
  width: number;
  height: number;
  fs: number;
  layers: number;
  columns: number;
  m: { top: number; right: number; bottom: number; left: number };
  labelH: number;
  blockH: number;
  plotBottom: number;
  legendW: number;
  x: ScaleLinear<number, number>;
  blockTop: (k: number) => number;
}

function layoutOf(
  ids: PanelId[],
  width: number,
  height: number,
  fs: number,
  layers: number,
  rowDigits: number,
): Layout {
  const legendW = Math.round(fs * 5.3);
  const titleH = fs + 8;
  const m = {
    top: titleH,
    right: legendW + 8,
    bottom: fs + 10,
    left: Math.max(fs * 2 + 8, Math.ceil(rowDigits * fs * 0.62) + 10),
  };
  const labelH = fs + 3;
  const gap = 6;
  const blockH = Math.max(
    12,
    (height - m.top - m.bottom - ids.length * labelH - gap * (ids.length - 1)) / ids.length,
  );
  const columns = Math.max(1, layers + 1);
  const x = scaleLinear()
    .domain([0, columns])
    .range([m.left, width - m.right]);
  const blockTop = (k: number) => m.top + k * (labelH + blockH + gap) + labelH;
  const plotBottom = blockTop(ids.length - 1) + blockH;
  return { ids, width, height, fs, layers, columns, m, labelH, blockH, plotBottom, legendW, x, blockTop };
}

interface PartProps {
  layout: Layout;
  dataA: HeatData | null;
  dataB: HeatData | null;
  labelA: string;
  labelB: string;
}

// The heat map's cells, labels, axis and legend change only with a new result, the size or the
// settings, never with depth or hover: memoized, so that dragging the depth slider moves just the
// depth line (re-rendering the whole SVG per step was a large share of each slider step's task).
const HeatBlocks = memo(function HeatBlocks({ layout, dataA, dataB, labelA, labelB }: PartProps) {
  const { ids, width, height, fs, columns, m, labelH, blockH, x, blockTop } = layout;
  const data: Record<PanelId, HeatData | null> = { A: dataA, B: dataB };
  const labels = { A: labelA, B: labelB };
  const logRows = ids.some((id) => data[id]?.plan.scale === 'log');
  const stops = Array.from({ length: 11 }, (_, k) => {
    const t = k / 10;
    return { offset: t, color: heatColor(10 ** (t * Math.log10(GRAM_FLOOR))) };
  });
  return (
    <>
      <defs>
        <pattern id="heatmap-hatch" width={6} height={6} patternUnits="userSpaceOnUse">
          <rect width={6} height={6} fill={HATCH_BG} />
          <path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke={HATCH_FG} strokeWidth={1} />
        </pattern>
        <linearGradient id="heatmap-gradient" x1={0} x2={0} y1={0} y2={1}>
          {stops.map((s) => (
            <stop key={s.offset} offset={s.offset} stopColor={s.color} />
          ))}
        </linearGradient>
      </defs>
      <rect width={width} height={height} fill="#ffffff" />
      <title>σᵢ/σ₁ against depth (click a column to go to that layer)</title>
      <PlotText x={2} y={fs + 3} fontSize={fs + 2} fontWeight={600} fill="#1d2433">
        {HEATMAP_TITLE}
        {logRows ? (
          <tspan fontWeight={400} fontSize={fs} data-testid="heatmap-row-rule">
            <title>
              {`More singular values than rows: the index i is on a log scale, one row per pixel; a row that covers several indices shows the median of their σᵢ/σ₁.`}
            </title>
            {ROW_RULE}
          </tspan>
        ) : null}
      </PlotText>
      {ids.map((id, k) => {
        const d = data[id];
        const top = blockTop(k);
        const nf = d?.firstNonFinite ?? null;
        const x0 = x(0);
        const x1 = x(d ? d.columns : columns);
        return (
          <g
            key={id}
            data-testid={`heatmap-${id}`}
            data-columns={d?.columns ?? 0}
            data-rows={d?.rows ?? 0}
            data-drawn-rows={d?.plan.drawn ?? 0}
            data-row-scale={d?.plan.scale ?? ''}
            data-below-floor={d?.belowFloor ?? 0}
            data-first-nonfinite={nf ?? ''}
          >
            <rect
              x={m.left - fs - 4}
              y={top - labelH + 1}
              width={fs - 2}
              height={fs - 2}
              fill={PANEL_COLORS[id]}
              rx={2}
            />
            <PlotText x={m.left} y={top - 4} fontSize={fs} fontWeight={600}>
              {labels[id]}
            </PlotText>
            <rect x={x0} y={top} width={x(columns) - x0} height={blockH} fill="#f7f8fa" />
            {d?.image ? (
              <image
                href={d.image}
                x={x0}
                y={top}
                width={x1 - x0}
                height={blockH}
                preserveAspectRatio="none"
                imageRendering="optimizeSpeed"
                style={{ imageRendering: 'pixelated' }}
              />
            ) : null}
            {d && nf !== null && nf < d.columns ? (
              <g data-testid={`heatmap-nonfinite-${id}`}>
                <rect x={x(nf)} y={top} width={x1 - x(nf)} height={blockH} fill="url(#heatmap-hatch)" />
                <PlotText
                  x={(x(nf) + x1) / 2}
                  y={top + blockH / 2}
                  dy="0.32em"
                  textAnchor="middle"
                  fontSize={fs}
                  transform={
                    x1 - x(nf) < fs * 6 ? `rotate(-90 ${(x(nf) + x1) / 2} ${top + blockH / 2})` : undefined
                  }
                >
                  non-finite
                </PlotText>
              </g>
            ) : null}
            <rect
              x={x0}
              y={top}
              width={x(columns) - x0}
              height={blockH}
              fill="none"
              stroke={AXIS_COLOR}
              strokeWidth={0.6}
            />
            <RowLabels d={d} top={top} blockH={blockH} x0={x0} fs={fs} />
          </g>
        );
      })}
    </>
  );
});

/**
 * The index axis of one block: 1 at the top, the count at the bottom, and "i" between; on a log
 * axis also the powers of ten, each where its band begins, where they do not crowd each other.
 */
function RowLabels(props: { d: HeatData | null; top: number; blockH: number; x0: number; fs: number }) {
  const { d, top, blockH, x0, fs } = props;
  const label = (y: number, text: string | number, key: string, extra: object = {}) => (
    <text
      key={key}
      x={x0 - 4}
      y={y}
      dy="0.32em"
      textAnchor="end"
      fontSize={fs}
      fontFamily={FONT}
      fill={AXIS_COLOR}
      {...extra}
    >
      {text}
    </text>
  );
  if (!d || d.plan.scale === 'linear')
    return (
      <>
        {/* Row labels 1, i, rows: only those that fit the block's height without overlapping. */}
        {blockH >= 2 * fs ? label(top + fs * 0.5, 1, 'one') : null}
        {label(blockH >= 2 * fs ? top + blockH - fs * 0.5 : top + blockH / 2, d?.rows ?? '', 'count')}
        {blockH >= 3 * fs ? label(top + blockH / 2, 'i', 'i', { fontStyle: 'italic' }) : null}
      </>
    );
  const bottom = top + blockH - fs * 0.5;
  const ticks: { y: number; v: number }[] = [];
  for (const v of logIndexTicks(d.rows)) {
    const y = Math.max(top + fs * 0.5, top + blockH * indexPosition(d.plan, v));
    if ((ticks.length === 0 || y - ticks[ticks.length - 1].y >= fs * 1.1) && bottom - y >= fs * 1.1)
      ticks.push({ y, v });
  }
  return (
    <g data-testid="heatmap-row-ticks">
      {ticks.map((t) => label(t.y, t.v, `t${t.v}`))}
      {label(bottom, d.rows, 'count')}
    </g>
  );
}

const HeatAxisLegend = memo(function HeatAxisLegend({ layout }: { layout: Layout }) {
  const { width, fs, layers, columns, m, labelH, plotBottom, legendW, x } = layout;
  const xTicks = x
    .copy()
    .domain([0, Math.max(1, layers)])
    .ticks(Math.min(6, Math.max(1, layers)))
    .filter(Number.isInteger);
  // The colour legend: a vertical bar from 1 (top) down to the floor, then the "below floor" swatch.
  const legX = width - legendW + 2;
  const legTop = m.top + labelH;
  const legH = Math.max(30, plotBottom - legTop - fs - 8);
  const legY = scaleLinear()
    .domain([0, Math.log10(GRAM_FLOOR)])
    .range([legTop, legTop + legH]);
  // Only the ticks that a short bar leaves room for.
  const legendTicks = [1, 0.1, 0.01, 0.001].filter(
    (v, k) => k === 0 || legY(Math.log10(v)) - legY(0) >= k * fs * 1.1,
  );
  return (
    <>
      <g>
        <line x1={x(0)} x2={x(columns)} y1={plotBottom} y2={plotBottom} stroke={AXIS_COLOR} />
        {xTicks.map((v) => (
          <g key={v} transform={`translate(${x(v + 0.5)},${plotBottom})`}>
            <line y2={4} stroke={AXIS_COLOR} />
            <PlotText y={6 + fs} textAnchor="middle" fontSize={fs}>
              {v}
            </PlotText>
          </g>
        ))}
        <PlotText x={x(0) - 4} y={plotBottom + 6 + fs} textAnchor="end" fontSize={fs} fontStyle="italic">
          ℓ
        </PlotText>
      </g>
      <g aria-label="colour legend">
        <rect
          x={legX}
          y={legTop}
          width={10}
          height={legH}
          fill="url(#heatmap-gradient)"
          stroke={AXIS_COLOR}
          strokeWidth={0.5}
        />
        {legendTicks.map((v) => (
          <g key={v} transform={`translate(${legX + 10},${legY(Math.log10(v))})`}>
            <line x2={3} stroke={AXIS_COLOR} />
            <PlotText x={5} dy="0.32em" fontSize={fs}>
              {logTickFormat(v)}
            </PlotText>
          </g>
        ))}
      </g>
      <g transform={`translate(${legX},${legTop + legH + 6})`} data-testid="heatmap-legend">
        <rect width={10} height={fs} fill={FLOOR_COLOR} stroke={AXIS_COLOR} strokeWidth={0.5} />
        <PlotText x={14} y={fs / 2} dy="0.32em" fontSize={fs}>
          <title>{`under the float32 floor (${GRAM_FLOOR.toExponential(0)}·σ₁): noise, not data`}</title>
          &lt; floor
        </PlotText>
      </g>
    </>
  );
});

/** The depth marker's two strokes, [colour, width], drawn in this order: the dark edge, then the white core. */
const DEPTH_MARK_STROKES = [
  ['#1d2433', 3.5],
  ['#ffffff', 1.3],
] as const;

export function SpectrumHeatmap() {
  const { depth, layers, compare, set } = useLectureFields('depth', 'layers', 'compare', 'set');
  const resultA = useLecture((s) => s.panels.A.result);
  const resultB = useLecture((s) => s.panels.B.result);
  const { normA, normB, presentation } = useLectureFields('normA', 'normB', 'presentation');
  const [ref, size] = useSize<HTMLDivElement>();
  const [hover, setHover] = useState<{ id: PanelId; c: number; i: number } | null>(null);

  const fs = plotFont(presentation);
  const width = Math.max(200, size.width);
  const height = Math.max(120, size.height);
  // The row labels' width: the most singular values of either run.
  const rowDigits = String(
    Math.max(resultA ? heatRowCount(resultA) : 1, compare && resultB ? heatRowCount(resultB) : 1),
  ).length;
  const layout = useMemo(
    () => layoutOf(compare ? ['A', 'B'] : ['A'], width, height, fs, layers, rowDigits),
    [compare, width, height, fs, layers, rowDigits],
  );
  const { ids, blockH, x, blockTop, plotBottom } = layout;
  const pixels = Math.floor(blockH);
  const dataA = useHeatData(resultA, pixels);
  const dataB = useHeatData(compare ? resultB : null, pixels);
  const data: Record<PanelId, HeatData | null> = { A: dataA, B: dataB };
  const shownLayer = Math.round(Math.min(depth, layers));
  const depthX = x(Math.min(depth, layers) + 0.5);
  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    const c = Math.floor(x.invert(mx));
    for (let k = 0; k < ids.length; k++) {
      const d = data[ids[k]];
      const top = blockTop(k);
      if (!d || my < top || my >= top + blockH || c < 0 || c >= d.columns) continue;
      const r = Math.min(d.plan.drawn - 1, Math.floor(((my - top) / blockH) * d.plan.drawn));
      setHover({ id: ids[k], c, i: r });
      return;
    }
    setHover(null);
  };
  const onClick = (e: React.MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const c = Math.floor(x.invert(e.clientX - rect.left));
    if (c >= 0 && c <= layers) set({ depth: c, playing: false });
  };
  const hoverData = hover ? data[hover.id] : null;
  // With the log-rows rule after the title, a narrow plot has no room for "layer ℓ marked" too
  // (the depth line marks it anyway): the readout is then shown only on hover, over the rule.
  const logRows = ids.some((id) => data[id]?.plan.scale === 'log');
  const readoutRoom =
    width -
    Math.round(fs * 1.6) -
    2 -
    textWidth(HEATMAP_TITLE, fs + 2, 600) -
    (logRows ? textWidth(ROW_RULE, fs) : 0);
  const markedText = `layer ${shownLayer} marked`;
  const showMarked = textWidth(markedText, fs) + 8 <= readoutRoom;
  const hoverValue = hover && hoverData ? (hoverData.ratios[hover.c]?.[hover.i] ?? NaN) : NaN;

  return (
    <section className="panel plot heatmap metric-cell" aria-label="Singular value spectrum over depth">
      <DefinitionLink id="spectrum" />
      <div className="svg-box" ref={ref}>
        <PlotSvg
          width={width}
          height={height}
          exportName="spectrum-heatmap"
          testId="heatmap-svg"
          svgProps={{
            'data-current-layer': shownLayer,
            xmlnsXlink: 'http://www.w3.org/1999/xlink',
            onMouseMove: onMove,
            onMouseLeave: () => setHover(null),
            onClick,
            role: 'img',
            'aria-label': `Heat map of the singular value ratios against depth, layer ${shownLayer} marked`,
          }}
        >
          <HeatBlocks
            layout={layout}
            dataA={dataA}
            dataB={dataB}
            labelA={panelLabel(resultA, normA)}
            labelB={panelLabel(resultB, normB)}
          />
          {/* Right-aligned short of the definition link's (i), which sits over the top right corner. */}
          <PlotText
            x={width - Math.round(fs * 1.6)}
            y={fs + 3}
            textAnchor="end"
            fontSize={fs}
            data-testid="heatmap-readout"
            stroke="#ffffff"
            strokeWidth={4}
            paintOrder="stroke"
          >
            {hover
              ? `${hover.id}: ℓ=${hover.c}, ${hoverData ? rowIndices(hoverData.plan, hover.i) : ''}: ${fmtRatio(hoverValue)}`
              : showMarked
                ? markedText
                : ''}
          </PlotText>
          {/* The current depth: a dark line with a white core, visible on every colour. */}
          <g data-testid="heatmap-depth" data-layer={shownLayer} pointerEvents="none">
            {DEPTH_MARK_STROKES.map(([stroke, strokeWidth]) => (
              <line
                key={stroke}
                x1={depthX}
                x2={depthX}
                y1={blockTop(0) - 3}
                y2={plotBottom + 3}
                stroke={stroke}
                strokeWidth={strokeWidth}
              />
            ))}
          </g>
          <HeatAxisLegend layout={layout} />
        </PlotSvg>
      </div>
    </section>
  );
}
