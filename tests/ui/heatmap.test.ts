// The spectrum heat map (depth × singular-value index) and the embedding view's graph edges
// and neighbourhood highlight, in headless Chromium. Small runs only (n ≤ 300, L ≤ 16).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { buildDataset } from '../../src/data/datasets';
import { DEFAULTS, type LectureState } from '../../src/state/page';
import { engineConfig } from '../../src/state/depth';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  forwardPageErrors(page, 'lecture');
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined);
  return page;
}

function attr(page: Page, testId: string, name: string): Promise<string | null> {
  return page.getByTestId(testId).getAttribute(name);
}

async function lectureState(page: Page): Promise<LectureState> {
  const raw = await page.evaluate(() => {
    const s = window.lecture!.getState();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (typeof v !== 'function' && typeof v !== 'object') out[k] = v;
    return out;
  });
  return { ...DEFAULTS, ...raw } as LectureState;
}

describe('spectrum heat map and graph view', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws L+1 columns per panel, marks the current depth, hatches non-finite layers', async () => {
    const page = await open(browser, '#L=12&n=200&d=5');
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    for (const id of ['A', 'B']) {
      await expect.poll(() => attr(page, `heatmap-${id}`, 'data-columns')).toBe('13');
      expect(Number(await attr(page, `heatmap-${id}`, 'data-rows'))).toBe(16);
      expect(await page.getByTestId(`heatmap-${id}`).locator('image').count()).toBe(1);
    }
    expect(await attr(page, 'heatmap-depth', 'data-layer')).toBe('5');
    expect(await attr(page, 'heatmap-svg', 'data-export-name')).toBe('spectrum-heatmap');
    // Without normalization the spectrum collapses: some values fall under the float32 floor.
    expect(Number(await attr(page, 'heatmap-A', 'data-below-floor'))).toBeGreaterThan(0);
    // The marker follows the depth.
    await page.evaluate(() => window.lecture!.getState().set({ depth: 9 }));
    await expect.poll(() => attr(page, 'heatmap-depth', 'data-layer')).toBe('9');
    // Clicking a column moves the depth there.
    const svg = page.getByTestId('heatmap-svg');
    const box = (await page.getByTestId('heatmap-A').locator('image').boundingBox())!;
    await svg.click({
      position: {
        x: box.x - (await svg.boundingBox())!.x + (box.width * 2.5) / 13,
        y: box.y - (await svg.boundingBox())!.y + box.height / 2,
      },
    });
    expect((await lectureState(page)).depth).toBe(2);
    // A run with non-finite layers (injected): hatched from the first one on, not drawn as data.
    await page.evaluate(() => {
      const s = window.lecture!.getState();
      const r = s.panels.A.result!;
      s.setPanel('A', { result: { ...r, firstNonFinite: 8 } });
    });
    await expect.poll(() => page.getByTestId('heatmap-nonfinite-A').count()).toBe(1);
    expect(await attr(page, 'heatmap-A', 'data-first-nonfinite')).toBe('8');
    await page.close();
  });

  it('draws graph edges on demand, and highlights a clicked node with its neighbours', async () => {
    const page = await open(browser, '#L=4&n=120&cmp=0');
    await waitForPoints(page, 'A');
    expect(await attr(page, 'points-A', 'data-drawn-edges')).toBe('0');
    const state = await lectureState(page);
    const graph = buildDataset(engineConfig(state, 'A').dataset).graph!;
    const edgeCount = graph.colIdx.length / 2;
    expect(edgeCount).toBeGreaterThan(0);

    // The checkbox in the View controls; the URL keeps it.
    await page.getByLabel('Graph edges').check();
    await expect.poll(() => attr(page, 'points-A', 'data-drawn-edges')).toBe(String(edgeCount));
    expect((await lectureState(page)).edges).toBe(true);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('edges=1');

    // Click a node with neighbours: it and its neighbours are highlighted.
    let node = 0;
    while (graph.rowPtr[node + 1] === graph.rowPtr[node]) node++;
    const pos = (await page.evaluate((i) => window.lectureNodePosition!('A', i), node))!;
    await page.getByTestId('points-A').click({ position: pos });
    const picked = Number(await attr(page, 'points-A', 'data-selected-node'));
    const degree = new Set(graph.colIdx.subarray(graph.rowPtr[picked], graph.rowPtr[picked + 1])).size;
    expect(degree).toBeGreaterThan(0);
    expect(Number(await attr(page, 'points-A', 'data-highlighted'))).toBe(1 + degree);

    // Empty space (a corner, outside the unit disc) clears the highlight.
    await page.getByTestId('points-A').click({ position: { x: 3, y: 3 } });
    await expect.poll(() => attr(page, 'points-A', 'data-highlighted')).toBe('0');
    expect(await attr(page, 'points-A', 'data-selected-node')).toBe('');

    // Off again: no edges drawn.
    await page.getByLabel('Graph edges').uncheck();
    await expect.poll(() => attr(page, 'points-A', 'data-drawn-edges')).toBe('0');
    if (process.env.HEATMAP_SHOT) await page.screenshot({ path: process.env.HEATMAP_SHOT });
    await page.close();
  });
});
