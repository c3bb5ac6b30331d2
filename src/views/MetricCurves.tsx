// The per-layer metrics of SPEC §2 against depth, both configurations in each small plot, the
// current depth marked, values on hover. Layers from the first non-finite one on are not data.
import { useMemo, useState } from 'react';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import type { LayerMetrics, RunResult } from '../engine/types';
import { useLecture, useLectureFields, type PanelId } from '../state/store';
import { LinePlot, PlotCursor, type PlotFrame, type PlotLine, type PlotPoint } from './plot/LinePlot';
import { AXIS_COLOR, PANEL_COLORS, PANEL_DASH, plotFont } from './plot/theme';
import { lastFiniteLayer } from './runData';
import { useSize } from './useSize';
import { fixed2 } from './EmbeddingView';
import { wideRange } from './metricScale';
import { DefinitionLink } from './Definition';
import type { MetricDefinitionId } from '../lessons/definitions';
import { PlotText } from './plot/Text';
import { textWidth } from './plot/textWidth';
import { TheoryCells, THEORY_CELLS } from './TheoryPlots';

interface MetricDef {
  id: MetricDefinitionId;
  title: string;
  /** The title for a narrow plot, where the full one would be cut. */
  short?: string;
  get: (m: LayerMetrics) => number | null;
  log?: boolean;
  /** A log axis when the values span too much for a linear one (see wideRange). */
  logWhenWide?: boolean;
  domain?: [number, number];
  transformerOnly?: boolean;
  graphOnly?: boolean;
}

export const METRICS: MetricDef[] = [
  {
    id: 'effectiveRank',
    title: 'Effective rank',
    short: 'Eff. rank',
    get: (m) => m.effectiveRank,
    logWhenWide: true,
  },
  { id: 'meanCosine', title: 'Mean cosine', get: (m) => m.meanCosine, domain: [-0.1, 1] },
  { id: 'mu', title: 'Consensus distance μ', short: 'Consensus μ', get: (m) => m.mu, domain: [0, 1] },
  {
    id: 'dirichlet',
    title: 'Dirichlet energy',
    short: 'Dirichlet E',
    get: (m) => m.dirichlet,
    log: true,
    graphOnly: true,
  },
  {
    id: 'attentionSimilarity',
    title: 'Attention similarity',
    short: 'Attention sim.',
    get: (m) => m.attentionSimilarity,
    domain: [0, 1],
    transformerOnly: true,
  },
];

function seriesOf(result: RunResult | null, def: MetricDef): PlotPoint[] {
  if (!result) return [];
  const last = lastFiniteLayer(result);
  const out: PlotPoint[] = [];
  for (const l of result.layers) {
    if (l.index > last) break;
    const v = def.get(l.metrics);
    if (v === null || !Number.isFinite(v) || (def.log && v <= 0)) continue;
    out.push({ x: l.index, y: v });
  }
  return out;
}

interface Series {
  id: PanelId;
  points: PlotPoint[];
}

/** The y domain of one plot from its data (log, fixed or from zero). */
function yDomainOf(def: MetricDef, data: Series[]): [number, number] {
  const all = data.flatMap((d) => d.points.map((p) => p.y));
  if (def.log) {
    const lo = all.length ? Math.min(...all) : 1e-3;
    const hi = all.length ? Math.max(...all) : 1;
    return [Math.max(lo, 1e-30), Math.max(hi, lo * 10)];
  }
  if (def.domain) {
    const hi = all.length ? Math.max(def.domain[1], ...all) : def.domain[1];
    const lo = all.length ? Math.min(def.domain[0], ...all) : def.domain[0];
    return [lo, hi];
  }
  const hi = all.length ? Math.max(...all) : 1;
  return [0, Math.max(1, hi)];
}

function frameOf(
  def: MetricDef,
  [y0, y1]: [number, number],
  width: number,
  height: number,
  layers: number,
  fs: number,
): PlotFrame {
  // Room at the top for the title, the readout under it and half the top tick label below that.
  const m = { top: 2 * fs + 18, right: 10, bottom: fs + 10, left: fs * 3 + 4 };
  const x = scaleLinear()
    .domain([0, Math.max(1, layers)])
    .range([m.left, width - m.right]);
  const y: ScaleContinuousNumeric<number, number> = def.log
    ? scaleLog()
        .domain([y0, y1])
        .nice()
        .range([height - m.bottom, m.top])
    : def.domain
      ? scaleLinear()
          .domain([y0, y1])
          .range([height - m.bottom, m.top])
      : scaleLinear()
          .domain([y0, y1])
          .nice()
          .range([height - m.bottom, m.top]);
  return { width, height, m, x, y };
}

/**
 * Where a metric's title starts: over the plot area's left edge, or further left where a long
 * title would reach the definition link's (i) in the
 * top right corner.
 */
function titleX(text: string, left: number, width: number, fs: number): number {
  return Math.max(2, Math.min(left, titleRoom(width, fs) - titleWidth(text, fs)));
}

const titleRoom = (width: number, fs: number) => width - 1.9 * fs;
const titleWidth = (text: string, fs: number) => textWidth(text, fs + 1, 600);

/** The full title where it fits the plot's width, else the short one. */
function fittingTitle(def: MetricDef, width: number, fs: number): string {
  return def.short && titleWidth(def.title, fs) > titleRoom(width, fs) - 2 ? def.short : def.title;
}

function MetricPlot({ def: base, width, height }: { def: MetricDef; width: number; height: number }) {
  const { depth, layers, compare } = useLectureFields('depth', 'layers', 'compare');
  // The results only: a run starting or stopping (the panels' `running` flags) changes no curve.
  const resultA = useLecture((s) => s.panels.A.result);
  const resultB = useLecture((s) => s.panels.B.result);
  const presentation = useLecture((s) => s.presentation);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const fs = plotFont(presentation);
  const data = useMemo<Series[]>(
    () => [
      { id: 'A', points: seriesOf(resultA, base) },
      ...(compare ? [{ id: 'B' as const, points: seriesOf(resultB, base) }] : []),
    ],
    [base, resultA, resultB, compare],
  );
  const wide = !!base.logWhenWide && wideRange(data.flatMap((d) => d.points.map((p) => p.y)));
  const def = useMemo(
    () =>
      wide
        ? {
            ...base,
            log: true,
            title: `${base.title} (log)`,
            short: base.short === undefined ? undefined : `${base.short} (log)`,
          }
        : base,
    [base, wide],
  );
  // Keyed on the domain's numbers, not the data: a new result with the same y range keeps the
  // same frame, so the memoized axes are not rebuilt on every result of a drag.
  const [y0, y1] = yDomainOf(def, data);
  const frame = useMemo(
    () => frameOf(def, [y0, y1], width, height, layers, fs),
    [def, y0, y1, width, height, layers, fs],
  );
  const lines = useMemo<PlotLine[]>(
    () =>
      data.map((d) => ({ key: d.id, points: d.points, color: PANEL_COLORS[d.id], dash: PANEL_DASH[d.id] })),
    [data],
  );
  const { m, x } = frame;
  const cursor = hoverX ?? Math.round(depth);
  const readout = data.map((d) => ({ id: d.id, p: d.points.find((p) => p.x === cursor) }));
  const title = fittingTitle(def, width, fs);
  const values = readout.map((r) => (r.p ? (base.log ? r.p.y.toExponential(1) : fixed2(r.p.y)) : '–'));
  // "ℓ=…" only where the whole readout fits; the depth line marks ℓ anyway.
  const layerLabel = `ℓ=${cursor} `;
  const showLayer =
    textWidth(layerLabel, fs) + textWidth(` ${values.join('  ')}`, fs, 600) <= width - m.right - 4;
  return (
    <LinePlot
      exportName={def.id}
      testId={`metric-${def.id}`}
      frame={frame}
      fs={fs}
      title={{
        text: title,
        x: titleX(title, m.left, width, fs),
        y: fs + 2,
        size: fs + 1,
        weight: 600,
      }}
      xAxis={{ ticks: 4 }}
      yAxis={{ ticks: def.log ? 4 : 3, log: def.log }}
      lines={lines}
      svgProps={{
        'data-scale': def.log ? 'log' : 'linear',
        onMouseMove: (e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          const v = Math.round(x.invert(e.clientX - rect.left));
          setHoverX(Math.max(0, Math.min(layers, v)));
        },
        onMouseLeave: () => setHoverX(null),
      }}
      underlay={
        <>
          <PlotCursor frame={frame} at={depth} color="#1d2433" width={1.5} />
          {hoverX !== null ? <PlotCursor frame={frame} at={hoverX} color="#8a93a6" dash="2 2" /> : null}
        </>
      }
      overlay={
        <PlotText x={width - m.right} y={2 * fs + 6} textAnchor="end" fontSize={fs} fill="inherit">
          {showLayer ? <tspan fill={AXIS_COLOR}>{layerLabel}</tspan> : null}
          {readout.map((r, i) => (
            <tspan key={r.id} fill={PANEL_COLORS[r.id]} fontWeight={600}>
              {' '}
              {values[i]}
            </tspan>
          ))}
        </PlotText>
      }
    />
  );
}

export function MetricCurves() {
  const { model, theory } = useLectureFields('model', 'theory');
  const [ref, size] = useSize<HTMLDivElement>();
  const defs = theory
    ? []
    : METRICS.filter((d) =>
        d.transformerOnly ? model === 'transformer' : d.graphOnly ? model === 'gnn' : true,
      );
  const gap = 8;
  const cells = theory ? THEORY_CELLS : defs.length;
  const w = Math.max(140, Math.floor((size.width - gap * (cells - 1)) / cells));
  const h = Math.max(120, Math.floor(size.height));
  return (
    <section className="panel metrics" aria-label="Metrics against depth">
      <div className="metric-row" ref={ref}>
        {defs.map((d) => (
          <div key={d.id} className="metric-cell">
            <MetricPlot def={d} width={w} height={h} />
            <DefinitionLink id={d.id} />
          </div>
        ))}
        {theory ? <TheoryCells width={w} height={h} /> : null}
      </div>
    </section>
  );
}
