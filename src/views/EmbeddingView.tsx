// One panel's nodes or tokens at the current depth: a point per row, coloured by label, on a
// fixed [-1.1, 1.1] square (row-normalized points lie in the unit disc; no auto-zoom, so a
// collapse looks like a collapse).
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { pickState, useLecture, type PanelId } from '../state/store';
import { NORM_VALUES } from '../state/schema';
import { engineConfig } from '../state/depth';
import { enumProp } from '../state/page';
import type { NormKind, RecordedInfo } from '../engine/types';
import { coordsAtDepth } from './projection';
import { OKABE_ITO, PANEL_COLORS } from './plot/theme';
import { useDatasetView, usePanelRun, type Graph } from './runData';
import { useProjectedRun } from './lecture/projectedRun';
import { useSize } from './useSize';
import { pngRenderers } from './exports';
import { noteDrawn } from '../state/frameLog';
import { DefinitionLink } from './Definition';
import { hintFor } from './hints';
import { stableKey } from '../runtime/depth';

const EXTENT = 1.1;

/** Two decimals without a "-0.00". */
export function fixed2(v: number): string {
  return (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);
}

export interface DrawOptions {
  coords: Float64Array;
  labels: Int32Array | null;
  size: number;
  scale: number;
  radius: number;
  /** The graph (symmetric CSR), for edges and neighbourhoods. */
  graph?: Graph | null;
  /** Draw every edge, faintly, under the points. */
  edges?: boolean;
  /** Nodes to highlight (1) while the others are dimmed; null: none dimmed. */
  highlight?: Uint8Array | null;
  /** The clicked node: ringed, its edges drawn. */
  selected?: number | null;
}

export interface DrawStats {
  points: number;
  edges: number;
}

/** The clicked node and its graph neighbours, as a 0/1 mask over the n nodes. */
export function neighbourhood(n: number, graph: Graph | null, node: number): Uint8Array {
  const mask = new Uint8Array(n);
  if (node < 0 || node >= n) return mask;
  mask[node] = 1;
  if (graph)
    for (let e = graph.rowPtr[node]; e < graph.rowPtr[node + 1]; e++) {
      const j = graph.colIdx[e];
      if (j < n) mask[j] = 1;
    }
  return mask;
}

/** The node nearest to (x, y) in data units within `maxDist`, or -1. */
export function nearestNode(coords: Float64Array, x: number, y: number, maxDist: number): number {
  let best = -1;
  let bestD = maxDist * maxDist;
  for (let i = 0; i < coords.length / 2; i++) {
    const d = (coords[2 * i] - x) ** 2 + (coords[2 * i + 1] - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

const toPxOf = (size: number) => (v: number) => ((v + EXTENT) / (2 * EXTENT)) * size;

/** Draw the points onto a canvas of `size` CSS pixels at `scale` device pixels per CSS pixel. */
export function drawPoints(canvas: HTMLCanvasElement, o: DrawOptions): DrawStats {
  const px = Math.round(o.size * o.scale);
  if (canvas.width !== px || canvas.height !== px) {
    canvas.width = px;
    canvas.height = px;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return { points: 0, edges: 0 };
  ctx.setTransform(o.scale, 0, 0, o.scale, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, o.size, o.size);
  const toPx = toPxOf(o.size);
  // The unit circle and the axes: where row-normalized points can be.
  ctx.strokeStyle = '#c9ced8';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(toPx(0), toPx(0), toPx(1) - toPx(0), 0, 2 * Math.PI);
  ctx.moveTo(toPx(-EXTENT), toPx(0));
  ctx.lineTo(toPx(EXTENT), toPx(0));
  ctx.moveTo(toPx(0), toPx(-EXTENT));
  ctx.lineTo(toPx(0), toPx(EXTENT));
  ctx.stroke();
  const n = o.coords.length / 2;
  const finite = (i: number) => Number.isFinite(o.coords[2 * i]) && Number.isFinite(o.coords[2 * i + 1]);
  const graph = o.graph && o.graph.rowPtr.length === n + 1 ? o.graph : null;
  const selected = o.selected !== null && o.selected !== undefined && o.selected < n ? o.selected : null;
  const hl = o.highlight && o.highlight.length === n ? o.highlight : null;

  // Edges: one path, faint (fainter on dense drawings); each undirected edge once (i < j).
  let edges = 0;
  if (graph && o.edges) {
    const m = graph.colIdx.length / 2;
    ctx.strokeStyle = '#5b6475';
    ctx.globalAlpha = (m > 20000 ? 0.06 : m > 3000 ? 0.12 : 0.22) * (hl ? 0.5 : 1);
    ctx.lineWidth = m > 20000 ? 0.5 : 0.8;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (!finite(i)) continue;
      for (let e = graph.rowPtr[i]; e < graph.rowPtr[i + 1]; e++) {
        const j = graph.colIdx[e];
        if (j <= i || j >= n || !finite(j)) continue;
        ctx.moveTo(toPx(o.coords[2 * i]), toPx(-o.coords[2 * i + 1]));
        ctx.lineTo(toPx(o.coords[2 * j]), toPx(-o.coords[2 * j + 1]));
        edges++;
      }
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  // The clicked node's own edges, clearly.
  if (graph && selected !== null && finite(selected)) {
    ctx.strokeStyle = '#1d2433';
    ctx.globalAlpha = 0.7;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    for (let e = graph.rowPtr[selected]; e < graph.rowPtr[selected + 1]; e++) {
      const j = graph.colIdx[e];
      if (j >= n || !finite(j)) continue;
      ctx.moveTo(toPx(o.coords[2 * selected]), toPx(-o.coords[2 * selected + 1]));
      ctx.lineTo(toPx(o.coords[2 * j]), toPx(-o.coords[2 * j + 1]));
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  let drawn = 0;
  const alpha = n > 2000 ? 0.55 : 0.8;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.lineWidth = 0.5;
  // With a highlight: the others first, dimmed; the highlighted ones on top.
  const passes = hl ? [0, 1] : [-1];
  for (const pass of passes) {
    ctx.globalAlpha = pass === 0 ? 0.12 : alpha;
    if (n > 2000 && pass !== 1) {
      // Many points, no outlines: one path per colour instead of one fill per point (a
      // 2,708-node drawing went from thousands of fill calls to eight).
      for (let k = 0; k < OKABE_ITO.length; k++) {
        ctx.fillStyle = OKABE_ITO[k];
        ctx.beginPath();
        for (let i = 0; i < n; i++) {
          if ((pass >= 0 && hl![i] !== pass) || !finite(i)) continue;
          if ((o.labels?.[i] ?? 0) % OKABE_ITO.length !== k) continue;
          const x = toPx(o.coords[2 * i]);
          const y = toPx(-o.coords[2 * i + 1]);
          ctx.moveTo(x + o.radius, y);
          ctx.arc(x, y, o.radius, 0, 2 * Math.PI);
          drawn++;
        }
        ctx.fill();
      }
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (pass >= 0 && hl![i] !== pass) continue;
      if (!finite(i)) continue;
      ctx.fillStyle = OKABE_ITO[(o.labels?.[i] ?? 0) % OKABE_ITO.length];
      ctx.beginPath();
      ctx.arc(toPx(o.coords[2 * i]), toPx(-o.coords[2 * i + 1]), o.radius, 0, 2 * Math.PI);
      ctx.fill();
      if (n <= 2000 || pass === 1) ctx.stroke();
      drawn++;
    }
  }
  if (selected !== null && finite(selected)) {
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#1d2433';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(toPx(o.coords[2 * selected]), toPx(-o.coords[2 * selected + 1]), o.radius + 3, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  return { points: drawn, edges };
}

/** Per panel: where node i is drawn, in CSS pixels from the canvas's top left (tests, console). */
const nodePositions = new Map<PanelId, (i: number) => { x: number; y: number } | null>();

/** Where node i of a panel is drawn now (null: not drawn); src/testHooks.ts exposes it. */
export function nodePosition(panel: PanelId, i: number): { x: number; y: number } | null {
  return nodePositions.get(panel)?.(i) ?? null;
}

function radiusFor(n: number): number {
  return n > 5000 ? 1.5 : n > 1000 ? 2.2 : 3.4;
}

/** What a panel showing a recorded stack says instead of its normalization: recorded, which model, N, d, L. */
function RecordedTitle({ info, panel }: { info: RecordedInfo; panel: PanelId }) {
  const widths = new Set(info.widths).size > 1 ? `${info.widths[0]}→${info.d}` : String(info.d);
  return (
    <span
      className="panel-recorded"
      data-testid={`recorded-title-${panel}`}
      title={`Recorded hidden states from ${info.files.join(' + ')}: not computed here`}
    >
      <strong>recorded</strong> {info.model} · N {info.n.toLocaleString('en-US')} · d {widths} · L{' '}
      {info.layers}
    </span>
  );
}

export function EmbeddingView({ panel }: { panel: PanelId }) {
  const result = usePanelRun(panel);
  const running = useLecture((s) => s.panels[panel].running);
  const error = useLecture((s) => s.panels[panel].error);
  const depth = useLecture((s) => s.depth);
  const mode = useLecture((s) => s.projection);
  const norm = useLecture((s) => (panel === 'A' ? s.normA : s.normB));
  const set = useLecture((s) => s.set);
  const showEdges = useLecture((s) => s.edges && s.model === 'gnn');
  const selectedNode = useLecture((s) => s.selectedNode);
  const setSelectedNode = useLecture((s) => s.setSelectedNode);
  // The canvas shows `shown`, the newest run whose projection (computed in a worker) is ready:
  // until a new result's projection arrives the previous picture stays.
  const projected = useProjectedRun(panel, result, mode);
  const shown = projected?.result ?? null;
  const current = result !== null && shown === result && projected?.mode === mode;
  const { labels, classes, graph } = useDatasetView(shown);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [boxRef, box] = useSize<HTMLDivElement>();
  const size = Math.max(120, Math.floor(Math.min(box.width, box.height)));
  const [drawn, setDrawn] = useState<DrawStats>({ points: 0, edges: 0 });
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const shownDepth = Math.min(depth, shown ? shown.layers.length - 1 : 0);
  const coords = useMemo(
    () => (projected ? coordsAtDepth(projected.source, shownDepth) : null),
    [projected, shownDepth],
  );
  // The header's numbers come from the store's newest result (they need no projection).
  // A partial result shows no numbers for layers it has not reached yet.
  const reached = result && !(result.progress && Math.round(depth) > result.layers.length - 1);
  const layer = reached ? result.layers[Math.round(Math.min(depth, result.layers.length - 1))] : undefined;
  const layerNonFinite = !!layer && result?.firstNonFinite != null && layer.index >= result.firstNonFinite;
  const n = shown?.n ?? 0;
  const selected = selectedNode !== null && selectedNode < n ? selectedNode : null;
  const highlight = useMemo(
    () => (selected === null ? null : neighbourhood(n, graph, selected)),
    [n, graph, selected],
  );
  const highlighted = useMemo(() => (highlight ? highlight.reduce((a, b) => a + b, 0) : 0), [highlight]);

  // A layout effect: the canvas and its drawn counts follow a new picture before the browser
  // paints or runs anything else, so that no moment shows the new result over the old picture's
  // counts (with an effect after paint, `data-drawn-points` briefly showed the previous data
  // set's 300 points under a result of 12 nodes, and a test read it).
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const scale = Math.max(1, window.devicePixelRatio || 1);
    const c = coords ?? new Float64Array(0);
    const stats = drawPoints(canvas, {
      coords: c,
      labels,
      size,
      scale,
      radius: radiusFor(c.length / 2),
      graph,
      edges: showEdges,
      highlight,
      selected,
    });
    // Same counts, same state: no second render of the panel per depth step.
    setDrawn((prev) => (prev.points === stats.points && prev.edges === stats.edges ? prev : stats));
    if (shown && coords) noteDrawn(panel, shown.config, shownDepth); // for bench/latency.ts
    // Redrawn when the picture changes; the frame log records whichever run that picture is of.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [coords, labels, size, graph, showEdges, highlight, selected]);

  useEffect(() => {
    pngRenderers.set(panel, (scale) => {
      if (!coords) return null;
      const canvas = document.createElement('canvas');
      drawPoints(canvas, {
        coords,
        labels,
        size,
        scale,
        radius: radiusFor(coords.length / 2),
        graph,
        edges: showEdges,
        highlight,
        selected,
      });
      return canvas;
    });
    nodePositions.set(panel, (i) => {
      if (!coords || i < 0 || i >= coords.length / 2) return null;
      const toPx = toPxOf(size);
      return { x: toPx(coords[2 * i]), y: toPx(-coords[2 * i + 1]) };
    });
    return () => {
      pngRenderers.delete(panel);
      nodePositions.delete(panel);
    };
  }, [panel, coords, labels, size, graph, showEdges, highlight, selected]);

  /** The node under the mouse (within 8 CSS pixels), or -1. */
  const nodeAt = (e: React.MouseEvent<HTMLCanvasElement>): number => {
    if (!coords) return -1;
    const rect = e.currentTarget.getBoundingClientRect();
    const mx = ((e.clientX - rect.left) / rect.width) * 2 * EXTENT - EXTENT;
    const my = -(((e.clientY - rect.top) / rect.height) * 2 * EXTENT - EXTENT);
    return nearestNode(coords, mx, my, (8 / rect.width) * 2 * EXTENT);
  };

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const best = nodeAt(e);
    const rect = e.currentTarget.getBoundingClientRect();
    setHover(best < 0 ? null : { i: best, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  const onClick = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const best = nodeAt(e);
    setSelectedNode(best < 0 ? null : best);
  };

  const normProp = enumProp(panel === 'A' ? 'normA' : 'normB');
  const nonFiniteHere = shown?.firstNonFinite !== null && shown && shownDepth >= shown.firstNonFinite;
  const shownLayer = shown ? shown.layers[Math.round(shownDepth)] : undefined;
  // A picture of older settings than the controls show (a run or its projection is on its way).
  // (The debounce before a run is requested counts too: the settings already differ from the result's.)
  const outdated = useLecture((st) => {
    const r = st.panels[panel].result;
    return (
      !!r &&
      !r.recorded &&
      stableKey(r.config) !== stableKey(engineConfig(pickState(st), panel, st.engine.nodeCap ?? Infinity))
    );
  });
  const stale = shown !== null && (running || !current || outdated);
  return (
    <section
      className={`panel embedding${stale ? ' stale' : ''}`}
      data-testid={`embedding-${panel}`}
      data-stale={stale}
      aria-label={`Embedding ${panel}`}
    >
      <header className="panel-head">
        <span className="swatch" style={{ background: PANEL_COLORS[panel] }} aria-hidden />
        {result?.recorded ? <RecordedTitle info={result.recorded} panel={panel} /> : null}
        <label className="panel-norm" hidden={!!result?.recorded}>
          <span className="sr-only">Normalization of panel {panel}</span>
          <select
            value={norm}
            onChange={(e) => set({ [normProp.name]: e.target.value as NormKind })}
            data-testid={`norm-${panel}`}
            title={hintFor(normProp.name)}
          >
            {NORM_VALUES.map((v, i) => (
              <option key={v} value={v}>
                {normProp.labels?.[i] ?? v}
              </option>
            ))}
          </select>
        </label>
        {result?.recorded ? null : <DefinitionLink id={`norm-${norm}`} />}
        <span
          className="panel-stats"
          data-testid={`stats-${panel}`}
          data-layer={layer?.index ?? ''}
          data-effective-rank={layer ? layer.metrics.effectiveRank : ''}
          data-mean-cosine={layer ? layer.metrics.meanCosine : ''}
        >
          {layer && !layerNonFinite ? (
            <>
              erank {layer.metrics.effectiveRank.toFixed(2)} · cos {fixed2(layer.metrics.meanCosine)}
            </>
          ) : null}
        </span>
        {result?.progress ? (
          // A long first run, drawn as it grows.
          <span className="progress-note" data-testid={`progress-${panel}`}>
            layer {result.progress.done} of {result.progress.total}
          </span>
        ) : null}
        {running ? <span className="busy" aria-label="computing" /> : null}
      </header>
      <div className="canvas-box" ref={boxRef}>
        <canvas
          ref={canvasRef}
          style={{ width: size, height: size }}
          data-testid={`points-${panel}`}
          // 0 until the store's newest result is drawn (tests wait on a count for the current settings).
          data-drawn-points={current ? drawn.points : 0}
          data-drawn-edges={drawn.edges}
          data-selected-node={selected ?? ''}
          data-highlighted={highlighted}
          data-depth={shownDepth.toFixed(3)}
          onMouseMove={onMove}
          onClick={onClick}
          onMouseLeave={() => setHover(null)}
          role="img"
          aria-label={`Points of panel ${panel} at depth ${shownDepth.toFixed(1)}`}
        />
        {hover ? (
          <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 8 }}>
            node {hover.i} · label {labels?.[hover.i] ?? '–'}
            {graph ? ` · degree ${graph.rowPtr[hover.i + 1] - graph.rowPtr[hover.i]}` : ''}
          </div>
        ) : null}
        {!shown && !error ? <div className="overlay-note">Computing…</div> : null}
        {stale && !error ? (
          <div className="stale-note" data-testid={`stale-${panel}`}>
            previous settings · updating…
          </div>
        ) : null}
        {error ? <div className="overlay-note error">{error}</div> : null}
        {shown &&
        !coords &&
        !nonFiniteHere &&
        !shownLayer?.features &&
        shownLayer?.projection === undefined ? (
          <div className="overlay-note warn">
            Points are kept only for the last layer at this size (n·d·L too large)
          </div>
        ) : null}
        {nonFiniteHere ? (
          <div className="overlay-note warn">
            Non-finite values from layer {shown.firstNonFinite}: not drawn
          </div>
        ) : null}
      </div>
      {classes > 0 ? (
        <div className="legend" aria-label="labels">
          {Array.from({ length: classes }, (_, k) => (
            <span key={k}>
              <i style={{ background: OKABE_ITO[k % OKABE_ITO.length] }} />
              {k}
            </span>
          ))}
        </div>
      ) : null}
    </section>
  );
}
