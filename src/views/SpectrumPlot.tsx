// σ_i/σ₁ of the current layer on a log axis, one series per panel. Under the float32 floor
// (GRAM_FLOOR·σ₁, measured on the GPU's Gram sums) values are noise: the floor is a
// shaded band and nothing under it is drawn as data.
import { memo, useMemo } from 'react';
import { scaleLinear, scaleLog, line } from 'd3';
import { GRAM_FLOOR } from '../engine/metrics';
import { useLecture, useLectureFields, type PanelId } from '../state/store';
import { Axis } from './plot/Axis';
import { PANEL_COLORS, PANEL_DASH, panelLabel, plotFont } from './plot/theme';
import { useSize } from './useSize';
import { DefinitionLink } from './Definition';
import { PlotText } from './plot/Text';
import { textWidth } from './plot/textWidth';
import { PlotSvg } from './plot/LinePlot';

// Two decades under the floor, so that the band is tall enough to carry its label.
const Y_MIN = 1e-7;

interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

function scalesOf(width: number, height: number, m: Margins, k: number) {
  const x = scaleLinear()
    .domain([1, k])
    .range([m.left, width - m.right]);
  const y = scaleLog()
    .domain([Y_MIN, 1.5])
    .range([height - m.bottom, m.top])
    .clamp(true);
  return { x, y };
}

// The background, the floor band and the axes depend on the size and the number of singular
// values only: memoized, so that a new layer or a new result redraws just the two series.
const SpectrumBackdrop = memo(function SpectrumBackdrop({
  width,
  height,
  m,
  k,
  fs,
}: {
  width: number;
  height: number;
  m: Margins;
  k: number;
  fs: number;
}) {
  const { x, y } = scalesOf(width, height, m, k);
  return (
    <>
      <rect x={0} y={0} width={width} height={height} fill="#ffffff" />
      <rect
        x={m.left}
        width={width - m.left - m.right}
        y={y(GRAM_FLOOR)}
        height={y(Y_MIN) - y(GRAM_FLOOR)}
        fill="#9aa3b5"
        fillOpacity={0.28}
      />
      {/* Inside the band, where no series is ever drawn, so that it covers no data; where the
          band is too thin for it the title's second (i) explains the band. */}
      {y(Y_MIN) - y(GRAM_FLOOR) >= fs + 2 ? (
        <PlotText x={m.left + 4} y={y(GRAM_FLOOR) + fs} textAnchor="start" fontSize={fs} fill="#4b5466">
          {/* The long label only where it fits. */}
          {width - m.left - m.right > 24 * fs
            ? `float32 floor (${GRAM_FLOOR.toExponential(0)}): noise, not data`
            : 'float32 floor: noise'}
        </PlotText>
      ) : null}
      <Axis
        scale={y}
        orient="left"
        at={m.left}
        log
        fontSize={fs}
        ticks={6}
        // (A short plot labels every second or third decade: the axis keeps its labels apart.)
      />
      <Axis
        scale={x}
        orient="bottom"
        at={height - m.bottom}
        ticks={Math.min(8, k - 1)}
        fontSize={fs}
        format={(v) => (Number.isInteger(v) ? String(v) : '')}
      />
      {/* Its line under the tick labels, whether or not the legend is on a line of its own below. */}
      <PlotText x={width - m.right} y={height - m.bottom + axisBand(fs) - 4} textAnchor="end" fontSize={fs}>
        {INDEX_TITLE}
      </PlotText>
    </>
  );
});

const INDEX_TITLE = 'index i';
const RIGHT = 12;

/**
 * The band under the plot for the tick labels (baseline at 6 + fs under the axis) and, on the
 * next line, "index i" (baseline 4 px above the band's bottom), their boxes clear of each other.
 */
function axisBand(fs: number): number {
  return Math.ceil(2.2 * fs) + 10;
}

/** The width a legend entry (swatch, gap, label) takes at font size fs, with room after it. */
function legendWidth(label: string, fs: number): number {
  return 28 + textWidth(label, fs) + fs;
}

export function SpectrumPlot() {
  // The integer layer, not the fractional depth: dragging within a layer re-renders nothing here.
  const layer = useLecture((s) => Math.round(s.depth));
  const { compare, presentation } = useLectureFields('compare', 'presentation');
  const resultA = useLecture((s) => s.panels.A.result);
  const resultB = useLecture((s) => s.panels.B.result);
  const { normA, normB } = useLectureFields('normA', 'normB');
  const norms = { A: normA, B: normB };
  const results = { A: resultA, B: resultB };
  const [ref, size] = useSize<HTMLDivElement>();
  const ids: PanelId[] = compare ? ['A', 'B'] : ['A'];
  const fs = plotFont(presentation);
  const width = Math.max(200, size.width);
  const height = Math.max(110, size.height);
  const labels = ids.map((id) => panelLabel(results[id], norms[id]));
  // The legend shares the x-axis title's line where both fit; in a narrow plot it gets a line
  // of its own below, so that no label runs into another.
  const left = fs * 3 + 8;
  const legendEnd = left + labels.reduce((w, label) => w + legendWidth(label, fs), 0);
  const ownLine = legendEnd > width - RIGHT - textWidth(INDEX_TITLE, fs) - fs / 2;
  const bottom = axisBand(fs) + (ownLine ? fs + 6 : 0);
  const m = useMemo(() => ({ top: 10, right: RIGHT, bottom, left }), [bottom, left]);
  const series = ids.map((id) => {
    const r = results[id];
    // A partial result (a long first run still growing) has no values yet at a deeper layer:
    // draw nothing for it rather than its last layer under this layer's title.
    const reached = r && !(r.progress && layer > r.layers.length - 1);
    const l = reached ? r.layers[Math.min(layer, r.layers.length - 1)] : undefined;
    const ok = r && l && (r.firstNonFinite === null || l.index < r.firstNonFinite);
    const sv = ok ? Array.from(l.metrics.singularValues) : [];
    const s1 = sv[0] ?? 0;
    return { id, ratios: s1 > 0 ? sv.map((v) => v / s1) : [], layer: l?.index };
  });
  const k = Math.max(2, ...series.map((s) => s.ratios.length));
  const { x, y } = scalesOf(width, height, m, k);
  const path = line<number>()
    .defined((v) => v >= GRAM_FLOOR && Number.isFinite(v))
    .x((_, i) => x(i + 1))
    .y((v) => y(v));
  return (
    <section className="panel plot" aria-label="Singular value spectrum">
      <header className="panel-head">
        <h2>
          Spectrum σᵢ/σ₁ at layer {layer}
          <DefinitionLink id="spectrum" />
          <DefinitionLink id="floor" />
        </h2>
      </header>
      <div className="svg-box" ref={ref}>
        <PlotSvg width={width} height={height} exportName="spectrum" testId="spectrum-svg">
          <SpectrumBackdrop width={width} height={height} m={m} k={k} fs={fs} />
          {series.map((s) => (
            <g
              key={s.id}
              data-testid={`spectrum-${s.id}`}
              data-points={s.ratios.filter((v) => v >= GRAM_FLOOR).length}
            >
              <path
                d={path(s.ratios) ?? ''}
                fill="none"
                stroke={PANEL_COLORS[s.id]}
                strokeWidth={2.5}
                strokeDasharray={PANEL_DASH[s.id]}
              />
              {s.ratios.map((v, i) =>
                v >= GRAM_FLOOR ? (
                  <circle key={i} cx={x(i + 1)} cy={y(v)} r={3} fill={PANEL_COLORS[s.id]} />
                ) : null,
              )}
            </g>
          ))}
          {/* The legend sits on the last line, under the axis: over no data. */}
          {series.map((s, i) => (
            <g
              key={`legend-${s.id}`}
              transform={`translate(${m.left + labels.slice(0, i).reduce((w, label) => w + legendWidth(label, fs), 0)},${height - 4 - fs * 0.32})`}
            >
              <line
                x1={0}
                x2={22}
                y1={0}
                y2={0}
                stroke={PANEL_COLORS[s.id]}
                strokeWidth={2.5}
                strokeDasharray={PANEL_DASH[s.id]}
              />
              <PlotText x={28} dy="0.32em" fontSize={fs}>
                {labels[i]}
              </PlotText>
            </g>
          ))}
        </PlotSvg>
      </div>
    </section>
  );
}
