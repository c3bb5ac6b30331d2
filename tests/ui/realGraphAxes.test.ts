// A real graph with its raw features in the depth view (Cora: 2,708 nodes, 1,433 features) at
// 1280×720: the heat map's 1,433 singular values go on a log index axis of one row per pixel,
// and the effective-rank axis turns logarithmic, so that the hidden layers stay readable.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const CORA = '../shared/datasets/pygcn-cora';
const haveCora = existsSync(`${CORA}/cora.content`) && existsSync(`${CORA}/cora.cites`);

describe.skipIf(!haveCora)('raw Cora in the depth view', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws 1,433 singular values on a log index axis, one row per pixel, and a log effective-rank axis', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    forwardPageErrors(page, 'raw-cora');
    await page.goto(`${inject('harnessBaseUrl')}/index.html#L=4&cmp=0`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.lecture !== undefined);
    await waitForPoints(page, 'A');
    await page.locator('.load-details > summary').click();
    await page.getByTestId('data-reduction').selectOption('raw');
    await page.getByTestId('data-file-input').setInputFiles([`${CORA}/cora.content`, `${CORA}/cora.cites`]);
    await page.waitForFunction(() => window.lecture!.getState().graphData === 'loaded', undefined, {
      timeout: 300_000,
    });
    // The old picture can still count as settled right after the switch: wait for Cora's nodes.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="points-A"]')?.getAttribute('data-drawn-points') === '2708',
      undefined,
      { timeout: 300_000, polling: 200 },
    );
    await waitForPoints(page, 'A', 300_000);
    const heat = page.getByTestId('heatmap-A');
    await expect
      .poll(async () => Number(await heat.getAttribute('data-rows')), { timeout: 120_000 })
      .toBe(1433);
    expect(await heat.getAttribute('data-row-scale')).toBe('log');
    // One image row per pixel of the block, not 1,433 rows squeezed into it.
    const drawn = Number(await heat.getAttribute('data-drawn-rows'));
    const box = (await heat.locator('image').boundingBox())!;
    expect(Math.abs(drawn - box.height)).toBeLessThan(1.01);
    expect(drawn).toBeLessThan(400);
    // Labelled 1, 10, 100, 1000 (where they fit) and 1433 at the bottom; the rule is stated.
    const ticks = await heat.getByTestId('heatmap-row-ticks').locator('text').allTextContents();
    expect(ticks.at(-1)).toBe('1433');
    expect(ticks).toContain('1');
    expect(await page.getByTestId('heatmap-row-rule').textContent()).toContain('log i');
    // Layer 0 (1,433 raw features) and the 16-wide layers after it on one readable axis.
    const erank = page.getByTestId('metric-effectiveRank');
    await expect.poll(() => erank.getAttribute('data-scale')).toBe('log');
    const ranks = await page.evaluate(() =>
      window.lecture!.getState().panels.A.result!.layers.map((l) => l.metrics.effectiveRank),
    );
    console.log('raw Cora effective rank per layer', ranks.map((r) => r.toFixed(1)).join(', '));
    expect(ranks[0]).toBeGreaterThan(64);
    if (process.env.LECTURE_HALL_SHOTS)
      await page.screenshot({ path: `${process.env.LECTURE_HALL_SHOTS}/raw-cora.png` });
    await page.close();
  });
});
