// The page as a lecture hall sees it at 1280×720 (a projector): type size in the normal view
// and in presentation mode.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';
import { smallestVisibleText } from './fontSizes';

const CORA = '../shared/datasets/pygcn-cora';
const haveCora = existsSync(`${CORA}/cora.content`) && existsSync(`${CORA}/cora.cites`);

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  forwardPageErrors(page, 'lecture-hall');
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined);
  return page;
}

describe('lecture hall at 1280×720', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [mode, hash, floor] of [
    ['normal view', '#L=32&d=24', 14],
    ['presentation mode', '#L=32&d=24&pres=1', 18],
  ] as const) {
    it(`shows no text under ${floor} px in the ${mode}, and the title on one line`, async () => {
      const page = await open(browser, hash);
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      // LECTURE_HALL_SHOTS=dir keeps a screenshot of each mode, to look at while changing the layout.
      if (process.env.LECTURE_HALL_SHOTS)
        await page.screenshot({ path: `${process.env.LECTURE_HALL_SHOTS}/${mode.replace(' ', '-')}.png` });
      const smallest = await page.evaluate(smallestVisibleText, 12);
      console.log(`${mode}: smallest visible text`, JSON.stringify(smallest.slice(0, 12), null, 0));
      expect(smallest.length).toBeGreaterThan(0);
      expect(smallest[0]!.px, JSON.stringify(smallest[0])).toBeGreaterThanOrEqual(floor - 0.01);
      const title = await page.locator('h1').boundingBox();
      const lineHeight = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).lineHeight));
      expect(title!.height).toBeLessThan(1.5 * lineHeight);
      // Every definition link (i) that is on screen can be clicked: nothing is drawn over it.
      const covered = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.def-link'))
          .filter((el) => el.checkVisibility())
          .map((el) => {
            const r = el.getBoundingClientRect();
            const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
            return top && (el === top || el.contains(top))
              ? null
              : `${el.outerHTML.slice(0, 60)} under ${top?.tagName}`;
          })
          .filter((x) => x !== null),
      );
      expect(covered).toEqual([]);
      if (mode === 'normal view') {
        // The view tabs and the header buttons share one row with the title.
        const mids = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.view-tabs button, .top-actions > *')).map((e) => {
            const r = e.getBoundingClientRect();
            return (r.top + r.bottom) / 2;
          }),
        );
        expect(Math.max(...mids) - Math.min(...mids), JSON.stringify(mids)).toBeLessThan(10);
        // Every visible control explains itself in a tooltip (its own title or its label's).
        const untitled = await page.evaluate(() =>
          Array.from(document.querySelectorAll('input, select, button, summary'))
            .filter((el) => el.checkVisibility() && !el.closest('[title]'))
            .map((el) => el.outerHTML.slice(0, 80)),
        );
        expect(untitled).toEqual([]);
        // First-visit guidance: shown once, gone for good after "Got it".
        expect(await page.getByTestId('start-here').isVisible()).toBe(true);
        await page.getByTestId('start-here-close').click();
        expect(await page.getByTestId('start-here').count()).toBe(0);
        await page.reload({ waitUntil: 'load' });
        await page.waitForFunction(
          () => window.lecture !== undefined && document.querySelector('[data-testid="app"]'),
        );
        expect(await page.getByTestId('start-here').count()).toBe(0);
      } else expect(await page.getByTestId('start-here').count()).toBe(0);
      await page.close();
    });
  }

  it('a plain visit plays the depth from 0 to L once, drawing every stage; a link with settings opens as it says', async () => {
    const page = await open(browser, '');
    // Playing starts once both panels have drawn layer 0, and stops by itself at the last layer.
    await page.waitForFunction(() => window.lecture!.getState().playing, undefined, { timeout: 120_000 });
    const drawnBefore = await page.evaluate(() =>
      (window.__collapseViz?.frames ?? []).filter((f) => f.panel === 'A').map((f) => f.depth),
    );
    expect(drawnBefore.length).toBeGreaterThan(0);
    // The first picture is layer 0 (on a busy machine the animation may have moved on by the
    // time this reads the log, so only the first frame is held to it).
    expect(drawnBefore[0]).toBeLessThan(1);
    await page.waitForFunction(
      () => {
        const s = window.lecture!.getState();
        return !s.playing && s.depth === s.layers;
      },
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    // The frame log keeps the newest 1,000 drawings: the later part of the animation.
    const { layers, depths } = await page.evaluate(() => ({
      layers: window.lecture!.getState().layers,
      depths: (window.__collapseViz?.frames ?? []).filter((f) => f.panel === 'A').map((f) => f.depth),
    }));
    expect(layers).toBeGreaterThan(8);
    // Drawn in order through the middle to L, never back.
    expect(depths.some((d) => d > layers / 4 && d < (3 * layers) / 4)).toBe(true);
    expect(depths.at(-1)).toBe(layers);
    for (let i = 1; i < depths.length; i++) expect(depths[i]).toBeGreaterThanOrEqual(depths[i - 1]!);
    await page.close();

    const linked = await open(browser, '#L=8');
    await waitForPoints(linked, 'A');
    await waitForPoints(linked, 'B');
    const after = await linked.evaluate(
      () =>
        new Promise<{ playing: boolean; depth: number }>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.lecture!.getState()))),
        ),
    );
    expect(after.playing).toBe(false);
    expect(after.depth).toBe(0);
    await linked.close();
  });

  it('an s change reruns only the ContraNorm panel; the other keeps its picture, the formula the drawn values', async () => {
    const page = await open(browser, '#L=8');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    const before = await page.evaluate(() => {
      const w = window as unknown as { runsStarted: Record<string, number> };
      w.runsStarted = { A: 0, B: 0 };
      window.lecture!.subscribe((s, prev) => {
        for (const p of ['A', 'B'] as const)
          if (s.panels[p].running && !prev.panels[p].running) w.runsStarted[p]!++;
      });
      return { s: window.lecture!.getState().s, frames: window.__collapseViz!.frames.length };
    });
    // Right after the change (within the debounce): B is marked stale, the formula shows the drawn s.
    const during = await page.evaluate(
      (s) =>
        new Promise<{
          staleA: string | null;
          staleB: string | null;
          formulaS: string | null;
          formulaStale: string | null;
        }>((resolve) => {
          window.lecture!.getState().set({ s });
          requestAnimationFrame(() => {
            const attr = (id: string, a: string) =>
              document.querySelector(`[data-testid="${id}"]`)!.getAttribute(a);
            resolve({
              staleA: attr('embedding-A', 'data-stale'),
              staleB: attr('embedding-B', 'data-stale'),
              formulaS: attr('formula', 'data-s'),
              formulaStale: attr('formula', 'data-stale'),
            });
          });
        }),
      before.s + 0.5,
    );
    expect(during).toEqual({
      staleA: 'false',
      staleB: 'true',
      formulaS: String(before.s),
      formulaStale: 'true',
    });
    await page.waitForFunction(
      (s) => window.lecture!.getState().panels.B.result?.config.norm.s === s && window.lectureSettled!('B'),
      before.s + 0.5,
      { timeout: 120_000, polling: 100 },
    );
    await waitForPoints(page, 'B');
    const after = await page.evaluate((from) => {
      const frames = window.__collapseViz!.frames.slice(from);
      return {
        runsStarted: (window as unknown as { runsStarted: Record<string, number> }).runsStarted,
        drawnA: frames.filter((f) => f.panel === 'A').length,
        drawnB: frames.filter((f) => f.panel === 'B').map((f) => f.config.norm.s),
        formulaS: document.querySelector('[data-testid="formula"]')!.getAttribute('data-s'),
        staleB: document.querySelector('[data-testid="embedding-B"]')!.getAttribute('data-stale'),
      };
    }, before.frames);
    expect(after.runsStarted).toEqual({ A: 0, B: 1 });
    expect(after.drawnA).toBe(0);
    expect(after.drawnB.at(-1)).toBe(before.s + 0.5);
    expect(after.formulaS).toBe(String(before.s + 0.5));
    expect(after.staleB).toBe('false');
    await page.close();
  });

  it('Copy link gives a short link that reproduces the view; the classroom link shows only picture, explanation and named controls', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: inject('harnessBaseUrl'),
    });
    const page = await context.newPage();
    forwardPageErrors(page, 'copy-link');
    await page.goto(`${base()}#L=16&n=120&s=1.35&tau=0.5&d=12`, { waitUntil: 'load' });
    await waitForPoints(page, 'A');
    const primitives = (p: Page) =>
      p.evaluate(() => {
        const s = window.lecture!.getState() as unknown as Record<string, unknown>;
        return Object.fromEntries(
          Object.entries(s).filter(([, v]) => typeof v !== 'function' && typeof v !== 'object'),
        );
      });

    await page.getByTestId('copy-link').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const hash = link.slice(link.indexOf('#') + 1);
    console.log(`copied link: ${link.length} characters, hash "${hash}" (${hash.length})`);
    expect(hash.split('&').sort()).toEqual(['L=16', 'd=12', 'n=120', 's=1.35', 'tau=0.5']);
    const again = await context.newPage();
    await again.goto(link, { waitUntil: 'load' });
    await waitForPoints(again, 'A');
    const [was, now] = [await primitives(page), await primitives(again)];
    for (const k of Object.keys(was)) if (k !== 'helpOpen') expect([k, now[k]]).toEqual([k, was[k]]);
    await again.close();

    await page.getByTestId('copy-classroom-link').click();
    const classLink = await page.evaluate(() => navigator.clipboard.readText());
    console.log(`classroom link: ${classLink.length} characters`);
    expect(classLink.length).toBeLessThan(link.length + 40);
    const cls = await context.newPage();
    await cls.goto(classLink, { waitUntil: 'load' });
    await waitForPoints(cls, 'A');
    await waitForPoints(cls, 'B');
    if (process.env.LECTURE_HALL_SHOTS)
      await cls.screenshot({ path: `${process.env.LECTURE_HALL_SHOTS}/classroom.png` });
    expect(await cls.getByTestId('app').getAttribute('data-classroom')).toBe('true');
    for (const hidden of [
      'controls',
      'preset-select',
      'view-tab-depth',
      'copy-link',
      'presentation-toggle',
      'export-svg',
    ])
      expect(await cls.getByTestId(hidden).isVisible(), hidden).toBe(false);
    for (const shown of [
      'points-A',
      'points-B',
      'what-you-see',
      'formula',
      'depth-slider',
      'classroom-controls',
    ])
      expect(await cls.getByTestId(shown).isVisible(), shown).toBe(true);
    // The named controls (s and τ), and only those besides the depth bar.
    expect(await cls.getByTestId('classroom-controls').locator('input[type="range"]').count()).toBe(2);
    expect((await cls.evaluate(smallestVisibleText, 1))[0]!.px).toBeGreaterThanOrEqual(18);
    await context.close();
  });

  it.skipIf(!haveCora)(
    'Cora loaded in the depth view is reduced by PCA to 64 features by default, and says so',
    async () => {
      const page = await open(browser, '#L=2&cmp=0');
      await waitForPoints(page, 'A');
      await page.locator('.load-details > summary').click();
      expect(await page.getByTestId('data-reduction').inputValue()).toBe('pca');
      expect(await page.getByTestId('data-reduction-dim').inputValue()).toBe('64');
      await page.getByTestId('data-file-input').setInputFiles([`${CORA}/cora.content`, `${CORA}/cora.cites`]);
      await page.waitForFunction(() => window.lecture!.getState().graphData === 'loaded', undefined, {
        timeout: 300_000,
      });
      const summary = page.getByTestId('data-summary');
      expect(await summary.locator('[data-summary-key="Feature dim."]').textContent()).toBe(
        '64 (PCA 1,433 → 64)',
      );
      // The loaded flag can be set a moment before the panel's new run starts, while the old
      // 300-node picture still counts as settled: wait for Cora's picture itself.
      await page.waitForFunction(
        () =>
          window.lectureSettled?.('A') &&
          document.querySelector('[data-testid="points-A"]')?.getAttribute('data-drawn-points') === '2708',
        undefined,
        { timeout: 300_000, polling: 200 },
      );
      // The heat map has one row per singular value of the 64-wide features, not 1,433.
      await expect
        .poll(async () => Number(await page.getByTestId('heatmap-A').getAttribute('data-rows')), {
          timeout: 60_000,
        })
        .toBeGreaterThan(0);
      expect(Number(await page.getByTestId('heatmap-A').getAttribute('data-rows'))).toBeLessThanOrEqual(64);
      await page.close();
    },
  );
});
