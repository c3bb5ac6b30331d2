// The page-latency benchmark of `npm run bench` (called from bench/run.ts): the time from a
// slider input to the first animation frame that shows that input's result, over a scripted
// drag of the ContraNorm s slider (every step changes the configuration of both panels, so
// every step asks the engines for a full recompute), and the longest main-thread task during
// the drag. Runs the real lecture page (/index.html#…) on the bench's Vite dev server.
//
// How it measures, per scenario (a fresh page each):
//   - before load, an init script observes 'longtask' (and 'long-animation-frame' where the
//     browser has it) and logs every `input` event of the s slider: its event.timeStamp and
//     the store's s right after React handled it (a window listener runs after React's root);
//   - the page logs each drawing of a panel's points with the run's configuration and the
//     first requestAnimationFrame after it (src/state/frameLog.ts, window.__collapseViz);
//   - after both panels show their first result and the page has been idle 1 s, the mouse
//     presses on the slider and moves in DRAG_STEPS steps, one every BENCH_LATENCY_STEP_MS
//     (default 100 ms), then releases, and the bench waits until the last input is drawn;
//   - input k "got its own frame" when every shown panel drew a result with s = s_k after
//     the input; its latency is the later of those panels' first such frames minus the input's
//     timeStamp. The page is latest-wins (an 80 ms debounce, superseded runs are dropped), so
//     inputs overtaken by the next one never get a frame: the table counts those that did.
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors } from '../tests/browser/chromium';

export const DRAG_STEPS = 20;

export interface LatencyScenario {
  name: string;
  /** The URL hash (properties of src/state/properties.ts), '' for the defaults. */
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

export interface InputLatency {
  /** The input event's timeStamp (page clock, ms). */
  t: number;
  s: number;
  /** Input to the first frame showing its result in every panel; null when it never got one. */
  latencyMs: number | null;
}

export interface LatencyResult {
  scenario: string;
  hash: string;
  note: string;
  stepMs: number;
  mouseSteps: number;
  /** Input events the drag produced (a move that does not change the value fires none). */
  inputs: number;
  inputsWithOwnFrame: number;
  medianMs: number | null;
  p95Ms: number | null;
  /** The last input's latency (it always gets a frame unless the page failed or timed out). */
  finalMs: number | null;
  /** Longest 'longtask' entry overlapping the drag (until the last frame); 0 when none (all < 50 ms). */
  longestTaskMs: number | null;
  longTasks: number;
  /** Longest 'long-animation-frame' entry over the same span; null when unsupported. */
  longestAnimationFrameMs: number | null;
  /** From navigation to both panels showing their first result. */
  firstResultMs: number;
  perInput: InputLatency[];
  error?: string;
}

interface PageLog {
  inputs: { t: number; s: number | null }[];
  longTasks: { start: number; duration: number }[];
  loafs: { start: number; duration: number }[];
  supported: string[];
}

declare global {
  interface Window {
    __latency?: PageLog;
    /** Every shown panel has drawn its current settings' result (installed by initScript). */
    __latencySettled?: () => boolean;
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
  window.__latencySettled = () => {
    const s = window.lecture?.getState();
    if (!s || !window.lectureSettled) return false;
    const panels = s.compare ? (['A', 'B'] as const) : (['A'] as const);
    const frames = window.__collapseViz?.frames ?? [];
    return panels.every(
      (p) =>
        window.lectureSettled!(p) &&
        frames.some((f) => f.panel === p && f.frameAt !== null && f.config === s.panels[p].result?.config),
    );
  };
  window.addEventListener('input', (e) => {
    const el = e.target;
    if (!(el instanceof HTMLInputElement) || el.type !== 'range' || el.dataset.prop !== 's') return;
    lat.inputs.push({ t: e.timeStamp, s: window.lecture?.getState().s ?? null });
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

async function measureScenario(
  browser: Browser,
  baseUrl: string,
  sc: LatencyScenario,
  stepMs: number,
  timeoutMs: number,
): Promise<LatencyResult> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  forwardPageErrors(page, `latency ${sc.name}`);
  await page.addInitScript(initScript);
  try {
    const t0 = Date.now();
    await page.goto(new URL(`/index.html${sc.hash}`, baseUrl).href, { waitUntil: 'load', timeout: 120_000 });
    await waitFor(page, 'first result', timeoutMs, () => window.__latencySettled?.() === true);
    const firstResultMs = Date.now() - t0;
    await page.waitForTimeout(1000);

    const slider = page.locator('[data-testid="controls"] input[type="range"][data-prop="s"]');
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    if (!box) throw new Error('the s slider is not visible');
    const y = box.y + box.height / 2;
    // From s = 1 (a third of the way along 0..3) to s = 2.5: 0.075 per step, over the slider's step 0.05.
    const xAt = (f: number) => box.x + 8 + f * (box.width - 16);
    const f0 = 1 / 3;
    const f1 = 5 / 6;
    const dragStart = (await page.evaluate(() => performance.now())) as number;
    await page.mouse.move(xAt(f0), y);
    await page.mouse.down();
    for (let k = 1; k <= DRAG_STEPS; k++) {
      await page.waitForTimeout(stepMs);
      await page.mouse.move(xAt(f0 + ((f1 - f0) * k) / DRAG_STEPS), y);
    }
    await page.mouse.up();
    let error: string | undefined;
    try {
      await waitFor(page, 'the last input’s frame', timeoutMs, () => {
        const ins = window.__latency?.inputs ?? [];
        const last = ins[ins.length - 1];
        return !!last && last.s === window.lecture?.getState().s && window.__latencySettled?.() === true;
      });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    await page.waitForTimeout(200); // let the last frames' rAF callbacks and observers report
    const data = await page.evaluate(() => {
      const s = window.lecture!.getState();
      return {
        panels: s.compare ? ['A', 'B'] : ['A'],
        log: window.__latency!,
        frames: (window.__collapseViz?.frames ?? []).map((f) => ({
          panel: f.panel as string,
          s: f.config.norm.s,
          drawnAt: f.drawnAt,
          frameAt: f.frameAt,
        })),
      };
    });
    const inputs = data.log.inputs.filter((i) => i.t >= dragStart);
    const perInput: InputLatency[] = inputs.map((inp) => {
      let at = 0;
      for (const p of data.panels) {
        const f = data.frames.find(
          (x) => x.panel === p && x.s === inp.s && x.drawnAt >= inp.t && x.frameAt !== null,
        );
        if (!f) return { t: inp.t, s: inp.s ?? NaN, latencyMs: null };
        at = Math.max(at, f.frameAt!);
      }
      return { t: inp.t, s: inp.s ?? NaN, latencyMs: at - inp.t };
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
      scenario: sc.name,
      hash: sc.hash,
      note: sc.note,
      stepMs,
      mouseSteps: DRAG_STEPS,
      inputs: inputs.length,
      inputsWithOwnFrame: own.length,
      medianMs: median(own),
      p95Ms: percentile(own, 95),
      finalMs: final,
      longestTaskMs: data.log.supported.includes('longtask')
        ? Math.max(0, ...tasks.map((e) => e.duration))
        : null,
      longTasks: tasks.length,
      longestAnimationFrameMs: data.log.supported.includes('long-animation-frame')
        ? Math.max(0, ...loafs.map((e) => e.duration))
        : null,
      firstResultMs,
      perInput,
      ...(error ? { error } : {}),
    };
  } finally {
    await page.close();
  }
}

export interface LatencyOptions {
  log: (s: string) => void;
  /** Pause between two mouse moves of the drag. */
  stepMs: number;
  /** The longest wait for a result to show (first load, and after the drag). */
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
    `\nPage latency: drag of the ContraNorm s slider from 1 to 2.5 in ${DRAG_STEPS} mouse moves, one every ${stepMs} ms`,
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
      r = await measureScenario(browser, baseUrl, sc, stepMs, timeoutMs);
    } catch (err) {
      r = {
        scenario: sc.name,
        hash: sc.hash,
        note: sc.note,
        stepMs,
        mouseSteps: DRAG_STEPS,
        inputs: 0,
        inputsWithOwnFrame: 0,
        medianMs: null,
        p95Ms: null,
        finalMs: null,
        longestTaskMs: null,
        longTasks: 0,
        longestAnimationFrameMs: null,
        firstResultMs: NaN,
        perInput: [],
        error: err instanceof Error ? err.message : String(err),
      };
    }
    const ms = (v: number | null) => (v === null ? '—' : `${v.toFixed(0)} ms`);
    log(
      `    first result after ${(r.firstResultMs / 1000).toFixed(1)} s; ${r.inputs} inputs, ${r.inputsWithOwnFrame} with their own frame` +
        ` [${r.perInput.map((i) => (i.latencyMs === null ? '·' : i.latencyMs.toFixed(0))).join(' ')}]; final input ${ms(r.finalMs)};` +
        ` longest task ${ms(r.longestTaskMs)} (${r.longTasks} over 50 ms), longest animation frame ${ms(r.longestAnimationFrameMs)}` +
        (r.error ? `; FAILED: ${r.error}` : ''),
    );
    out.push(r);
  }
  return out;
}

/** The summary table, one line per row (Markdown). */
export function latencyTable(results: LatencyResult[]): string[] {
  const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(0));
  const header = [
    'scenario',
    'inputs',
    'inputs with own frame',
    'median ms',
    'p95 ms',
    'final input ms',
    'longest task ms',
  ];
  const rows = results.map((r) => [
    r.scenario,
    String(r.inputs),
    String(r.inputsWithOwnFrame),
    ms(r.medianMs),
    ms(r.p95Ms),
    ms(r.finalMs),
    r.longestTaskMs === 0 ? '< 50' : ms(r.longestTaskMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}
