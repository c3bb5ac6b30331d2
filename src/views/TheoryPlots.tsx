// Theory beside measurement: two plots that take the metric row's place when `theory` is on. The
// quantity a theorem bounds (a GCN's distance to its limit subspace, or pure attention's residual
// from rank one) with the bound dotted in the same colour, and ContraNorm's uniformity loss. Each
// panel's line says whether its configuration meets the theorem's assumptions, which one it
// breaks, and what the bound's numbers say. Maths: src/engine/theory/.
import { memo, useMemo } from 'react';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import type { NormKind, RunResult } from '../engine/types';
import { buildDataset } from '../data/datasets';
import { theoryOverlay, uniformityCurve, type TheoryOverlay } from '../engine/theory/overlays';
import { useLecture, type PanelId } from '../state/store';
import { LinePlot, type PlotLine, type PlotPoint } from './plot/LinePlot';
import { normLabel, PANEL_COLORS, PANEL_DASH, plotFont } from './plot/theme';
import { PlotText } from './plot/Text';
import { lastFiniteLayer } from './runData';
import { DefinitionLink } from './Definition';

/** A bound is dotted: unlike either panel's own line (solid, or dashed 6 3). */
const BOUND_DASH = '1 4';

type Point = PlotPoint;

function points(values: (number | null)[], last: number, log: boolean): Point[] {
  const out: Point[] = [];
  values.forEach((y, x) => {
    if (x <= last && y !== null && Number.isFinite(y) && (!log || y > 0)) out.push({ x, y });
  });
  return out;
}

interface PanelTheory {
  id: PanelId;
  overlay: TheoryOverlay | null;
  uniformity: (number | null)[];
  last: number;
  norm: NormKind;
  tau: number;
}

function theoryOf(id: PanelId, result: RunResult | null): PanelTheory | null {
  if (!result) return null;
  let dataset = null;
  try {
    dataset = buildDataset(result.config.dataset);
  } catch {
    // A data set the page no longer holds: no graph, so no GCN bound; the rest still shows.
  }
  return {
    id,
    overlay: theoryOverlay(result, dataset),
    uniformity: uniformityCurve(result),
    last: lastFiniteLayer(result),
    norm: result.config.norm.kind,
    tau: result.config.norm.tau,
  };
}

interface PlotProps {
  testId: string;
  title: string;
  width: number;
  height: number;
  layers: number;
  log: boolean;
  fs: number;
  series: { id: PanelId; measured: Point[]; bound: Point[] | null; label: string }[];
  tooltip: string;
}

const TheoryPlot = memo(function TheoryPlot(p: PlotProps) {
  const { width, height, fs, log } = p;
  const rows = p.series.length;
  const m = { top: fs + 8 + rows * (fs + 3), right: 10, bottom: fs + 10, left: fs * 3 + 4 };
  const measuredY = p.series.flatMap((s) => s.measured.map((q) => q.y));
  const boundY = p.series.flatMap((s) => (s.bound ?? []).map((q) => q.y));
  let lo: number;
  let hi: number;
  if (log) {
    // The measured values set the range; a bound far above them is clipped, not allowed to
    // flatten the data (the tooltip gives its numbers).
    hi = measuredY.length ? Math.max(...measuredY) * 10 : 10;
    lo = Math.min(...measuredY, ...boundY.filter((v) => v > hi * 1e-12), hi / 100);
  } else {
    lo = Math.min(0, ...measuredY);
    hi = Math.max(1, ...measuredY);
  }
  const x = scaleLinear()
    .domain([0, Math.max(1, p.layers)])
    .range([m.left, width - m.right]);
  const y: ScaleContinuousNumeric<number, number> = (log ? scaleLog() : scaleLinear())
    .domain([lo, hi])
    .nice()
    .range([height - m.bottom, m.top]);
  // A bound far under the axis is drawn along its bottom, one far over it runs out of the clip.
  const [d0, d1] = y.domain();
  const pin = (q: Point[]) => q.map((v) => ({ x: v.x, y: Math.min(Math.max(v.y, d0), d1 * 1e3) }));
  const lines: PlotLine[] = [
    ...p.series.flatMap((s) =>
      s.bound
        ? [
            {
              key: `${s.id}-bound`,
              points: pin(s.bound),
              color: PANEL_COLORS[s.id],
              linecap: 'round' as const,
              dash: BOUND_DASH,
              testId: `${p.testId}-bound-${s.id}`,
            },
          ]
        : [],
    ),
    ...p.series.map((s) => ({
      key: s.id,
      points: pin(s.measured),
      color: PANEL_COLORS[s.id],
      dash: PANEL_DASH[s.id],
      testId: `${p.testId}-measured-${s.id}`,
    })),
  ];
  return (
    <LinePlot
      exportName={p.testId}
      testId={p.testId}
      tooltip={p.tooltip}
      frame={{ width, height, m, x, y }}
      fs={fs}
      title={{ text: p.title, y: fs + 2, size: fs + 1, weight: 600 }}
      xAxis={{ ticks: 4 }}
      yAxis={{ ticks: log ? 4 : 3, log }}
      lines={lines}
      clip
      backdrop={p.series.map((s, k) => (
        <PlotText
          key={s.id}
          x={m.left}
          y={fs + 4 + (k + 1) * (fs + 3)}
          fontSize={fs}
          fill={PANEL_COLORS[s.id]}
          data-testid={`${p.testId}-label-${s.id}`}
        >
          {s.label}
        </PlotText>
      ))}
    />
  );
});

/** The two theory cells of the metric row, each `width`×`height`. */
export function TheoryCells({ width, height }: { width: number; height: number }) {
  const layers = useLecture((s) => s.layers);
  const compare = useLecture((s) => s.compare);
  const resultA = useLecture((s) => s.panels.A.result);
  const resultB = useLecture((s) => s.panels.B.result);
  const presentation = useLecture((s) => s.presentation);
  const fs = plotFont(presentation);
  const a = useMemo(() => theoryOf('A', resultA), [resultA]);
  const b = useMemo(() => (compare ? theoryOf('B', resultB) : null), [compare, resultB]);
  const panels = [a, b].filter((t): t is PanelTheory => t !== null);
  const gnn = (resultA ?? resultB)?.config.model !== 'transformer';

  const boundSeries = panels.map((t) => {
    const o = t.overlay;
    const applies = o !== null && o.broken.length === 0;
    const who = `${t.id} (${normLabel(t.norm)})`;
    const label = !o
      ? `${who}: this run kept only its last layer`
      : applies
        ? `${who}: ${o.summary}`
        : `${who}: no bound with ${o.brokenShort ?? o.broken[0]}`;
    return {
      id: t.id,
      measured: o ? points(o.measured, t.last, true) : [],
      bound: o && applies ? points(o.bound, t.last, true) : null,
      label,
    };
  });
  const boundTooltip = panels
    .map((t) => {
      const o = t.overlay;
      if (!o) return `${t.id}: the run kept only the last layer's features.`;
      return o.broken.length ? `${t.id}: no bound drawn: ${o.broken.join('; ')}.` : `${t.id}: ${o.detail}.`;
    })
    .join('\n');
  const uniformitySeries = panels.map((t) => ({
    id: t.id,
    measured: points(t.uniformity, t.last, false),
    bound: null,
    label: `${t.id} (${normLabel(t.norm)}): τ = ${t.tau}`,
  }));
  const boundId = gnn ? 'limitDistance' : 'rankCollapse';
  return (
    <>
      <div className="metric-cell">
        <TheoryPlot
          testId={`theory-${boundId}`}
          title={
            gnn
              ? 'd(H_ℓ)/d(H₀) · dotted: bound (Oono & Suzuki)'
              : '‖res(H_ℓ)‖₁,∞ · dotted: bound (Dong et al.)'
          }
          width={width}
          height={height}
          layers={layers}
          log
          fs={fs}
          series={boundSeries}
          tooltip={boundTooltip}
        />
        <DefinitionLink id={boundId} />
      </div>
      <div className="metric-cell">
        <TheoryPlot
          testId="theory-uniformity"
          title="Uniformity loss (Guo et al., ContraNorm)"
          width={width}
          height={height}
          layers={layers}
          log={false}
          fs={fs}
          series={uniformitySeries}
          tooltip="ContraNorm's uniformity loss of each layer's rows (1/τ: all rows point the same way)."
        />
        <DefinitionLink id="uniformity" />
      </div>
    </>
  );
}

/** How many cells TheoryCells adds to the metric row. */
export const THEORY_CELLS = 2;
