// Messages that must not be missed: the CPU-fallback banner, settings from the link that
// were replaced, device-loss toasts, and per-run warnings (never plotted as data).
import { useEffect } from 'react';
import { useLecture, type PanelId } from '../state/store';
import { normLabel } from './plot/theme';

/** A warning only when this browser has no usable WebGPU at all (no adapter, no API). */
export function FallbackBanner() {
  const engine = useLecture((s) => s.engine);
  if (!engine.fallbackReason || engine.adapter || engine.name === 'gpu' || /asked for/.test(engine.reason))
    return null;
  const which =
    engine.name === 'reference' ? 'the float64 CPU reference engine' : 'the CPU engine (WebAssembly)';
  return (
    <div className="banner warn" role="alert" data-testid="fallback-banner">
      WebGPU unavailable: {engine.fallbackReason.replace(/\.$/, '')}. Using {which} (size capped at{' '}
      {(engine.nodeCap ?? 0).toLocaleString('en')} nodes, what it computes in about 10 s here).
    </div>
  );
}

/** Which engine computes the pictures, and why: always shown, small. */
export function EngineInfo() {
  const engine = useLecture((s) => s.engine);
  if (!engine.name) return null;
  const label = {
    gpu: 'GPU (WebGPU)',
    fast: 'CPU (WebAssembly, float32)',
    reference: 'CPU (float64 reference)',
  }[engine.name];
  const cap = engine.nodeCap ? `; up to ${engine.nodeCap.toLocaleString('en')} nodes` : '';
  return (
    <p className="engine-info" data-testid="engine-info" title={engine.reason}>
      Engine: {label}
      {engine.adapter && engine.name === 'gpu' ? ` on ${engine.adapter}` : ''}: {engine.reason}
      {cap}.
    </p>
  );
}

export function UrlNotes() {
  const notes = useLecture((s) => s.urlNotes);
  const setNotes = useLecture((s) => s.setUrlNotes);
  if (!notes.length) return null;
  return (
    <div className="banner note" role="status" data-testid="url-notes">
      <span>Some settings in the link were not valid and were replaced by defaults: {notes.join('; ')}.</span>
      <button type="button" onClick={() => setNotes([])} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useLecture((s) => s.toasts);
  const dismiss = useLecture((s) => s.dismissToast);
  useEffect(() => {
    if (!toasts.length) return;
    const t = window.setTimeout(() => dismiss(toasts[0].id), 8000);
    return () => window.clearTimeout(t);
  }, [toasts, dismiss]);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="status" data-testid="toast">
          {t.text}
          <button type="button" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function RunWarnings() {
  const compare = useLecture((s) => s.compare);
  // The results only: the panels' `running` flags flip on every slider step and change no warning.
  const resultA = useLecture((s) => s.panels.A.result);
  const resultB = useLecture((s) => s.panels.B.result);
  const normA = useLecture((s) => s.normA);
  const normB = useLecture((s) => s.normB);
  const ids: PanelId[] = compare ? ['A', 'B'] : ['A'];
  const items = ids.flatMap((id) => {
    const r = id === 'A' ? resultA : resultB;
    if (!r) return [];
    const name = normLabel(id === 'A' ? normA : normB);
    const list = [...r.warnings];
    if (r.firstNonFinite !== null)
      list.unshift(`non-finite values from layer ${r.firstNonFinite} on (not plotted)`);
    return list.map((w) => `${id} (${name}): ${w}`);
  });
  if (!items.length) return null;
  return (
    <div className="run-warnings" role="status" data-testid="run-warnings">
      <strong>Warning</strong> {items.join(' · ')}
    </div>
  );
}
