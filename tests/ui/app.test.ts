// The lecture page end to end in headless Chromium (SwiftShader WebGPU): drawing, depth,
// presets, the URL, exports, presentation mode and shortcuts, and the CPU fallback.
// Small graphs only (n ≤ 300, depth ≤ 64, hidden 16): SwiftShader on two cores is slow.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { forwardPageErrors, hideNavigatorGpu, launchChromium } from '../browser/chromium';
import { PRESETS } from '../../src/presets/depth';
import { GRAM_FLOOR } from '../../src/engine/metrics';
import type { LectureState } from '../../src/state/page';
import { waitForPoints } from './helpers';

/** Click an export button that saves `count` files, and collect exactly those downloads. */
async function downloadsOf(page: Page, testId: string, count: number): Promise<Download[]> {
  const got: Download[] = [];
  const onDownload = (d: Download) => got.push(d);
  page.on('download', onDownload);
  await page.getByTestId(testId).click();
  await expect.poll(() => got.length, { timeout: 30_000 }).toBe(count);
  await page.waitForTimeout(300); // a stray extra file would show up here
  page.off('download', onDownload);
  expect(got.length).toBe(count);
  return got;
}

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  forwardPageErrors(page, 'lecture');
  // Budgets for a busy 2-core machine: the page once took 36 s to start with the load average at 13.
  await page.goto(`${base()}${hash}`, { waitUntil: 'load', timeout: 180_000 });
  await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 180_000 });
  return page;
}

function lectureState(page: Page): Promise<LectureState> {
  return page.evaluate(() => {
    const s = window.lecture!.getState();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (typeof v !== 'function' && typeof v !== 'object') out[k] = v;
    return out as unknown as LectureState;
  });
}

async function canvasImage(page: Page, panel: 'A' | 'B'): Promise<string> {
  return page.evaluate((p) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="points-${p}"]`)!;
    return c.toDataURL();
  }, panel);
}

describe('lecture page (WebGPU)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws the default view, and dragging the depth slider moves the points', async () => {
    const page = await open(browser, '#L=32');
    expect(await page.locator('h1').textContent()).toBe('Oversmoothing & dimensional collapse');
    expect(await waitForPoints(page, 'A')).toBe(300);
    expect(await waitForPoints(page, 'B')).toBe(300);
    expect(await page.getByTestId('fallback-banner').count()).toBe(0);
    // SwiftShader is a software adapter: the fast CPU engine drives, and the page says why.
    await expect
      .poll(() => page.getByTestId('engine-info').textContent(), { timeout: 120_000 })
      .toContain('CPU (WebAssembly, float32)');
    await expect
      .poll(() => page.getByTestId('engine-info').textContent(), { timeout: 120_000 })
      .toContain('software emulation');
    const before = await canvasImage(page, 'A');
    const slider = page.getByTestId('depth-slider');
    const box = (await slider.boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const depth = (await lectureState(page)).depth;
    expect(depth).toBeGreaterThan(10);
    expect(depth).toBeLessThan(22);
    await page.waitForFunction(
      (d) => document.querySelector('[data-testid="points-A"]')?.getAttribute('data-depth') === d.toFixed(3),
      depth,
    );
    expect(await canvasImage(page, 'A')).not.toBe(before);
    // Keyboard steps on the focused slider: one layer each.
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    expect((await lectureState(page)).depth).toBe(Math.round(depth) + 1);
    await page.close();
  });

  it('loads every preset, with its explanation', async () => {
    const page = await open(browser, '#L=8');
    await waitForPoints(page, 'A');
    for (const preset of PRESETS) {
      await page.getByTestId('preset-select').selectOption(preset.id);
      await expect.poll(() => page.getByTestId('preset-explanation').textContent()).toBe(preset.explanation);
      // Keep the runs short: the presets' own depths are checked in the URL unit tests.
      await page.evaluate(() => window.lecture!.getState().set({ layers: 8 }));
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      const state = await lectureState(page);
      expect(state.lesson).toBe(preset.id);
      if (preset.settings.model) expect(state.model).toBe(preset.settings.model);
    }
    await page.close();
  });

  it('GCN preset at depth 64: without normalization the effective rank is lower than with ContraNorm', async () => {
    const page = await open(browser);
    await page.getByTestId('preset-select').selectOption('gcn-oversmoothing');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    const read = (p: 'A' | 'B') =>
      page.evaluate((id) => {
        const el = document.querySelector(`[data-testid="stats-${id}"]`)!;
        return {
          layer: Number(el.getAttribute('data-layer')),
          erank: Number(el.getAttribute('data-effective-rank')),
        };
      }, p);
    const a = await read('A');
    const b = await read('B');
    expect(a.layer).toBe(64);
    expect(b.layer).toBe(64);
    expect(a.erank).toBeLessThan(b.erank);
    expect(a.erank).toBeLessThan(1.5);
    expect(b.erank).toBeGreaterThan(2);
    await page.close();
  });

  it('round-trips the state through the URL, with back/forward and bad values', async () => {
    const page = await open(browser, '#L=16');
    await waitForPoints(page, 'A');
    await page.evaluate(() =>
      window.lecture!.getState().set({ s: 1.7, tau: 0.25, depth: 5.5, projection: 'fixed-basis' }),
    );
    await page.getByTestId('norm-A').selectOption('pairnorm');
    // Wait on the page's state, not a fixed pause: the hash holds every change once written.
    await page.waitForFunction(
      () =>
        /(^|&)s=1\.7(&|$)/.test(location.hash.slice(1)) &&
        /(^|&)d=5\.5(&|$)/.test(location.hash.slice(1)) &&
        /(^|&)nA=pairnorm(&|$)/.test(location.hash.slice(1)),
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    const state = await lectureState(page);
    const hash = await page.evaluate(() => window.location.hash);
    const again = await open(browser, hash);
    expect(await lectureState(again)).toEqual(state);
    await again.close();
    // Back undoes the discrete change (normalization A), forward redoes it.
    await page.goBack();
    await expect.poll(async () => (await lectureState(page)).normA, { timeout: 60_000 }).toBe('none');
    await page.goForward();
    await expect.poll(async () => (await lectureState(page)).normA, { timeout: 60_000 }).toBe('pairnorm');
    await page.close();
    const bad = await open(browser, '#L=16&s=banana&model=rnn');
    const notes = bad.getByTestId('url-notes');
    await expect
      .poll(() => notes.textContent(), { timeout: 60_000 })
      .toMatch(/ContraNorm s: "banana" is not valid/);
    expect((await lectureState(bad)).s).toBe(1);
    expect((await lectureState(bad)).model).toBe('gnn');
    await bad.close();
  });

  it('exports metrics (CSV, JSON), plots (SVG), points (PNG) and the animation (WebM)', async () => {
    const page = await open(browser, '#L=8');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    await page.locator('summary', { hasText: 'Export' }).click();
    const [csvDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    const csv = (await readFile((await csvDl.path())!, 'utf8')).trim().split('\n');
    expect(csv[0].split(',')).toContain('effectiveRank');
    expect(csv.length).toBe(1 + 2 * 9);
    const col = csv[0].split(',').indexOf('effectiveRank');
    for (const row of csv.slice(1)) expect(Number(row.split(',')[col])).toBeGreaterThan(0.5);
    const [jsonDl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    const json = JSON.parse(await readFile((await jsonDl.path())!, 'utf8'));
    expect(json.float32Floor.relative).toBe(GRAM_FLOOR);
    expect(
      json.configurations.map((c: { config: { norm: { kind: string } } }) => c.config.norm.kind),
    ).toEqual(['none', 'contranorm']);
    expect(json.configurations[0].layers.length).toBe(9);
    // Every plot is its own SVG file: as many downloads as plots marked for export.
    const plots = await page.locator('svg[data-export-name]').count();
    expect(plots).toBeGreaterThanOrEqual(5); // the spectrum and four metric curves
    const svgDls = await downloadsOf(page, 'export-svg', plots);
    for (const d of svgDls) {
      expect(d.suggestedFilename()).toMatch(/\.svg$/);
      expect(await readFile((await d.path())!, 'utf8')).toMatch(/<svg/);
    }
    // One PNG per panel: two downloads in compare mode.
    const pngDls = await downloadsOf(page, 'export-png', 2);
    expect(pngDls.map((d) => d.suggestedFilename()).sort()).toEqual(['embedding-A.png', 'embedding-B.png']);
    for (const d of pngDls) {
      const png = await readFile((await d.path())!);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
    // The depth animation (0 → 8 at 4 layers/s) as WebM: the EBML magic number starts every file.
    const [webmDl] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-webm').click(),
    ]);
    expect(webmDl.suggestedFilename()).toBe('depth-animation.webm');
    const webm = await readFile((await webmDl.path())!);
    expect(webm.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    await page.close();
  });

  it('presentation mode and keyboard shortcuts', async () => {
    const page = await open(browser, '#L=8&d=2');
    await waitForPoints(page, 'A');
    // Focus the page (not a control) by clicking the title, so the keys go to the shortcuts.
    await page.locator('h1').click();
    await page.keyboard.press('p');
    await expect.poll(() => page.getByTestId('app').getAttribute('data-presentation')).toBe('true');
    expect(await page.getByTestId('controls').isVisible()).toBe(false);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(']');
    await page.keyboard.press('=');
    let s = await lectureState(page);
    expect(s.depth).toBe(3);
    expect(s.s).toBeCloseTo(1.1, 9);
    expect(s.tau).toBeCloseTo(1.26, 9);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('[');
    await page.keyboard.press('-');
    await page.keyboard.press('c');
    s = await lectureState(page);
    expect(s.depth).toBe(2);
    expect(s.s).toBeCloseTo(1, 9);
    expect(s.compare).toBe(false);
    expect(await page.getByTestId('embedding-B').count()).toBe(0);
    await page.keyboard.press('?');
    expect(await page.getByTestId('help-overlay').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('help-overlay').count()).toBe(0);
    await page.keyboard.press(' ');
    await expect.poll(async () => (await lectureState(page)).depth, { timeout: 20_000 }).toBe(8);
    expect((await lectureState(page)).playing).toBe(false);
    await page.keyboard.press('p');
    expect(await page.getByTestId('controls').isVisible()).toBe(true);
    await page.close();
  });
});

describe('engine choice and progress', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('eng=gpu in the link forces the GPU engine, even on a software adapter', async () => {
    const page = await open(browser, '#L=4&eng=gpu');
    expect(await waitForPoints(page, 'A', 240_000)).toBe(300);
    await expect
      .poll(() => page.getByTestId('engine-info').textContent(), { timeout: 120_000 })
      .toContain('GPU (WebGPU)');
    await expect
      .poll(() => page.getByTestId('engine-info').textContent(), { timeout: 120_000 })
      .toContain('asked for');
    expect(await page.evaluate(() => window.lecture!.getState().panels.A.result?.engine)).toBe('gpu');
  });

  it('the calibration is measured once and kept for this browser: a reload reuses it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page = await context.newPage();
      forwardPageErrors(page, 'calibration');
      await page.goto(`${base()}#L=4`);
      expect(await waitForPoints(page, 'A', 240_000)).toBe(300);
      const key = 'collapse-visualizer:engine-calibration:v2';
      const first = await page.evaluate((k) => localStorage.getItem(k), key);
      expect(first).not.toBeNull();
      const c = JSON.parse(first!) as { adapter: string; cpuMs: number; cpuFlops: number };
      expect(c.adapter).toMatch(/swiftshader/i);
      expect(c.cpuFlops).toBeGreaterThan(0);
      await page.reload();
      expect(await waitForPoints(page, 'A', 240_000)).toBe(300);
      // Measured again, the timing would differ in its last digits.
      expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(first);
    } finally {
      await context.close();
    }
  });

  it('a long first run draws as it grows: partial results (layer k of L) arrive before the whole', async () => {
    const page = await open(browser, '#L=64&n=2000&deg=4');
    await page.waitForFunction(() => window.lecture !== undefined);
    await page.evaluate(() => {
      const w = window as unknown as { partials: number[] };
      w.partials = [];
      window.lecture!.subscribe((s) => {
        const p = s.panels.B.result?.progress;
        if (p && w.partials.at(-1) !== p.done) w.partials.push(p.done);
      });
    });
    expect(await waitForPoints(page, 'B', 240_000)).toBe(2000);
    await page.waitForFunction(
      () => window.lecture!.getState().panels.B.result?.progress === undefined,
      null,
      {
        timeout: 240_000,
      },
    );
    const partials = await page.evaluate(() => (window as unknown as { partials: number[] }).partials);
    expect(partials.length).toBeGreaterThan(0);
    expect(Math.min(...partials)).toBeLessThan(64);
    expect(await page.evaluate(() => window.lecture!.getState().panels.B.result?.layers.length)).toBe(65);
  });
});

describe('lecture page without WebGPU', () => {
  it('shows the fallback banner and draws with the CPU engine', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      forwardPageErrors(page, 'lecture-cpu');
      await hideNavigatorGpu(page);
      await page.goto(`${base()}#L=16&n=20000`);
      await expect
        .poll(() => page.getByTestId('fallback-banner').textContent(), { timeout: 60_000 })
        .toMatch(
          /^WebGPU unavailable: .+\. Using the CPU engine \(WebAssembly\) \(size capped at [\d,]+ nodes, what it computes in about 10 s here\)\.$/,
        );
      await expect
        .poll(() => page.getByTestId('engine-info').textContent(), { timeout: 120_000 })
        .toContain('CPU (WebAssembly, float32)');
      // n in the link is capped at what the CPU engine computes in about 10 s (measured, ≥ 3,000).
      const cap = await page.evaluate(() => window.lecture!.getState().engine.nodeCap);
      expect(cap).toBeGreaterThanOrEqual(3000);
      expect(await waitForPoints(page, 'A', 240_000)).toBe(Math.min(20000, cap!));
      expect(await waitForPoints(page, 'B', 240_000)).toBe(Math.min(20000, cap!));
      expect(await page.evaluate(() => window.lecture!.getState().panels.A.result?.engine)).toBe('cpu');
    } finally {
      await browser.close();
    }
  });
});
