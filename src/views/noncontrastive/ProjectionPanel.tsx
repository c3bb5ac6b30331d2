// The representations W x of 300 fixed probe inputs, on their top two principal axes (PCA of
// this loss's current representations). Both panels share one scale, so a cloud shrinking to a
// point is seen as such; the scale never zooms in past the collapse threshold's size (a standard
// deviation of 0.01), so a collapsed cloud stays a dot instead of being blown up to fill the plot.
import { scaleLinear } from 'd3';
import { useLecture } from '../../state/store';
import type { LossKind } from '../../noncontrastive/model';
import { useNcRun } from '../../runtime/noncontrastive';
import { COLLAPSE_THRESHOLD, PROBE_POINTS } from '../../noncontrastive/trainer';
import { Axis } from '../plot/Axis';
import { LOSS_COLORS, LOSS_SHORT, plotFont } from '../plot/theme';
import { useSize } from '../useSize';
import { PlotText } from '../plot/Text';
import { fitting } from '../plot/textWidth';
import { PlotSvg } from '../plot/LinePlot';

/** Half-width of the shared square: 3 standard deviations of the wider cloud, at least 30× √threshold. */
function sharedRange(variances: number[]): number {
  const top = Math.max(...variances.filter(Number.isFinite), 0);
  return Math.max(3 * Math.sqrt(top), 30 * Math.sqrt(COLLAPSE_THRESHOLD));
}

export function ProjectionPanel({ kind }: { kind: LossKind }) {
  const run = useNcRun();
  const presentation = useLecture((s) => s.presentation);
  const [ref, size] = useSize<HTMLDivElement>();
  const fs = plotFont(presentation);
  const { width, height } = size;
  const proj = run.projections?.[kind];
  if (width < 60 || height < 60 || !proj) return <div className="nc-plot" ref={ref} />;
  const other = run.projections?.[kind === 'euclidean' ? 'cosine' : 'euclidean'];
  const r = sharedRange([proj.variances[0], other?.variances[0] ?? 0]);
  const m = { top: fs * 2.9 + 8, right: 12, bottom: fs + 14, left: 3.2 * fs + 6 };
  const side = Math.max(40, Math.min(width - m.left - m.right, height - m.top - m.bottom));
  // Centre the square in the panel's width.
  const left = m.left + Math.max(0, (width - m.left - m.right - side) / 2);
  const x = scaleLinear()
    .domain([-r, r])
    .range([left, left + side]);
  const y = scaleLinear()
    .domain([-r, r])
    .range([m.top + side, m.top]);
  const ok = Number.isFinite(proj.variances[0]) && run.divergedAt[kind] === null;
  const pts: { cx: number; cy: number }[] = [];
  if (ok)
    for (let i = 0; i < PROBE_POINTS; i++) {
      const a = proj.coords[2 * i];
      const b = proj.coords[2 * i + 1];
      if (Number.isFinite(a) && Number.isFinite(b)) pts.push({ cx: x(a), cy: y(b) });
    }
  const sd = proj.variances.map((v) => Math.sqrt(v).toExponential(1));
  return (
    <div className="nc-plot" ref={ref}>
      <PlotSvg width={width} height={height} exportName={`nc-pca-${kind}`} testId={`nc-pca-${kind}`}>
        <rect width={width} height={height} fill="#ffffff" />
        <PlotText x={4} y={fs + 2} fontSize={fs + 2} fontWeight={700}>
          {fitting(
            [`${LOSS_SHORT[kind]}: representations W x`, `${LOSS_SHORT[kind]}: W x`],
            width - 8,
            fs + 2,
            700,
          )}
        </PlotText>
        <PlotText x={4} y={2 * fs + 8} fontSize={fs}>
          std along PC1, PC2: {ok ? `${sd[0]}, ${sd[1]}` : '–'}
        </PlotText>
        <rect x={left} y={m.top} width={side} height={side} fill="none" stroke="#d5d9e2" />
        <Axis scale={y} orient="left" at={left} ticks={4} fontSize={fs} />
        <Axis scale={x} orient="bottom" at={m.top + side} ticks={4} fontSize={fs} />
        <path
          d={pts
            .map(
              (p) =>
                `M${(p.cx - 2.6).toFixed(1)},${p.cy.toFixed(1)}a2.6,2.6 0 1,0 5.2,0a2.6,2.6 0 1,0 -5.2,0`,
            )
            .join('')}
          fill={LOSS_COLORS[kind]}
          fillOpacity={0.55}
          data-points={pts.length}
        />
        {ok && Math.sqrt(proj.variances[0]) < Math.sqrt(COLLAPSE_THRESHOLD) ? (
          <PlotText
            x={left + side / 2}
            y={m.top + side / 2 - 2 * fs}
            textAnchor="middle"
            fontSize={fs}
            fill="#9a3f06"
            fontWeight={700}
          >
            {fitting(['collapsed to a point', 'collapsed'], side - 8, fs, 700)}
          </PlotText>
        ) : null}
        {!ok ? (
          <PlotText
            x={left + side / 2}
            y={m.top + side / 2}
            textAnchor="middle"
            fontSize={fs}
            fill="#9a3f06"
            fontWeight={700}
          >
            diverged: no finite points
          </PlotText>
        ) : null}
      </PlotSvg>
    </div>
  );
}
