// The glue between the store and the outside world: the URL hash (history), one worker
// engine per panel, and the play loop. Started once from main.tsx; components never talk
// to engines or the URL themselves.
import { createWorkerEngine, type WorkerEngine } from '../engine/workerEngine';
import { validateConfig } from '../engine/config';
import type { EngineConfig } from '../engine/types';
import { getRegisteredDataset } from '../data/registry';
import { engineLimitProblem } from '../data/load/limits';
import {
  engineConfig,
  onlyContinuousChanges,
  parseLink,
  serializeState,
  withoutMissingLoaded,
  type LectureState,
} from './properties';
import { pickState, useLecture, type PanelId } from './store';

/** The CPU reference engine is float64 and single-threaded: larger graphs would freeze the lecture. */
export const CPU_NODE_CAP = 2000;

/**
 * Above this many numbers (N·d·(L+1)) a run keeps only the last layer's features: every layer's
 * points of a large, deep run would not fit in the page's memory (the metrics are kept for all).
 */
export const MAX_KEPT_FEATURES = 32 * 1024 * 1024;

const PANELS: PanelId[] = ['A', 'B'];

declare global {
  interface Window {
    /** The lecture store, for tests and the console. */
    lecture?: typeof useLecture;
    /** True when panel's shown result was computed for the current settings (tests wait on it). */
    lectureSettled?: (panel: PanelId) => boolean;
  }
}

/** JSON with sorted keys: equal configurations give equal keys whatever their key order. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export function startRuntime(): () => void {
  const disposers: (() => void)[] = [];
  window.lecture = useLecture;
  window.lectureSettled = (panel) => {
    const s = useLecture.getState();
    const run = s.panels[panel];
    if (!run.result || run.running) return false;
    return (
      stableKey(run.result.config) ===
      stableKey(engineConfig(pickState(s), panel, s.engine.nodeCap ?? Infinity))
    );
  };
  disposers.push(startUrlSync());
  disposers.push(startEngines());
  disposers.push(startPlayLoop());
  return () => disposers.forEach((d) => d());
}

function startUrlSync(): () => void {
  const store = useLecture;
  const fromUrl = () => {
    // Short links carry one view's settings: the other views keep theirs (back/forward).
    const parsed = parseLink(window.location.hash, pickState(store.getState()));
    // A link may name a loaded file this page does not hold (a reload, someone else's link).
    const fallback = withoutMissingLoaded(parsed.state, (id) => store.getState().loaded?.id === id);
    const state = fallback.state;
    const notes = [...parsed.notes, ...fallback.notes];
    applying = true;
    store.getState().replace(state);
    applying = false;
    store.getState().setUrlNotes(notes);
    last = state;
  };
  let applying = false;
  let last: LectureState = pickState(store.getState());
  fromUrl();
  history.replaceState(null, '', `#${serializeState(last)}`);

  let pendingReplace: number | null = null;
  const unsubscribe = store.subscribe((s) => {
    if (applying) return;
    const next = pickState(s);
    const hash = serializeState(next);
    if (`#${hash}` === window.location.hash) {
      last = next;
      return;
    }
    if (onlyContinuousChanges(last, next)) {
      // While dragging or playing: rewrite the current entry, at most a few times a second.
      if (pendingReplace === null)
        pendingReplace = window.setTimeout(() => {
          pendingReplace = null;
          history.replaceState(null, '', `#${serializeState(pickState(store.getState()))}`);
        }, 150);
    } else {
      if (pendingReplace !== null) {
        window.clearTimeout(pendingReplace);
        pendingReplace = null;
      }
      history.pushState(null, '', `#${hash}`);
    }
    last = next;
  });
  const onPop = () => fromUrl();
  window.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', onPop);
  };
}

function startEngines(): () => void {
  const store = useLecture;
  const engines: Partial<Record<PanelId, WorkerEngine>> = {};
  const requested: Partial<Record<PanelId, string>> = {};
  let disposed = false;
  let timer: number | null = null;

  const configFor = (panel: PanelId): EngineConfig => {
    const cap = store.getState().engine.nodeCap ?? Infinity;
    return engineConfig(pickState(store.getState()), panel, cap);
  };

  const runPanel = (panel: PanelId, force = false) => {
    const engine = engines[panel];
    const s = store.getState();
    if (!engine || (panel === 'B' && !s.compare)) return;
    const config = configFor(panel);
    const key = JSON.stringify(config);
    if (!force && requested[panel] === key) return;
    requested[panel] = key;
    const errors = validateConfig(config);
    if (config.dataset.kind === 'loaded') {
      const ds = getRegisteredDataset(config.dataset.id);
      const problem = ds
        ? engineLimitProblem(ds.n, ds.featureDim, config.hidden, s.engine)
        : `the loaded data set is no longer in this page; load the file again`;
      if (problem) errors.push(problem);
    }
    if (errors.length) {
      s.setPanel(panel, { running: false, error: errors.join('; ') });
      return;
    }
    s.setPanel(panel, { running: true, error: null });
    const nodes =
      config.dataset.kind === 'loaded'
        ? (getRegisteredDataset(config.dataset.id)?.n ?? 0)
        : config.dataset.kind === 'karate'
          ? 34
          : config.dataset.n;
    const features = nodes * config.hidden * (config.depth + 1) > MAX_KEPT_FEATURES ? 'last' : 'all';
    engine.run(config, { features }).then(
      (result) => {
        // Drop a result whose settings were left while it ran, even inside the debounce window
        // before the newer run is requested: a stale picture must not flash up.
        if (disposed || requested[panel] !== key || JSON.stringify(configFor(panel)) !== key) return;
        store.getState().setPanel(panel, { result, running: false, error: null });
      },
      (err: unknown) => {
        if (disposed || isAbort(err) || requested[panel] !== key) return;
        store
          .getState()
          .setPanel(panel, { running: false, error: err instanceof Error ? err.message : String(err) });
      },
    );
  };

  const schedule = () => {
    if (timer !== null) window.clearTimeout(timer);
    // A short debounce: a dragged slider asks for one run per pause, not one per pixel.
    timer = window.setTimeout(() => {
      timer = null;
      PANELS.forEach((p) => runPanel(p));
    }, 80);
  };

  const start = async (panel: PanelId, restart = false) => {
    const engine = await createWorkerEngine({
      onDeviceLost: (message) => {
        if (disposed) return;
        store.getState().addToast(`The GPU device was lost (${message}). Restarting the engine…`);
        engines[panel]?.dispose();
        delete engines[panel];
        start(panel, true).catch((err: unknown) =>
          store.getState().setPanel(panel, { error: `the engine could not restart: ${String(err)}` }),
        );
      },
    });
    if (disposed) {
      engine.dispose();
      return;
    }
    if (restart)
      store
        .getState()
        .addToast(
          engine.kind === 'gpu'
            ? `Panel ${panel}: the GPU engine restarted on a new device.`
            : `Panel ${panel}: no GPU device came back; the CPU engine took over (${engine.fallbackReason ?? 'no reason given'}).`,
        );
    engines[panel] = engine;
    store.getState().setEngine({
      kind: engine.kind,
      adapter: engine.adapter,
      fallbackReason: engine.fallbackReason,
      nodeCap: engine.kind === 'cpu' ? CPU_NODE_CAP : null,
      maxBufferBytes: engine.maxBufferBytes,
    });
    const loaded = store.getState().loaded;
    const ds = loaded ? getRegisteredDataset(loaded.id) : undefined;
    if (ds) engine.registerDataset(ds);
    runPanel(panel, true);
  };
  // A newly loaded file goes to every engine worker once (the previous one is dropped there).
  const unsubscribeLoaded = store.subscribe((s, prev) => {
    if (s.loaded === prev.loaded) return;
    const ds = s.loaded ? getRegisteredDataset(s.loaded.id) : undefined;
    PANELS.forEach((p) => {
      const engine = engines[p];
      if (!engine) return;
      if (prev.loaded && prev.loaded.id !== s.loaded?.id) engine.forgetDataset(prev.loaded.id);
      if (ds) engine.registerDataset(ds);
    });
  });
  PANELS.forEach((p) =>
    start(p).catch((err: unknown) =>
      store.getState().setPanel(p, { error: `the engine could not start: ${String(err)}` }),
    ),
  );
  // Only a change of what the engines compute restarts the debounce: results arriving, the
  // depth slider or a hover must not postpone a pending run.
  const runKey = (): string => {
    const s = store.getState();
    return `${s.compare}|${JSON.stringify(configFor('A'))}|${JSON.stringify(configFor('B'))}`;
  };
  let lastRunKey = runKey();
  const unsubscribe = store.subscribe(() => {
    const k = runKey();
    if (k === lastRunKey) return;
    lastRunKey = k;
    schedule();
  });
  return () => {
    disposed = true;
    unsubscribe();
    unsubscribeLoaded();
    if (timer !== null) window.clearTimeout(timer);
    PANELS.forEach((p) => engines[p]?.dispose());
  };
}

function startPlayLoop(): () => void {
  const store = useLecture;
  let frame: number | null = null;
  let lastTime = 0;
  const tick = (time: number) => {
    const s = store.getState();
    if (!s.playing) {
      frame = null;
      return;
    }
    const dt = Math.min(0.1, (time - lastTime) / 1000);
    lastTime = time;
    const depth = s.depth + dt * s.speed;
    if (depth >= s.layers) s.set({ depth: s.layers, playing: false });
    else s.set({ depth });
    frame = requestAnimationFrame(tick);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.playing && !prev.playing && frame === null) {
      if (s.depth >= s.layers) s.set({ depth: 0 });
      lastTime = performance.now();
      frame = requestAnimationFrame(tick);
    }
  });
  if (store.getState().playing) {
    lastTime = performance.now();
    frame = requestAnimationFrame(tick);
  }
  return () => {
    unsubscribe();
    if (frame !== null) cancelAnimationFrame(frame);
  };
}
