// Recorded hidden states on the real page (headless Chromium): the shipped example (GCNs trained
// on part of Cora) loads from public/ and the depth view draws its stacks with their spectra and
// metrics; a panel handed back to the engine computes on the same inputs; a broken file gets a
// message naming it and leaves the page working.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  forwardPageErrors(page, 'recorded');
  // A small default run (L = 2), so the engines are idle when the recording arrives.
  await page.goto(`${base()}#L=2&cmp=0`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 180_000 });
  await waitForPoints(page, 'A', 180_000);
  return page;
}

/** What each panel's result says about itself. */
function panels(page: Page) {
  return page.evaluate(() =>
    (['A', 'B'] as const).map((p) => {
      const r = window.lecture!.getState().panels[p].result;
      return r
        ? {
            recorded: r.recorded?.model ?? null,
            layers: r.layers.length,
            n: r.n,
            dataset: r.config.dataset,
            erank: r.layers.map((l) => l.metrics.effectiveRank),
            mu: r.layers.map((l) => l.metrics.mu),
            frobenius: r.layers.map((l) => l.metrics.frobenius),
            dirichlet: r.layers.map((l) => l.metrics.dirichlet),
          }
        : null;
    }),
  );
}

describe('recorded hidden states on the page', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
    page = await open(browser);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('the shipped example: two recorded stacks, their points, spectra, heat maps and metric curves', async () => {
    await page.getByTestId('recorded-section').locator('summary').click();
    await page.getByTestId('recorded-example').click();
    await page.getByTestId('recorded-title-A').waitFor({ timeout: 120_000 });
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
    const [a, b] = await panels(page);
    expect(a!.recorded).toBe('gcn32-none');
    expect(b!.recorded).toBe('gcn32-contranorm');
    expect(a!.layers).toBe(33);
    expect(a!.n).toBe(300);
    // The recording carries its graph: Dirichlet energy is defined at every layer.
    expect(a!.dirichlet.every((v) => typeof v === 'number' && v >= 0)).toBe(true);
    // The trained plain 32-layer GCN loses its signal: ‖H‖ falls by orders of magnitude per layer
    // (stored as float16, exactly 0 from layer 8 on); with ContraNorm it keeps its scale and rank.
    expect(a!.frobenius[8]).toBeLessThan(1e-6 * a!.frobenius[0]);
    expect(b!.frobenius[32]).toBeGreaterThan(0.5 * b!.frobenius[0]);
    expect(b!.erank[32]).toBeGreaterThan(1);
    expect(await page.getByTestId('recorded-title-A').textContent()).toMatch(
      /recorded gcn32-none · N 300 · d 16 · L 32/,
    );
    expect(await page.getByTestId('what-you-see').textContent()).toMatch(
      /Left: recorded gcn32-none, right: recorded gcn32-contranorm \(same inputs\)/,
    );
    const state = await page.evaluate(() => {
      const s = window.lecture!.getState();
      return { layers: s.layers, depth: s.depth, compare: s.compare, model: s.model };
    });
    expect(state).toEqual({ layers: 32, depth: 32, compare: true, model: 'gnn' });
    // Spectra of both panels at a layer where the plain stack is not yet 0, a heat map each, and
    // both metric curves.
    await page.evaluate(() => window.lecture!.getState().set({ depth: 3 }));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="heatmap-svg"]')?.getAttribute('data-current-layer') === '3',
    );
    for (const id of ['A', 'B']) {
      await page.waitForFunction(
        (p) =>
          Number(document.querySelector(`[data-testid="spectrum-${p}"]`)?.getAttribute('data-points')) > 0,
        id,
      );
      expect(Number(await page.getByTestId(`heatmap-${id}`).getAttribute('data-columns'))).toBe(33);
    }
    for (const metric of ['effectiveRank', 'meanCosine', 'mu']) {
      const paths = await page
        .getByTestId(`metric-${metric}`)
        .locator('path[stroke-width="2.5"]')
        .evaluateAll((els) => els.map((e) => (e.getAttribute('d') ?? '').split(/[LM]/).length - 1));
      // The plain stack's curve stops where its layers are 0 (no rank, no cosine there).
      expect(paths[1]).toBe(33);
      expect(paths[0]).toBeGreaterThanOrEqual(5);
    }
    // Not stale: a recorded panel has no settings to wait for.
    expect(await page.getByTestId('embedding-A').getAttribute('data-stale')).toBe('false');
    await page.screenshot({ path: 'test-results/recorded-example.png' });
  }, 300_000);

  it('the right panel handed back to the engine computes on the recording’s inputs', async () => {
    await page.getByTestId('recorded-choice-B').selectOption('');
    await page.getByTestId('norm-B').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForPoints(page, 'B', 180_000);
    const [a, b] = await panels(page);
    expect(a!.recorded).toBe('gcn32-none');
    expect(b!.recorded).toBeNull();
    expect(b!.layers).toBe(33);
    expect(b!.dataset).toEqual(a!.dataset);
    // Same layer 0: the computed stack starts from the recording's inputs.
    expect(b!.erank[0]).toBeCloseTo(a!.erank[0], 4);
    expect(b!.mu[0]).toBeCloseTo(a!.mu[0], 4);
    // And back to a recorded stack.
    await page.getByTestId('recorded-choice-B').selectOption({ label: 'gcn2-contranorm · L 2 · d 16' });
    await page.getByTestId('recorded-title-B').waitFor({ timeout: 60_000 });
    await waitForPoints(page, 'B');
    expect((await panels(page))[1]!.recorded).toBe('gcn2-contranorm');
  }, 300_000);

  it('a broken file: a message naming it, and the recording in place stays', async () => {
    await page.getByTestId('recorded-file-input').setInputFiles([
      {
        name: 'broken.npz',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from('PK\u0003\u0004 not really'),
      },
    ]);
    const error = page.getByTestId('recorded-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/^broken\.npz: .*The data in place is unchanged\./);
    const [a] = await panels(page);
    expect(a!.recorded).toBe('gcn32-none');
    await waitForPoints(page, 'A');
  }, 120_000);
});
