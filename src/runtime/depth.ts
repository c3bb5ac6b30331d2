// The glue between the store and the outside world: the URL hash (history), one worker
// engine per panel, and the play loop. Started once from main.tsx; components never talk
// to engines or the URL themselves.
import { createWorkerEngine, type WorkerEngine } from '../engine/workerEngine';
import { cpuNodeCap, type Calibration } from '../engine/calibration';
import { validateConfig } from '../engine/config';
import type { EngineConfig, RunResult } from '../engine/types';
import { getRegisteredDataset } from '../data/registry';
import { engineLimitProblem } from '../data/load/limits';
import { engineConfig, withoutMissingLoaded } from '../state/depth';
import { MAX_HASH_CHARS } from '../state/schema';
import { onlyContinuousChanges, parseLink, serializeState, type LectureState } from '../state/page';
import { pickState, useLecture, type PanelId } from '../state/store';
import { recordedKey, recordedShown, startRecordedPanels } from '../state/recorded';

/** Where this browser keeps the engine calibration (workers have no localStorage). */
const CALIBRATION_KEY = 'collapse-visualizer:engine-calibration:v2';

function cachedCalibration(): Calibration | null {
  try {
    const raw = localStorage.getItem(CALIBRATION_KEY);
    const c = raw ? (JSON.parse(raw) as Calibration) : null;
    return c && typeof c.adapter === 'string' && c.cpuMs > 0 && c.cpuFlops > 0 ? c : null;
  } catch {
    return null; // storage blocked or a damaged entry: measure again
  }
}

function saveCalibration(c: Calibration | null): void {
  if (!c) return;
  try {
    localStorage.setItem(CALIBRATION_KEY, JSON.stringify(c));
  } catch {
    // storage blocked: the next visit measures again
  }
}

/**
 * Above this many numbers (N·d·(L+1)) a run keeps only the last layer's features: every layer's
 * points of a large, deep run would not fit in the page's memory (the metrics are kept for all).
 */
export const MAX_KEPT_FEATURES = 32 * 1024 * 1024;

const PANELS: PanelId[] = ['A', 'B'];

/**
 * What a panel's run returns: the 2-D picture of every layer in the embedding view's mode (N×2
 * numbers a layer, computed by the engine), and features only where the theory plots need them.
 * An export of embeddings fetches its layer's features on demand (fetchLayerFeatures).
 */
export function runOptions(
  s: Pick<LectureState, 'theory' | 'projection'>,
  numbers: number,
): { features: 'all' | 'last' | 'none'; projection: LectureState['projection'] } {
  const features = !s.theory ? 'none' : numbers > MAX_KEPT_FEATURES ? 'last' : 'all';
  return { features, projection: s.projection };
}

/** Restarts of a panel's GPU engine after device losses, before the CPU engine takes over. */
export const MAX_GPU_RESTARTS = 3;
/** The pause before the first restart; each further one doubles it (0.5, 1, 2 s). */
const RESTART_BASE_MS = 500;
/** Losses further apart than this are not counted together. */
const LOSS_MEMORY_MS = 10 * 60_000;

/** What follows the `count`-th device loss in a row: a restart after a pause, or the CPU engine. */
export function afterLoss(count: number): { toCpu: boolean; delayMs: number } {
  return count > MAX_GPU_RESTARTS
    ? { toCpu: true, delayMs: 0 }
    : { toCpu: false, delayMs: RESTART_BASE_MS * 2 ** (count - 1) };
}

/**
 * The reason alone from the engine's device-lost message ("The GPU device was lost (destroyed):
 * detail. Create a new engine to continue."), so that a toast says it once.
 */
export function lossReason(message: string): string {
  const m = /^The GPU device was lost \((.*)\)(?:: (.*?))?\.?(?: Create a new engine to continue\.)?$/s.exec(
    message,
  );
  const text = (m ? [m[1], m[2]].filter((x) => x && x !== 'no detail').join(': ') : message).replace(
    /\.+$/,
    '',
  );
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
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
  disposers.push(startUrlSync());
  disposers.push(startRecordedPanels());
  disposers.push(startEngines());
  disposers.push(startPlayLoop());
  return () => disposers.forEach((d) => d());
}

function startUrlSync(): () => void {
  const store = useLecture;
  const fromUrl = () => {
    const hash = window.location.hash;
    // Short links carry one view's settings: the other views keep theirs (back/forward).
    const parsed = parseLink(hash, pickState(store.getState()));
    // A link may name a loaded file this page does not hold (a reload, someone else's link).
    const fallback = withoutMissingLoaded(parsed.state, (id) => store.getState().loaded?.id === id);
    const state = fallback.state;
    const notes = [...parsed.notes, ...fallback.notes];
    applying = true;
    store.getState().replace(state);
    applying = false;
    store.getState().setUrlNotes(notes);
    last = state;
    // An oversized link (a megabyte of hash) is rewritten to the state it gave at once: every
    // later store change compares the hash, and reading a huge one each time froze the page.
    if (hash.length > MAX_HASH_CHARS) history.replaceState(null, '', `#${serializeState(state)}`);
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

/** Set while the engines run (startEngines): one layer's features of a panel, computed for an export. */
let layerFeatures: ((panel: PanelId, layer: number) => Promise<Float32Array | Float64Array>) | null = null;

/**
 * The features of one layer of a panel's current configuration. The page's runs return pictures,
 * not features, so an export asks the panel's engine for them: a run of the same configuration up
 * to that layer (from the engine's cache where it holds that layer, else recomputed).
 */
export function fetchLayerFeatures(panel: PanelId, layer: number): Promise<Float32Array | Float64Array> {
  if (!layerFeatures) return Promise.reject(new Error('the engines have not started'));
  return layerFeatures(panel, layer);
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
    // A panel showing a recorded stack computes nothing; handed back, it runs afresh.
    if (recordedShown(panel)) {
      delete requested[panel];
      return;
    }
    const config = configFor(panel);
    const configKey = JSON.stringify(config);
    const nodes =
      config.dataset.kind === 'loaded'
        ? (getRegisteredDataset(config.dataset.id)?.n ?? 0)
        : config.dataset.kind === 'karate'
          ? 34
          : config.dataset.n;
    const options = runOptions(s, nodes * config.hidden * (config.layers + 1));
    const key = `${configKey}|${options.features}|${options.projection}`;
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
    // A long first run draws as it grows: partial results (layers 0..k) replace the empty or
    // stale picture until the whole run lands; the panel keeps `running` meanwhile.
    const onProgress = (partial: RunResult) => {
      if (disposed || requested[panel] !== key || JSON.stringify(configFor(panel)) !== configKey) return;
      store.getState().setPanel(panel, { result: partial, running: true, error: null });
    };
    engine.run(config, { ...options, onProgress }).then(
      (result) => {
        // Drop a result whose settings were left while it ran, even inside the debounce window
        // before the newer run is requested: a stale picture must not flash up.
        if (disposed || requested[panel] !== key || JSON.stringify(configFor(panel)) !== configKey) return;
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

  // Device loss: each panel restarts its engine after a growing pause, at most
  // MAX_GPU_RESTARTS times; a device lost again after that leaves the panel on the CPU engine,
  // whose banner says why (a device lost on every new engine once restarted workers forever).
  const losses: Record<PanelId, { count: number; last: number; reason: string }> = {
    A: { count: 0, last: 0, reason: '' },
    B: { count: 0, last: 0, reason: '' },
  };
  const onLost = (panel: PanelId, message: string) => {
    if (disposed) return;
    const loss = losses[panel];
    // Losses far apart (a driver reset an hour into a lecture) start counting afresh.
    if (performance.now() - loss.last > LOSS_MEMORY_MS) loss.count = 0;
    loss.count++;
    loss.last = performance.now();
    loss.reason = lossReason(message);
    engines[panel]?.dispose();
    delete engines[panel];
    const { toCpu, delayMs } = afterLoss(loss.count);
    // One toast for both panels: the same text is not repeated while it is shown.
    addToastOnce(
      toCpu
        ? `The GPU device was lost again (${loss.reason}) after ${MAX_GPU_RESTARTS} restarts; the CPU engine takes over.`
        : `The GPU device was lost (${loss.reason}). Restarting the engine…`,
    );
    window.setTimeout(() => {
      if (disposed) return;
      start(panel, true, toCpu).catch((err: unknown) =>
        store.getState().setPanel(panel, { error: `the engine could not restart: ${String(err)}` }),
      );
    }, delayMs);
  };
  const addToastOnce = (text: string) => {
    if (!store.getState().toasts.some((t) => t.text === text)) store.getState().addToast(text);
  };

  const start = async (panel: PanelId, restart = false, cpu = false) => {
    const engine = await createWorkerEngine({
      // After repeated device losses the CPU engine, whatever the Engine setting says.
      choice: cpu ? 'cpu' : store.getState().engineChoice,
      calibration: cachedCalibration(),
      onDeviceLost: (message) => onLost(panel, message),
    });
    if (disposed) {
      engine.dispose();
      return;
    }
    const lostReason = cpu
      ? `the GPU device was lost ${losses[panel].count} times (last: ${losses[panel].reason})`
      : null;
    if (restart && !cpu)
      addToastOnce(
        engine.kind === 'gpu'
          ? 'The GPU engine restarted on a new device.'
          : `No GPU device came back; the CPU engine took over (${engine.fallbackReason ?? 'no reason given'}).`,
      );
    engines[panel] = engine;
    saveCalibration(engine.calibration);
    store.getState().setEngine({
      kind: engine.kind,
      name: engine.name,
      reason: lostReason ? `${lostReason}; the CPU engine took over` : engine.reason,
      adapter: engine.adapter,
      fallbackReason: lostReason ?? engine.fallbackReason,
      // On the CPU: the N it computes in about 10 s, from its measured throughput.
      nodeCap: engine.kind === 'cpu' ? cpuNodeCap(engine.name === 'fast' ? engine.calibration : null) : null,
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
  const startOrSay = (p: PanelId) =>
    start(p).catch((err: unknown) =>
      store.getState().setPanel(p, { error: `the engine could not start: ${String(err)}` }),
    );
  // Panel B's engine starts once A's is ready: a first visit measures the engines (the
  // calibration), and two measurements at once would each see half the cores. B then reuses A's.
  void startOrSay('A').finally(() => {
    if (!disposed) void startOrSay('B');
  });
  // A new engine choice (the Engine setting, or a link) replaces both panels' engines.
  const unsubscribeChoice = store.subscribe((s, prev) => {
    if (s.engineChoice === prev.engineChoice || disposed) return;
    PANELS.forEach((p) => {
      engines[p]?.dispose();
      delete engines[p];
      delete requested[p];
      start(p).catch((err: unknown) =>
        store.getState().setPanel(p, { error: `the engine could not start: ${String(err)}` }),
      );
    });
  });
  // Only a change of what the engines compute restarts the debounce: results arriving, the
  // depth slider or a hover must not postpone a pending run.
  const runKey = (): string => {
    const s = store.getState();
    return `${s.compare}|${s.theory}|${s.projection}|${recordedKey()}|${JSON.stringify(configFor('A'))}|${JSON.stringify(configFor('B'))}`;
  };
  let lastRunKey = runKey();
  const unsubscribe = store.subscribe(() => {
    const k = runKey();
    if (k === lastRunKey) return;
    lastRunKey = k;
    schedule();
  });
  layerFeatures = async (panel, layer) => {
    const engine = engines[panel];
    const s = store.getState();
    if (!engine) throw new Error(`panel ${panel} has no engine yet`);
    // The engine runs one request at a time, latest wins: asking now would cancel the panel's run.
    if (s.panels[panel].running)
      throw new Error(`panel ${panel} is still computing; export once its run has finished`);
    const config: EngineConfig = { ...configFor(panel), layers: layer };
    // With the panel's picture mode, so that the engine's cache stays usable for the page's next run.
    const r = await engine.run(config, { features: 'last', projection: s.projection });
    const features = r.layers[layer]?.features;
    if (!features) throw new Error(`the engine returned no features for layer ${layer}`);
    return features;
  };
  return () => {
    layerFeatures = null;
    disposed = true;
    unsubscribe();
    unsubscribeLoaded();
    unsubscribeChoice();
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
