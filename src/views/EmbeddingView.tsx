// One panel's nodes or tokens at the current depth: a point per row, coloured by label, on a
// fixed [-1.1, 1.1] square (row-normalized points lie in the unit disc; no auto-zoom, so a
// collapse looks like a collapse).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLecture, type PanelId } from '../state/store';
import { NORM_VALUES, enumProp } from '../state/properties';
import type { NormKind } from '../engine/types';
import { coordsAtDepth } from './projection';
import { OKABE_ITO, PANEL_COLORS } from './theme';
import { useLabels, useProjections, usePanelRun } from './runData';
import { useSize } from './useSize';
import { pngRenderers } from './exports';

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
}

/** Draw the points onto a canvas of `size` CSS pixels at `scale` device pixels per CSS pixel. */
export function drawPoints(canvas: HTMLCanvasElement, o: DrawOptions): number {
  const px = Math.round(o.size * o.scale);
  if (canvas.width !== px || canvas.height !== px) {
    canvas.width = px;
    canvas.height = px;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return 0;
  ctx.setTransform(o.scale, 0, 0, o.scale, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, o.size, o.size);
  const toPx = (v: number) => ((v + EXTENT) / (2 * EXTENT)) * o.size;
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
  let drawn = 0;
  ctx.globalAlpha = n > 2000 ? 0.55 : 0.8;
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.lineWidth = 0.5;
  for (let i = 0; i < n; i++) {
    const x = o.coords[2 * i];
    const y = o.coords[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    ctx.fillStyle = OKABE_ITO[(o.labels?.[i] ?? 0) % OKABE_ITO.length];
    ctx.beginPath();
    ctx.arc(toPx(x), toPx(-y), o.radius, 0, 2 * Math.PI);
    ctx.fill();
    if (n <= 2000) ctx.stroke();
    drawn++;
  }
  ctx.globalAlpha = 1;
  return drawn;
}

export function EmbeddingView({ panel }: { panel: PanelId }) {
  const result = usePanelRun(panel);
  const running = useLecture((s) => s.panels[panel].running);
  const error = useLecture((s) => s.panels[panel].error);
  const depth = useLecture((s) => s.depth);
  const mode = useLecture((s) => s.projection);
  const norm = useLecture((s) => (panel === 'A' ? s.normA : s.normB));
  const set = useLecture((s) => s.set);
  const { labels, classes } = useLabels(result);
  const projections = useProjections(result, mode);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [boxRef, box] = useSize<HTMLDivElement>();
  const size = Math.max(120, Math.floor(Math.min(box.width, box.height)));
  const [drawn, setDrawn] = useState(0);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const layerCount = result ? result.layers.length - 1 : 0;
  const shownDepth = Math.min(depth, layerCount);
  const coords = useMemo(
    () => (projections ? coordsAtDepth(projections, shownDepth) : null),
    [projections, shownDepth],
  );
  const layer = result ? result.layers[Math.round(shownDepth)] : undefined;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const scale = Math.max(1, window.devicePixelRatio || 1);
    if (!coords) {
      setDrawn(drawPoints(canvas, { coords: new Float64Array(0), labels, size, scale, radius: 3 }));
      return;
    }
    const n = coords.length / 2;
    const radius = n > 5000 ? 1.5 : n > 1000 ? 2.2 : 3.4;
    setDrawn(drawPoints(canvas, { coords, labels, size, scale, radius }));
  }, [coords, labels, size]);

  useEffect(() => {
    pngRenderers.set(panel, (scale) => {
      if (!coords) return null;
      const canvas = document.createElement('canvas');
      const n = coords.length / 2;
      drawPoints(canvas, { coords, labels, size, scale, radius: n > 5000 ? 1.5 : n > 1000 ? 2.2 : 3.4 });
      return canvas;
    });
    return () => {
      pngRenderers.delete(panel);
    };
  }, [panel, coords, labels, size]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!coords) return setHover(null);
    const rect = e.currentTarget.getBoundingClientRect();
    const mx = ((e.clientX - rect.left) / rect.width) * 2 * EXTENT - EXTENT;
    const my = -(((e.clientY - rect.top) / rect.height) * 2 * EXTENT - EXTENT);
    let best = -1;
    let bestD = ((8 / rect.width) * 2 * EXTENT) ** 2;
    for (let i = 0; i < coords.length / 2; i++) {
      const d = (coords[2 * i] - mx) ** 2 + (coords[2 * i + 1] - my) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    setHover(best < 0 ? null : { i: best, x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  const normProp = enumProp(panel === 'A' ? 'normA' : 'normB');
  const nonFiniteHere = result?.firstNonFinite !== null && result && shownDepth >= result.firstNonFinite;
  return (
    <section className="panel embedding" data-testid={`embedding-${panel}`} aria-label={`Embedding ${panel}`}>
      <header className="panel-head">
        <span className="swatch" style={{ background: PANEL_COLORS[panel] }} aria-hidden />
        <label className="panel-norm">
          <span className="sr-only">Normalization of panel {panel}</span>
          <select
            value={norm}
            onChange={(e) => set({ [normProp.name]: e.target.value as NormKind })}
            data-testid={`norm-${panel}`}
          >
            {NORM_VALUES.map((v, i) => (
              <option key={v} value={v}>
                {normProp.labels?.[i] ?? v}
              </option>
            ))}
          </select>
        </label>
        <span
          className="panel-stats"
          data-testid={`stats-${panel}`}
          data-layer={layer?.index ?? ''}
          data-effective-rank={layer ? layer.metrics.effectiveRank : ''}
          data-mean-cosine={layer ? layer.metrics.meanCosine : ''}
        >
          {layer && !nonFiniteHere ? (
            <>
              erank {layer.metrics.effectiveRank.toFixed(2)} · cos {fixed2(layer.metrics.meanCosine)}
            </>
          ) : null}
        </span>
        {running ? <span className="busy" aria-label="computing" /> : null}
      </header>
      <div className="canvas-box" ref={boxRef}>
        <canvas
          ref={canvasRef}
          style={{ width: size, height: size }}
          data-testid={`points-${panel}`}
          data-drawn-points={drawn}
          data-depth={shownDepth.toFixed(3)}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          role="img"
          aria-label={`Points of panel ${panel} at depth ${shownDepth.toFixed(1)}`}
        />
        {hover ? (
          <div className="tooltip" style={{ left: hover.x + 12, top: hover.y + 8 }}>
            node {hover.i} · label {labels?.[hover.i] ?? '–'}
          </div>
        ) : null}
        {!result && !error ? <div className="overlay-note">Computing…</div> : null}
        {error ? <div className="overlay-note error">{error}</div> : null}
        {result && !coords && !nonFiniteHere && !layer?.features ? (
          <div className="overlay-note warn">
            Points are kept only for the last layer at this size (n·d·L too large)
          </div>
        ) : null}
        {nonFiniteHere ? (
          <div className="overlay-note warn">
            Non-finite values from layer {result.firstNonFinite}: not drawn
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
