// Theory beside measurement on the page (src/views/TheoryPlots.tsx, shown in the metric row's place
// when `theory` is on): the GCN bound drawn for the
// panel that meets its assumptions and refused, with the reason, for the one that does not; the
// rank-collapse plot for self-attention; the uniformity loss for both panels; the definitions
// reachable from the plots. SCREENSHOTS=1 also rewrites docs/theory.png and docs/theory-definition.png.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

/** The number of drawn vertices of a path (0 for none). */
async function vertices(page: Page, testId: string): Promise<number> {
  const d = await page.getByTestId(testId).getAttribute('d');
  return (d?.match(/[ML]/g) ?? []).length;
}

describe('theory overlays on the page', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    forwardPageErrors(page);
    await page.addInitScript({ content: "localStorage.setItem('collapse-viz:start-here-dismissed', '1');" });
    await page.goto(base());
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('GCN: the bound for the plain panel, the reason for the normalized one, uniformity for both', async () => {
    await page.evaluate(() => window.lecture!.getState().loadPreset('gcn-oversmoothing'));
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    expect(await page.getByTestId('theory-limitDistance').count()).toBe(0);
    await page.getByLabel('Theory beside measurement').check();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('thy=1');
    await page.evaluate(() => window.lecture!.getState().set({ depth: 40, playing: false }));
    // The theory plots take the metric row's place.
    await expect.poll(() => page.getByTestId('metric-effectiveRank').count()).toBe(0);
    const layers = 64;
    await expect
      .poll(() => vertices(page, 'theory-limitDistance-bound-A'), { timeout: 30_000 })
      .toBe(layers + 1);
    expect(await page.getByTestId('theory-limitDistance-label-A').textContent()).toMatch(
      /^A \(none\): s_W·λ = [\d.]+ × 0\.\d\d = [\d.]+ (< 1: smoothing certain|≥ 1: bound grows)$/,
    );
    expect(await page.getByTestId('theory-limitDistance-label-B').textContent()).toBe(
      'B (ContraNorm): no bound with a normalization',
    );
    expect(await page.getByTestId('theory-limitDistance-bound-B').count()).toBe(0);
    // Measured distances are drawn down to the float32 floor of the page's engine, at least a few layers.
    expect(await vertices(page, 'theory-limitDistance-measured-A')).toBeGreaterThan(5);
    expect(await vertices(page, 'theory-limitDistance-measured-B')).toBe(layers + 1);
    const tip = await page.getByTestId('theory-limitDistance').locator('title').textContent();
    expect(tip).toMatch(/A: λ = 0\.\d\d/);
    expect(tip).toContain('B: no bound drawn: a normalization rescales the rows after each layer.');
    expect(await vertices(page, 'theory-uniformity-measured-A')).toBe(layers + 1);
    expect(await vertices(page, 'theory-uniformity-measured-B')).toBe(layers + 1);
    if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: 'docs/theory.png' });

    await page.getByTestId('def-link-limitDistance').click();
    const card = page.getByTestId('definition-limitDistance');
    await expect.poll(() => card.getAttribute('class')).toContain('highlight');
    expect(await card.locator('.katex').count()).toBeGreaterThan(0);
    expect(await card.locator('.katex-error').count()).toBe(0);
    if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: 'docs/theory-definition.png' });
    await page.keyboard.press('Escape');
    await page.getByTestId('def-link-uniformity').click();
    await expect
      .poll(() => page.getByTestId('definition-uniformity').getAttribute('class'))
      .toContain('highlight');
    await page.keyboard.press('Escape');
  });

  it('self-attention: the rank-collapse plot, vacuous bound said so, LayerNorm refused', async () => {
    await page.evaluate(() => window.lecture!.getState().loadPreset('attention-rank-collapse'));
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    // The setting survives a preset.
    expect(await page.evaluate(() => window.lecture!.getState().theory)).toBe(true);
    await expect
      .poll(() => page.getByTestId('theory-rankCollapse-label-A').textContent(), { timeout: 30_000 })
      .toMatch(/^A \(none\): √c₁·‖res\(X\)‖ = [\d.e+]+ ≥ 1: bound grows \(vacuous\)$/);
    expect(await page.getByTestId('theory-rankCollapse-label-B').textContent()).toBe(
      'B (LayerNorm): no bound with a normalization',
    );
    if (process.env.SCREENSHOTS === '1') await page.screenshot({ path: 'docs/theory-attention.png' });
    expect(await vertices(page, 'theory-rankCollapse-measured-A')).toBeGreaterThan(1);
    await page.getByTestId('def-link-rankCollapse').click();
    await expect
      .poll(() => page.getByTestId('definition-rankCollapse').getAttribute('class'))
      .toContain('highlight');
    await page.keyboard.press('Escape');
    await page.getByLabel('Theory beside measurement').uncheck();
    await expect.poll(() => page.getByTestId('metric-effectiveRank').count()).toBe(1);
    expect(await page.getByTestId('theory-rankCollapse').count()).toBe(0);
  });
});
