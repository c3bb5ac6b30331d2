// The gradients-and-training view end to end in headless Chromium: the gradient view's three
// stacks, a training run started from the page whose accuracy rises, and a small depth sweep.
// Numbers are read from the page's store and data attributes, never from pixels. Small graphs
// and few epochs only: the CI machines have two cores and a software GPU.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, hideNavigatorGpu, launchChromium } from '../browser/chromium';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash: string, options: { noWebGpu?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  forwardPageErrors(page, 'training');
  if (options.noWebGpu) await hideNavigatorGpu(page);
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined);
  await page.getByTestId('training-view').waitFor();
  return page;
}

const SMALL_GRAPH = 'tN=120&tk=3&tdeg=6&th=0.85&tfd=16&tsep=1.5&tds=1';

describe('training view', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws the three stacks of the gradient view with finite values', async () => {
    const page = await open(browser, `#v=training&tp=gradients&tgL=32&tgn=none&${SMALL_GRAPH}`);
    // Latest wins: a new depth while the first computation runs replaces it.
    await page.waitForFunction(() => window.trainingRuns?.getState().gradients.status === 'running');
    await page.evaluate(() => window.lecture!.getState().set({ tgLayers: 16 }));
    await page.waitForFunction(
      () => {
        const g = window.trainingRuns?.getState().gradients;
        return g?.status === 'done' && g.configs[0].layers === 16;
      },
      null,
      { timeout: 350_000 },
    );
    const stacks = await page.evaluate(() => {
      const g = window.trainingRuns!.getState().gradients;
      return { stacks: g.stacks, ranOn: g.ranOn, depths: g.configs.map((c) => c.layers) };
    });
    expect(stacks.depths).toEqual([16, 16, 16]);
    for (const id of ['plain', 'residual', 'lipschitz'] as const) {
      const stats = stacks.stacks[id]!;
      expect(stats.map((s) => s.layer)).toEqual(Array.from({ length: 17 }, (_, l) => l));
      for (const s of stats) {
        expect(Number.isFinite(s.gradNorm) && s.gradNorm >= 0).toBe(true);
        expect(s.gradMu).toBeGreaterThanOrEqual(0);
        expect(s.gradMu).toBeLessThanOrEqual(1 + 1e-9);
        expect(s.repMu).toBeGreaterThanOrEqual(0);
      }
      const section = page.getByTestId(`stack-${id}`);
      expect(await section.getAttribute('data-layers')).toBe('17');
      expect(await section.getAttribute('data-finite')).toBe('true');
      // Both plots of the column draw their series: one norm curve, μ(G) and μ(H).
      expect(await page.getByTestId(`grad-norm-${id}`).getAttribute('data-drawn-series')).toBe('1');
      expect(await page.getByTestId(`grad-mu-${id}`).getAttribute('data-drawn-series')).toBe('2');
    }
    // The Lipschitz-bounded stack divides every layer by (1 + α‖W‖₂), so its input-end gradient
    // is smaller than the plain residual stack's.
    expect(stacks.stacks.lipschitz![0].gradNorm).toBeLessThan(stacks.stacks.residual![0].gradNorm);
    // Each column names the trainer that computed it (GPU, or the CPU reference with its reason).
    const kinds = await page
      .getByTestId('stack-trainer')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBe(3);
    for (const k of kinds) expect(k).toMatch(/^(gpu|cpu)$/);
    expect(await page.getByTestId('trainer-kind').getAttribute('data-kind')).toMatch(/^(gpu|cpu|mixed)$/);
    await page.screenshot({ path: '/tmp/training-gradients.png' });
    await page.evaluate(() => window.lecture!.getState().set({ presentation: true }));
    await page.screenshot({ path: '/tmp/training-gradients-presentation.png' });
    await page.evaluate(() => window.lecture!.getState().set({ presentation: false }));
    // A preset resets the view's settings to its own.
    await page.getByTestId('training-preset').selectOption('three-stacks-256');
    const state = await page.evaluate(() => {
      const s = window.lecture!.getState();
      return { depth: s.tgLayers, preset: s.tPreset, pane: s.tPane, hash: window.location.hash };
    });
    expect(state).toMatchObject({ depth: 256, preset: 'three-stacks-256', pane: 'gradients' });
    expect(state.hash).toContain('tgL=256');
    await page.close();
  }, 420_000);

  it('trains a GCN from the page and its accuracy rises', async () => {
    const page = await open(browser, `#v=training&tp=train&tL=2&tn=contranorm&tep=40&tseed=1&${SMALL_GRAPH}`);
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.trainingRuns?.getState().train.status === 'done', null, {
      timeout: 350_000,
    });
    const run = await page.evaluate(() => {
      const t = window.trainingRuns!.getState().train;
      return { epochs: t.epochs, result: t.result, snapshots: t.snapshots.length };
    });
    expect(run.epochs.length).toBe(40);
    expect(run.epochs.every((e) => Number.isFinite(e.loss))).toBe(true);
    const first = run.epochs[0];
    const tail = run.epochs.slice(-10);
    const meanTail = (k: 'trainAcc' | 'testAcc') => tail.reduce((a, e) => a + e[k], 0) / tail.length;
    // Three balanced classes: chance is 1/3. Training must lift both the train and the test accuracy.
    expect(meanTail('trainAcc')).toBeGreaterThan(first.trainAcc + 0.1);
    expect(meanTail('testAcc')).toBeGreaterThan(Math.max(first.testAcc, 0.45));
    expect(tail[tail.length - 1].loss).toBeLessThan(first.loss);
    expect(run.result!.testAccAtBestVal).toBeGreaterThan(0.45);
    // The page shows what the store holds.
    const panel = page.getByTestId('train-panel');
    expect(Number(await panel.getAttribute('data-epochs'))).toBe(40);
    expect(Number(await panel.getAttribute('data-last-test-acc'))).toBeCloseTo(
      tail[tail.length - 1].testAcc,
      10,
    );
    expect(await page.getByTestId('train-accuracy').getAttribute('data-drawn-series')).toBe('3');
    expect(run.snapshots).toBeGreaterThan(1);
    expect(
      Number(await page.locator('[data-testid="train-embedding"] canvas').getAttribute('data-drawn-points')),
    ).toBe(120);
    await page.screenshot({ path: '/tmp/training.png' });
    // The curves export with their configuration.
    const download = page.waitForEvent('download');
    await page.getByTestId('training-export-csv').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^# generator/);
    expect(lines.find((l) => l.startsWith('# config: '))).toContain('"epochs":40');
    const header = lines.findIndex((l) => l === 'epoch,loss,trainAcc,valAcc,testAcc');
    expect(lines.length - header - 1).toBe(40);
    await page.close();
  }, 420_000);

  it('runs a small depth sweep beside the published figures, on the CPU trainer without WebGPU', async () => {
    const cpuBrowser = await launchChromium({ webgpu: false });
    const page = await open(
      cpuBrowser,
      '#v=training&tp=sweep&tswn=none,contranorm&tsws=1&tep=8&tN=60&tk=3&tdeg=5&th=0.85&tfd=16&tsep=1.5',
      { noWebGpu: true },
    );
    await page.getByTestId('sweep-start').click();
    await page.waitForFunction(() => window.trainingRuns?.getState().sweep.status === 'done', null, {
      timeout: 350_000,
    });
    const sweep = await page.evaluate(() => window.trainingRuns!.getState().sweep);
    expect(sweep.points.length + sweep.failures.length).toBe(10);
    expect(sweep.points.map((p) => p.depth).sort((a, b) => a - b)).toEqual([
      2, 2, 4, 4, 8, 8, 16, 16, 32, 32,
    ]);
    for (const p of sweep.points) expect(p.testAccAtBestVal).toBeGreaterThanOrEqual(0);
    // Ours (two normalizations) and the published ones (the same two), drawn as separate series.
    expect(await page.getByTestId('sweep-plot').getAttribute('data-drawn-series')).toBe('4');
    const trainer = page.getByTestId('trainer-kind');
    expect(await trainer.getAttribute('data-kind')).toBe('cpu');
    // The badge names the trainer in one line; the reason is under the plots.
    expect(await trainer.textContent()).toMatch(/float64 CPU reference \(why: below\)/);
    expect(await page.getByTestId('trainer-notes').textContent()).toMatch(/WebGPU/);
    await page.screenshot({ path: '/tmp/training-sweep.png' });
    await cpuBrowser.close();
  }, 400_000);

  it('says so in words when a run blows up (CPU trainer)', async () => {
    const cpuBrowser = await launchChromium({ webgpu: false });
    const page = await open(
      cpuBrowser,
      '#v=training&tp=train&tL=16&tn=none&tres=residual&ta=2&tg=4&tlr=0.5&tdo=0&twd=0&tep=10&tN=60&tk=3&tdeg=5&th=0.85&tfd=16&tsep=1.5',
      { noWebGpu: true },
    );
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.trainingRuns?.getState().train.status === 'done', null, {
      timeout: 120_000,
    });
    const alert = page.getByTestId('train-unstable');
    expect(await alert.textContent()).toMatch(/The training is unstable: the loss reached/);
    // The loss curve is still drawn (finite values, on a log axis), not left blank.
    expect(await page.getByTestId('train-loss').getAttribute('data-drawn-series')).toBe('1');
    await page.screenshot({ path: '/tmp/training-unstable.png' });
    await cpuBrowser.close();
  }, 200_000);
});
