// Exports for slides and papers: metrics (CSV, JSON) with the configuration and the float32
// floor, plots as SVG, the embedding view as a 2× PNG.
import { csvField } from '../data/export';
import { GRAM_FLOOR } from '../engine/metrics';
import type { RunResult } from '../engine/types';
import { serializeState } from '../state/page';
import { pickState, useLecture, type PanelId } from '../state/store';

export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function runs(): { panel: PanelId; result: RunResult }[] {
  const s = useLecture.getState();
  const ids: PanelId[] = s.compare ? ['A', 'B'] : ['A'];
  return ids.flatMap((panel) => {
    const result = s.panels[panel].result;
    return result ? [{ panel, result }] : [];
  });
}

const COLUMNS = [
  'panel',
  'normalization',
  'layer',
  'effectiveRank',
  'meanCosine',
  'mu',
  'dirichlet',
  'attentionSimilarity',
  'frobenius',
  'nonFinite',
  'sigma1',
  'float32Floor',
  'singularValueRatios',
] as const;

function cell(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : String(v);
  return csvField(v);
}

/** One row per layer and configuration; σᵢ/σ₁ under the floor are left out (not data). */
export function metricsCsv(): string {
  const lines = [COLUMNS.join(',')];
  for (const { panel, result } of runs()) {
    for (const l of result.layers) {
      const m = l.metrics;
      const s1 = m.singularValues[0] ?? 0;
      const ratios = s1 > 0 ? Array.from(m.singularValues, (v) => v / s1).filter((r) => r >= GRAM_FLOOR) : [];
      lines.push(
        [
          panel,
          result.config.norm.kind,
          l.index,
          m.effectiveRank,
          m.meanCosine,
          m.mu,
          m.dirichlet,
          m.attentionSimilarity,
          m.frobenius,
          l.nonFinite,
          s1,
          s1 * GRAM_FLOOR,
          ratios.map((r) => r.toPrecision(6)).join(' '),
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function metricsJson(): string {
  const s = useLecture.getState();
  return JSON.stringify(
    {
      generator: 'collapse-visualizer',
      url: `${window.location.origin}${window.location.pathname}#${serializeState(pickState(s))}`,
      float32Floor: {
        relative: GRAM_FLOOR,
        note: 'singular values below float32Floor.relative·σ₁ (through a float32 Gram matrix) are noise, not data',
      },
      configurations: runs().map(({ panel, result }) => ({
        panel,
        config: result.config,
        engine: result.engine,
        n: result.n,
        firstNonFinite: result.firstNonFinite,
        warnings: result.warnings,
        layers: result.layers.map((l) => ({
          layer: l.index,
          width: l.width,
          nonFinite: l.nonFinite,
          ...l.metrics,
          singularValues: Array.from(l.metrics.singularValues),
        })),
      })),
    },
    null,
    2,
  );
}

export function exportCsv(): void {
  download('collapse-metrics.csv', new Blob([metricsCsv()], { type: 'text/csv' }));
}

export function exportJson(): void {
  download('collapse-metrics.json', new Blob([metricsJson()], { type: 'application/json' }));
}

/** Every plot (SVG elements marked data-export-name) as a standalone .svg file. */
export function exportSvgs(): void {
  document.querySelectorAll<SVGSVGElement>('svg[data-export-name]').forEach((svg) => {
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
    download(`${svg.dataset.exportName}.svg`, new Blob([text], { type: 'image/svg+xml' }));
  });
}

/** Panels register a renderer that draws their points at a given pixel scale. */
export const pngRenderers = new Map<PanelId, (scale: number) => HTMLCanvasElement | null>();

export function exportPngs(): void {
  for (const [panel, render] of pngRenderers) {
    if (panel === 'B' && !useLecture.getState().compare) continue;
    const canvas = render(2);
    if (!canvas) continue;
    canvas.toBlob((blob) => {
      if (blob) download(`embedding-${panel}.png`, blob);
    }, 'image/png');
  }
}

/**
 * Record the depth animation (0 → L at the current speed) of the visible embedding panels as
 * WebM, via canvas.captureStream and MediaRecorder. Resolves when the file has been offered.
 */
export async function recordWebm(): Promise<void> {
  if (typeof MediaRecorder === 'undefined' || !MediaRecorder.isTypeSupported('video/webm'))
    throw new Error('this browser cannot record WebM video');
  const store = useLecture;
  const ids: PanelId[] = store.getState().compare ? ['A', 'B'] : ['A'];
  const sources = ids
    .map((p) => document.querySelector<HTMLCanvasElement>(`[data-testid="points-${p}"]`))
    .filter((c): c is HTMLCanvasElement => c !== null);
  if (!sources.length) throw new Error('nothing to record yet');
  const gap = 16;
  const head = 40;
  const w = sources.reduce((acc, c) => acc + c.width, 0) + gap * (sources.length - 1);
  const h = Math.max(...sources.map((c) => c.height)) + head;
  const out = document.createElement('canvas');
  out.width = w + (w % 2);
  out.height = h + (h % 2);
  const ctx = out.getContext('2d')!;
  const recorder = new MediaRecorder(out.captureStream(30), { mimeType: 'video/webm' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size) chunks.push(e.data);
  };
  const done = new Promise<void>((resolve) => {
    recorder.onstop = () => {
      download('depth-animation.webm', new Blob(chunks, { type: 'video/webm' }));
      resolve();
    };
  });
  const s = store.getState();
  const names = ids.map((p) => (p === 'A' ? s.normA : s.normB));
  const frame = () => {
    const st = store.getState();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = '#1d2433';
    ctx.font = '600 20px system-ui, sans-serif';
    let x = 0;
    sources.forEach((c, i) => {
      ctx.fillText(`${names[i]} · layer ${st.depth.toFixed(1)}`, x + 8, 28);
      ctx.drawImage(c, x, head);
      x += c.width + gap;
    });
    if (st.playing) requestAnimationFrame(frame);
    else window.setTimeout(() => recorder.stop(), 300);
  };
  recorder.start(250);
  store.getState().set({ depth: 0, playing: true });
  requestAnimationFrame(frame);
  await done;
}
