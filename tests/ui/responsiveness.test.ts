// The page's responsiveness requirements that can be checked without timing anything (speed is
// bench/latency.ts's job): latest wins while a run is in flight, a narrow window clips no plot,
// and a lost GPU device in an engine worker recovers by itself, with the page saying so.
// (A depth drag moving the points is tests/ui/app.test.ts's first case.)
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash: string, viewport = { width: 1280, height: 720 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  forwardPageErrors(page, 'responsiveness');
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined);
  return page;
}

describe('lecture page responsiveness', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('latest wins: a new value while a run is in flight supersedes it, and no stale result is drawn after it', async () => {
    // Both panels ContraNorm: an s change reruns only panels whose normalization reads s.
    const page = await open(browser, '#L=24&nA=contranorm');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    // Record every result the store receives, from now on.
    await page.evaluate(() => {
      const w = window as unknown as { __results: { panel: string; s: number }[] };
      w.__results = [];
      window.lecture!.subscribe((s, prev) => {
        for (const p of ['A', 'B'] as const)
          if (s.panels[p].result && s.panels[p].result !== prev.panels[p].result)
            w.__results.push({ panel: p, s: s.panels[p].result!.config.norm.s });
      });
    });
    // s = 1.5, and as soon as both panels are computing it, s = 2.
    const superseded = await page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const store = window.lecture!;
          store.getState().set({ s: 1.5 });
          const stop = store.subscribe((s) => {
            if (!(s.panels.A.running && s.panels.B.running)) return;
            stop();
            // Still in flight for 1.5 at this instant (the results above are for s = 1).
            const inFlight =
              s.panels.A.result?.config.norm.s !== 1.5 || s.panels.B.result?.config.norm.s !== 1.5;
            s.set({ s: 2 });
            resolve(inFlight);
          });
        }),
    );
    expect(superseded).toBe(true);
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    const out = await page.evaluate(() => ({
      s: window.lecture!.getState().s,
      shown: (['A', 'B'] as const).map((p) => window.lecture!.getState().panels[p].result!.config.norm.s),
      results: (window as unknown as { __results: { panel: string; s: number }[] }).__results,
      frames: (window.__collapseViz?.frames ?? []).map((f) => ({ panel: f.panel, s: f.config.norm.s })),
    }));
    expect(out.s).toBe(2);
    expect(out.shown).toEqual([2, 2]);
    for (const panel of ['A', 'B']) {
      // The newest value's result arrives, and nothing older is shown after it.
      const results = out.results.filter((r) => r.panel === panel).map((r) => r.s);
      expect(results.at(-1)).toBe(2);
      expect(results.slice(results.indexOf(2))).toEqual(results.slice(results.indexOf(2)).map(() => 2));
      const frames = out.frames.filter((f) => f.panel === panel).map((f) => f.s);
      const first2 = frames.indexOf(2);
      expect(first2).toBeGreaterThanOrEqual(0);
      expect(frames.slice(first2).every((s) => s === 2)).toBe(true);
    }
    await page.close();
  });

  it('a narrow window (900×700) shows every plot without horizontal clipping', async () => {
    const page = await open(browser, '#L=8', { width: 900, height: 700 });
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    const report = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const plots = [
        ...document.querySelectorAll<HTMLElement | SVGSVGElement>(
          '[data-testid^="points-"], [data-testid="spectrum-svg"], [data-testid="heatmap-svg"], [data-testid^="metric-"]',
        ),
      ];
      const problems: string[] = [];
      for (const el of plots) {
        const r = el.getBoundingClientRect();
        const name = el.getAttribute('data-testid');
        if (r.width < 50 || r.height < 50) problems.push(`${name}: only ${r.width}×${r.height}`);
        if (r.left < -0.5 || r.right > width + 0.5)
          problems.push(`${name}: ${r.left.toFixed(0)}..${r.right.toFixed(0)} outside 0..${width}`);
        // Any ancestor that clips (overflow other than visible) must hold the plot's full width.
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX === 'visible') continue;
          const ar = a.getBoundingClientRect();
          if (r.left < ar.left - 0.5 || r.right > ar.right + 0.5)
            problems.push(
              `${name}: clipped by ${a.className || a.tagName} (${ar.left.toFixed(0)}..${ar.right.toFixed(0)})`,
            );
        }
      }
      return {
        plots: plots.length,
        problems,
        scrollWidth: document.documentElement.scrollWidth,
        width,
      };
    });
    // Two embeddings, the spectrum, the heat map and four metric plots (GCN: no attention plot).
    expect(report.plots).toBe(8);
    expect(report.problems).toEqual([]);
    expect(report.scrollWidth).toBeLessThanOrEqual(report.width);
    await page.close();
  });

  // A phone-wide window, and a projector in presentation mode (18 px type).
  const DEPTH_PLOTS =
    '[data-testid="spectrum-svg"], [data-testid="heatmap-svg"], svg[data-testid^="metric-"]';
  for (const [what, hash, viewport, plots, ready] of [
    ['a phone-wide window (600×900)', '#L=64', { width: 600, height: 900 }, DEPTH_PLOTS, 'depth'],
    ['presentation mode at 1280×720', '#L=64&pres=1', { width: 1280, height: 720 }, DEPTH_PLOTS, 'depth'],
    // Five metric plots in a row: the transformer's attention similarity too.
    [
      'a transformer at 600×900',
      '#L=16&model=transformer',
      { width: 600, height: 900 },
      DEPTH_PLOTS,
      'depth',
    ],
    [
      'the SimSiam/BYOL view at 600×900',
      '#v=noncontrastive&ncSig=0.5',
      { width: 600, height: 900 },
      '.nc-grid svg',
      'nc',
    ],
    [
      'the SimSiam/BYOL view in presentation mode',
      '#v=noncontrastive&pres=1',
      { width: 1280, height: 720 },
      '.nc-grid svg',
      'nc',
    ],
    [
      'the gradients at 600×900',
      '#v=training&tp=gradients',
      { width: 600, height: 900 },
      '.tr-stage svg',
      null,
    ],
    [
      'the training view at 600×900',
      '#v=training&tp=train',
      { width: 600, height: 900 },
      '.tr-stage svg',
      null,
    ],
  ] as const) {
    it(`${what}: no label in a plot runs into another, under an (i) or out of the plot`, async () => {
      const page = await open(browser, hash, viewport);
      if (ready === 'depth') {
        // Both panels drawn, so that the spectrum's legend has both entries (the longest case).
        await waitForPoints(page, 'A');
        await waitForPoints(page, 'B');
        await page.waitForFunction(
          () =>
            document.querySelectorAll('[data-testid="spectrum-svg"] [data-testid^="spectrum-"] circle')
              .length > 0,
        );
      } else if (ready === 'nc') {
        // The run's last step drawn: every title carries its final count.
        await page.waitForFunction(() => /At step \d+/.test(document.body.textContent ?? ''));
      }
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, plots);
      expect(await page.evaluate(labelCollisions, plots)).toEqual([]);
      await page.close();
    });
  }

  it("a narrow window (900×1000): the training view's plots keep a bounded size, above its controls", async () => {
    // There the page scrolls and a plot's container follows its content: a plot sized from its
    // container grew both without end (16 million pixels) and ran under the controls.
    for (const tab of ['gradients', 'train', 'sweep']) {
      const page = await open(browser, `#v=training&tp=${tab}`, { width: 900, height: 1000 });
      await page.waitForFunction(() => document.querySelectorAll('.tr-stage svg').length > 0);
      // Two animation frames: time for a resize feedback loop to show itself.
      for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise(requestAnimationFrame));
      const layout = await page.evaluate(() => {
        const plots = [...document.querySelectorAll('.tr-stage svg')].map((e) => e.getBoundingClientRect());
        const side = document.querySelector('.tr-side')!.getBoundingClientRect();
        return {
          tallest: Math.max(...plots.map((r) => r.height)),
          lowest: Math.max(...plots.map((r) => r.bottom)),
          sideTop: side.top,
        };
      });
      expect(layout.tallest, `${tab}: the tallest plot`).toBeLessThanOrEqual(600);
      expect(layout.lowest, `${tab}: plots end above the controls`).toBeLessThanOrEqual(layout.sideTop);
      await page.close();
    }
  });

  it('a GPU device lost in an engine worker recovers by itself, and the page says so', async () => {
    // The GPU engine asked for: on a software adapter the page would otherwise run the CPU engine.
    // Both panels ContraNorm, so that both rerun when s changes.
    const page = await open(browser, '#L=8&eng=gpu&nA=contranorm');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    expect(await page.evaluate(() => window.lecture!.getState().engine.kind)).toBe('gpu');
    const engines = page.workers().filter((w) => w.url().includes('/src/engine/worker'));
    expect(engines.length).toBe(2);
    // No debug message in the worker protocol is needed: the next command encoder an engine
    // creates destroys its device first, as a driver reset would.
    for (const w of engines)
      await w.evaluate(`(() => {
        const proto = GPUDevice.prototype;
        const original = proto.createCommandEncoder;
        proto.createCommandEncoder = function (...args) {
          proto.createCommandEncoder = original;
          this.destroy();
          return original.apply(this, args);
        };
      })()`);
    await page.evaluate(() => window.lecture!.getState().set({ s: 1.3 }));
    await expect
      .poll(() => page.getByTestId('toast').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringMatching(/GPU device was lost.*Restarting the engine/));
    // Both panels get the new setting's result from the restarted engines, and draw it.
    expect(await waitForPoints(page, 'A')).toBe(300);
    expect(await waitForPoints(page, 'B')).toBe(300);
    const state = await page.evaluate(() => {
      const s = window.lecture!.getState();
      return {
        kind: s.engine.kind,
        errors: [s.panels.A.error, s.panels.B.error],
        s: [s.panels.A.result!.config.norm.s, s.panels.B.result!.config.norm.s],
      };
    });
    expect(state).toEqual({ kind: 'gpu', errors: [null, null], s: [1.3, 1.3] });
    await page.close();
  });
});

/** In the page: every text label of the plots that overlaps another, an (i) link, or leaves its plot. */
function labelCollisions(selector: string): string[] {
  const out: string[] = [];
  const boxes = (root: Element, selector: string) =>
    [...root.querySelectorAll(selector)]
      .map((el) => ({ text: el.textContent ?? '', r: el.getBoundingClientRect() }))
      .filter((b) => b.r.width > 0 && b.text.trim() !== '');
  const overlap = (a: DOMRect, b: DOMRect) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (const svg of document.querySelectorAll(selector)) {
    const name = svg.getAttribute('data-testid') ?? svg.closest('[data-testid]')?.getAttribute('data-testid');
    const frame = svg.getBoundingClientRect();
    const texts = boxes(svg, 'text');
    // The definition links' (i) buttons over the plot's corner (its panel holds them).
    const links = boxes(svg.closest('.panel') ?? svg, '.def-link');
    texts.forEach((t, i) => {
      if (t.r.left < frame.left - 1 || t.r.right > frame.right + 1)
        out.push(`${name}: "${t.text}" runs out of the plot`);
      for (const u of texts.slice(i + 1))
        if (overlap(t.r, u.r)) out.push(`${name}: "${t.text}" runs into "${u.text}"`);
      for (const l of links) if (overlap(t.r, l.r)) out.push(`${name}: "${t.text}" under an (i)`);
    });
  }
  return out;
}
