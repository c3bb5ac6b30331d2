// The page-latency benchmark of `npm run bench` (called from bench/run.ts): the time from
// navigation to the first picture (both panels), the time from a slider input to the first
// animation frame that shows that input's result (median and p95 over a scripted drag), and the
// longest main-thread task while dragging (target: none over 50 ms). Runs the real lecture page
// (/index.html#…) as built for users (bench/builtSite.ts: vite build + vite preview), or on the
// bench's Vite dev server with --latency-dev (React's development build, modules transformed on
// first request, i.e. slower).
//
// Per scenario (a fresh page), three scripted drags, one after the other, each of DRAG_STEPS mouse
// moves one every BENCH_LATENCY_STEP_MS (default 100 ms):
//   depth  0 → L/2: no engine work, every input should get its own frame (redraw only);
//   s      1 → 2.5: every step changes the ContraNorm panel's configuration, i.e. a full recompute
//          of that panel (a panel without ContraNorm reads neither s nor τ and keeps its picture);
//   τ      1 → ~3.5 (log slider): the same.
// How it measures:
//   - an init script logs every `input` event of those sliders (event.timeStamp, and the store's
//     value right after React handled it: a window listener runs after React's root listener) and
//     observes 'longtask' (and 'long-animation-frame' where the browser has it);
//   - the page logs each drawing of a panel's points with the run's configuration, the depth and
//     the first requestAnimationFrame after it (src/state/frameLog.ts, window.__collapseViz);
//   - input k "got its own frame" when every panel it affects drew its value (depth: every shown
//     panel; s/τ: the ContraNorm panels, with a result of that s/τ) after the input; its latency is the later of those panels' first such frames minus
//     the input's timeStamp. The page is latest-wins (80 ms debounce, superseded runs dropped), so
//     while the engine is busy, inputs overtaken by the next one never get a frame: the table
//     counts those that did, and gives the final input's latency;
//   - the longest task: from the 'longtask' API (wall clock, ≥ 50 ms only) and from a Chrome trace
//     of the drag (category "toplevel": every main-thread task with its wall and thread CPU time).
//     On a loaded machine a task's wall time includes the time its thread waited for a core, so the
//     CPU time says what the page itself costs; both are printed.
import type { Browser, CDPSession, Page } from 'playwright-core';
import { forwardPageErrors } from '../tests/browser/chromium';

export const DRAG_STEPS = 20;
/** The bound on a main-thread task while dragging. */
export const TASK_TARGET_MS = 50;

export interface LatencyScenario {
  name: string;
  /** The URL hash (properties of src/state/page.ts), '' for the defaults. */
  hash: string;
  note: string;
}

export const LATENCY_SCENARIOS: LatencyScenario[] = [
  {
    name: 'default preset',
    hash: '',
    note: 'the page defaults: 64-layer GCN, d = 16, CSBM n = 300, panel A no norm vs panel B ContraNorm',
  },
  {
    name: 'W1 graph (n = 2,708)',
    hash: '#n=2708&deg=4',
    note:
      "W1's graph size: the page's CSBM generator with n = 2,708 and average degree 4 (Cora itself cannot " +
      'be loaded from the URL); every other setting is the default (64 layers, d = 16), not W1’s model',
  },
];

export type DragSlider = 'depth' | 's' | 'tau';

interface DragSpec {
  slider: DragSlider;
  selector: string;
  /** Slider positions (fractions of its track) at the start and the end of the drag. */
  from: number;
  to: number;
}

const DRAGS: DragSpec[] = [
  { slider: 'depth', selector: '[data-testid="depth-slider"]', from: 0, to: 0.5 },
  // From s = 1 (a third of the way along 0..3) to 2.5: 0.075 per step, over the slider's step 0.05.
  {
    slider: 's',
    selector: '[data-testid="controls"] input[type="range"][data-prop="s"]',
    from: 1 / 3,
    to: 5 / 6,
  },
  // log10 τ over −2..1: from τ = 1 to about 3.5.
  {
    slider: 'tau',
    selector: '[data-testid="controls"] input[type="range"][data-prop="tau"]',
    from: 2 / 3,
    to: 0.85,
  },
];

export interface InputLatency {
  /** The input event's timeStamp (page clock, ms). */
  t: number;
  /** The slider's property in the store right after the input (depth, s or τ). */
  value: number;
  /** Input to the first frame showing its result in every panel; null when it never got one. */
  latencyMs: number | null;
}

export interface DragResult {
  slider: DragSlider;
  /** Input events the drag produced (a move that does not change the value fires none). */
  inputs: number;
  inputsWithOwnFrame: number;
  medianMs: number | null;
  p95Ms: number | null;
  /** The last input's latency (it always gets a frame unless the page failed or timed out). */
  finalMs: number | null;
  /** Longest 'longtask' entry from the drag's start to its last frame; 0 when none (all < 50 ms). */
  longestTaskMs: number | null;
  /** 'longtask' entries (≥ 50 ms wall) over that span. */
  longTasks: number;
  /** From the trace, over the same drag: the longest main-thread task's wall time and its CPU time. */
  longestTaskTraceMs: number | null;
  longestTaskCpuMs: number | null;
  /** Main-thread tasks whose CPU time alone reached TASK_TARGET_MS. */
  cpuTasksOverTarget: number | null;
  /** Longest 'long-animation-frame' entry over the same span; null when unsupported. */
  longestAnimationFrameMs: number | null;
  perInput: InputLatency[];
  error?: string;
}

export interface LatencyResult {
  scenario: string;
  hash: string;
  note: string;
  stepMs: number;
  mouseSteps: number;
  /** From navigation to both panels showing their first result. */
  firstResultMs: number;
  drags: DragResult[];
  error?: string;
}

interface PageLog {
  inputs: { t: number; slider: DragSlider; value: number | null }[];
  longTasks: { start: number; duration: number }[];
  loafs: { start: number; duration: number }[];
  supported: string[];
}

declare global {
  interface Window {
    __latency?: PageLog;
    /** Every shown panel has drawn its current settings' result (installed by initScript). */
    __latencySettled?: () => boolean;
    /** Every shown panel has drawn a frame of its current result, at any depth (the first picture). */
    __latencyFirstPicture?: () => boolean;
    /** Both of the above: every shown panel has drawn its current result (at the current depth). */
    __latencyShown?: (atDepth: boolean) => boolean;
  }
}

/** Installed before the page's scripts run. */
function initScript(): void {
  const lat: PageLog = { inputs: [], longTasks: [], loafs: [], supported: [] };
  window.__latency = lat;
  const types = PerformanceObserver.supportedEntryTypes ?? [];
  for (const type of ['longtask', 'long-animation-frame']) {
    if (!types.includes(type)) continue;
    lat.supported.push(type);
    const into = type === 'longtask' ? lat.longTasks : lat.loafs;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) into.push({ start: e.startTime, duration: e.duration });
    }).observe({ type, buffered: true });
  }
  // Every shown panel has drawn a frame of its current result; `atDepth`: at the current depth.
  // A plain visit plays the depth from 0 to L once: the first picture is the first frame of each
  // panel's result, whatever the depth it shows, not the end of that animation.
  // A window property rather than a local function: tsx would wrap a named local in __name(),
  // which does not exist in the page this script is serialized into.
  window.__latencyShown = (atDepth: boolean): boolean => {
    const s = window.lecture?.getState();
    if (!s || !window.lectureSettled) return false;
    const panels = s.compare ? (['A', 'B'] as const) : (['A'] as const);
    const frames = window.__collapseViz?.frames ?? [];
    return panels.every(
      (p) =>
        window.lectureSettled!(p) &&
        frames.some(
          (f) =>
            f.panel === p &&
            f.frameAt !== null &&
            f.config === s.panels[p].result?.config &&
            (!atDepth || f.depth === Math.min(s.depth, s.layers)),
        ),
    );
  };
  window.__latencySettled = () => window.__latencyShown!(true);
  window.__latencyFirstPicture = () => window.__latencyShown!(false);
  window.addEventListener('input', (e) => {
    const el = e.target;
    if (!(el instanceof HTMLInputElement) || el.type !== 'range') return;
    const slider = el.dataset.testid === 'depth-slider' ? 'depth' : el.dataset.prop;
    if (slider !== 'depth' && slider !== 's' && slider !== 'tau') return;
    lat.inputs.push({ t: e.timeStamp, slider, value: window.lecture?.getState()[slider] ?? null });
  });
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function evaluateRetrying<T>(page: Page, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await page.evaluate(fn);
  } catch (err) {
    // The dev server may reload the page once (late dependency optimization).
    if (/context was destroyed|navigat/i.test(String(err))) return undefined;
    throw err;
  }
}

async function waitFor(page: Page, what: string, timeoutMs: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await evaluateRetrying(page, check)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${(timeoutMs / 1000).toFixed(0)} s`);
    await page.waitForTimeout(100);
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Start a "toplevel" trace; the returned function stops it and gives the main thread's longest task. */
async function startTrace(
  cdp: CDPSession,
): Promise<() => Promise<{ wallMs: number; cpuMs: number; cpuOver: number } | null>> {
  const events: TraceEvent[] = [];
  const onData = (d: { value: object[] }) => events.push(...(d.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', onData);
    const mains = new Set(
      events
        .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
        .map((e) => `${e.pid}:${e.tid}`),
    );
    const tasks = events.filter(
      (e) =>
        e.ph === 'X' &&
        (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') &&
        mains.has(`${e.pid}:${e.tid}`),
    );
    if (!tasks.length) return null;
    let wall = 0;
    let cpu = 0;
    let cpuOver = 0;
    for (const t of tasks) {
      wall = Math.max(wall, (t.dur ?? 0) / 1000);
      cpu = Math.max(cpu, (t.tdur ?? 0) / 1000);
      if ((t.tdur ?? 0) / 1000 >= TASK_TARGET_MS) cpuOver++;
    }
    return { wallMs: wall, cpuMs: cpu, cpuOver };
  };
}

async function measureDrag(
  page: Page,
  cdp: CDPSession,
  spec: DragSpec,
  stepMs: number,
  timeoutMs: number,
): Promise<DragResult> {
  const slider = page.locator(spec.selector);
  await slider.scrollIntoViewIfNeeded();
  const box = await slider.boundingBox();
  if (!box) throw new Error(`the ${spec.slider} slider is not visible`);
  const y = box.y + box.height / 2;
  const xAt = (f: number) => box.x + 8 + f * (box.width - 16);
  const stopTrace = await startTrace(cdp);
  const dragStart = (await page.evaluate(() => performance.now())) as number;
  await page.mouse.move(xAt(spec.from), y);
  await page.mouse.down();
  for (let k = 1; k <= DRAG_STEPS; k++) {
    await page.waitForTimeout(stepMs);
    await page.mouse.move(xAt(spec.from + ((spec.to - spec.from) * k) / DRAG_STEPS), y);
  }
  await page.mouse.up();
  let error: string | undefined;
  try {
    await waitFor(page, `the last ${spec.slider} input’s frame`, timeoutMs, () => {
      const ins = window.__latency?.inputs ?? [];
      const last = ins[ins.length - 1];
      const s = window.lecture?.getState();
      return !!last && !!s && last.value === s[last.slider] && window.__latencySettled?.() === true;
    });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  await page.waitForTimeout(200); // let the last frames' rAF callbacks and observers report
  const trace = await stopTrace();
  const data = await page.evaluate(() => {
    const s = window.lecture!.getState();
    const shown = s.compare ? (['A', 'B'] as const) : (['A'] as const);
    return {
      panels: [...shown] as string[],
      // An s or τ change reruns only the panels whose normalization reads them (ContraNorm).
      contraNormPanels: shown.filter(
        (p) => s.panels[p].result?.config.norm.kind === 'contranorm',
      ) as string[],
      log: window.__latency!,
      frames: (window.__collapseViz?.frames ?? []).map((f) => ({
        panel: f.panel as string,
        depth: f.depth,
        s: f.config.norm.s,
        tau: f.config.norm.tau,
        drawnAt: f.drawnAt,
        frameAt: f.frameAt,
      })),
    };
  });
  const inputs = data.log.inputs.filter((i) => i.t >= dragStart && i.slider === spec.slider);
  const affected = spec.slider === 'depth' ? data.panels : data.contraNormPanels;
  const perInput: InputLatency[] = inputs.map((inp) => {
    let at = 0;
    for (const p of affected) {
      const f = data.frames.find(
        (x) => x.panel === p && x[spec.slider] === inp.value && x.drawnAt >= inp.t && x.frameAt !== null,
      );
      if (!f) return { t: inp.t, value: inp.value ?? NaN, latencyMs: null };
      at = Math.max(at, f.frameAt!);
    }
    return { t: inp.t, value: inp.value ?? NaN, latencyMs: at - inp.t };
  });
  const own = perInput.filter((i) => i.latencyMs !== null).map((i) => i.latencyMs!);
  const final = perInput[perInput.length - 1]?.latencyMs ?? null;
  const dragEnd =
    final !== null
      ? perInput[perInput.length - 1]!.t + final
      : ((await page.evaluate(() => performance.now())) as number);
  const during = (xs: { start: number; duration: number }[]) =>
    xs.filter((e) => e.start + e.duration >= dragStart && e.start <= dragEnd);
  const tasks = during(data.log.longTasks);
  const loafs = during(data.log.loafs);
  return {
    slider: spec.slider,
    inputs: inputs.length,
    inputsWithOwnFrame: own.length,
    medianMs: median(own),
    p95Ms: percentile(own, 95),
    finalMs: final,
    longestTaskMs: data.log.supported.includes('longtask')
      ? Math.max(0, ...tasks.map((e) => e.duration))
      : null,
    longTasks: tasks.length,
    longestTaskTraceMs: trace?.wallMs ?? null,
    longestTaskCpuMs: trace?.cpuMs ?? null,
    cpuTasksOverTarget: trace?.cpuOver ?? null,
    longestAnimationFrameMs: data.log.supported.includes('long-animation-frame')
      ? Math.max(0, ...loafs.map((e) => e.duration))
      : null,
    perInput,
    ...(error ? { error } : {}),
  };
}

async function measureScenario(
  browser: Browser,
  baseUrl: string,
  sc: LatencyScenario,
  stepMs: number,
  timeoutMs: number,
  log: (s: string) => void,
): Promise<LatencyResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  forwardPageErrors(page, `latency ${sc.name}`);
  await page.addInitScript(initScript);
  try {
    const t0 = Date.now();
    await page.goto(new URL(`/index.html${sc.hash}`, baseUrl).href, { waitUntil: 'load', timeout: 120_000 });
    await waitFor(page, 'first result', timeoutMs, () => window.__latencyFirstPicture?.() === true);
    const firstResultMs = Date.now() - t0;
    log(`    first result after ${(firstResultMs / 1000).toFixed(1)} s`);
    // The drags start once the first-visit animation (if any) has ended.
    await waitFor(
      page,
      'the first-visit animation to end',
      timeoutMs,
      () => window.__latencySettled?.() === true,
    );
    await page.waitForTimeout(1000);
    const cdp = await page.context().newCDPSession(page);
    const drags: DragResult[] = [];
    for (const spec of DRAGS) {
      const r = await measureDrag(page, cdp, spec, stepMs, timeoutMs);
      log(`    ${describeDrag(r)}`);
      drags.push(r);
      if (r.error) break;
      await page.waitForTimeout(500);
    }
    await cdp.detach();
    return {
      scenario: sc.name,
      hash: sc.hash,
      note: sc.note,
      stepMs,
      mouseSteps: DRAG_STEPS,
      firstResultMs,
      drags,
    };
  } finally {
    await page.close();
  }
}

const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : `${v.toFixed(0)} ms`);

function describeDrag(r: DragResult): string {
  const lat = r.perInput.map((i) => (i.latencyMs === null ? '·' : i.latencyMs.toFixed(0))).join(' ');
  return (
    `${r.slider} drag: ${r.inputs} inputs, ${r.inputsWithOwnFrame} with their own frame [${lat}]; ` +
    `median ${ms(r.medianMs)}, p95 ${ms(r.p95Ms)}, final input ${ms(r.finalMs)}; longest task ${ms(r.longestTaskMs)} wall ` +
    `(${r.longTasks} over 50 ms), in the trace ${ms(r.longestTaskTraceMs)} wall / ${ms(r.longestTaskCpuMs)} CPU ` +
    `(${r.cpuTasksOverTarget ?? '—'} with ≥ ${TASK_TARGET_MS} ms CPU); longest animation frame ${ms(r.longestAnimationFrameMs)}` +
    (r.error ? `; FAILED: ${r.error}` : '')
  );
}

export interface LatencyOptions {
  log: (s: string) => void;
  /** Pause between two mouse moves of the drag. */
  stepMs: number;
  /** The longest wait for a result to show (first load, and after each drag). */
  timeoutMs: number;
  /** Override the layers L of every scenario (bench/run.ts --layers=N); null keeps them. */
  layers: number | null;
}

export async function runLatency(
  browser: Browser,
  baseUrl: string,
  { log, stepMs, timeoutMs, layers }: LatencyOptions,
): Promise<LatencyResult[]> {
  const out: LatencyResult[] = [];
  log(
    `\nPage latency: drags of the depth, ContraNorm s and τ sliders, ${DRAG_STEPS} mouse moves each, one every ${stepMs} ms`,
  );
  for (const base of LATENCY_SCENARIOS) {
    const sc =
      layers === null
        ? base
        : {
            ...base,
            hash: `${base.hash || '#'}${base.hash ? '&' : ''}L=${layers}`,
            note: `${base.note}; L overridden to ${layers}`,
          };
    log(`  ${sc.name}: ${sc.note}`);
    let r: LatencyResult;
    try {
      r = await measureScenario(browser, baseUrl, sc, stepMs, timeoutMs, log);
    } catch (err) {
      r = {
        scenario: sc.name,
        hash: sc.hash,
        note: sc.note,
        stepMs,
        mouseSteps: DRAG_STEPS,
        firstResultMs: NaN,
        drags: [],
        error: err instanceof Error ? err.message : String(err),
      };
      log(`    FAILED: ${r.error}`);
    }
    out.push(r);
  }
  return out;
}

/** The summary table, one line per row (Markdown), then what the columns mean and the target's status. */
export function latencyTable(results: LatencyResult[]): string[] {
  const n = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(0));
  const header = [
    'scenario',
    'drag',
    'inputs',
    'own frame',
    'median ms',
    'p95 ms',
    'final ms',
    'longest task ms (wall)',
    'longest task ms (CPU)',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.drags.length) rows.push([r.scenario, 'failed', '', '', '', '', '', '', '']);
    for (const d of r.drags)
      rows.push([
        r.scenario,
        d.slider + (d.error ? ' (failed)' : ''),
        String(d.inputs),
        String(d.inputsWithOwnFrame),
        n(d.medianMs),
        n(d.p95Ms),
        n(d.finalMs),
        d.longestTaskMs === 0 ? `< 50 (trace ${n(d.longestTaskTraceMs)})` : n(d.longestTaskMs),
        n(d.longestTaskCpuMs),
      ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const all = results.flatMap((r) => r.drags);
  const worstWall = Math.max(0, ...all.map((d) => Math.max(d.longestTaskMs ?? 0, d.longestTaskTraceMs ?? 0)));
  const worstCpu = Math.max(0, ...all.map((d) => d.longestTaskCpuMs ?? 0));
  out.push(
    'wall: the longtask API (≥ 50 ms only; "< 50" when none) or the trace; CPU: the same task list from the trace, ' +
      'thread CPU time, i.e. without the time a loaded machine made the thread wait for a core.',
    `Target "no main-thread task over ${TASK_TARGET_MS} ms while dragging": ` +
      `${worstWall <= TASK_TARGET_MS ? 'met' : 'not met'} in wall time (worst ${worstWall.toFixed(0)} ms), ` +
      `${worstCpu <= TASK_TARGET_MS ? 'met' : 'not met'} in CPU time (worst ${worstCpu.toFixed(0)} ms).`,
  );
  return out;
}
