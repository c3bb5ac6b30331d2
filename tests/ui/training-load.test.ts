// Loading a labelled graph from the training view (headless Chromium, CPU trainer): a file
// without labels dropped on the page is refused there; a small Planetoid JSON picked with the
// view's own file button becomes the data set to train on, with its split (through the parse
// worker, the registry and the training worker); a GCN trains on it; the depth view's data
// stays as it was; a second load replaces the first. Tiny graph and few epochs: CI machines
// have two cores.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, hideNavigatorGpu, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

/** A deterministic stream in [0, 1) (a 32-bit LCG): the test's graph is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A homophilous 60-node, 3-class graph in Planetoid JSON: each node has two of its class's four
 * words plus one random word, and about four edges, mostly inside its class. The split takes
 * 5 / 5 / 10 nodes of each class (15 / 15 / 30).
 */
function toyPlanetoid(name: string, seed: number) {
  const rand = lcg(seed);
  const n = 60;
  const k = 3;
  const labels = Array.from({ length: n }, (_, i) => i % k);
  const features = labels.map((c) => {
    const words = new Set<number>();
    while (words.size < 2) words.add(4 * c + Math.floor(rand() * 4));
    words.add(Math.floor(rand() * 4 * k));
    return [...words].sort((a, b) => a - b);
  });
  const edges = new Set<string>();
  for (let i = 0; i < n; i++)
    for (let e = 0; e < 2; e++) {
      const same = rand() < 0.85;
      let j = Math.floor(rand() * n);
      if (same) j = j - (j % k) + labels[i];
      if (j >= n || j === i) continue;
      edges.add(i < j ? `${i},${j}` : `${j},${i}`);
    }
  const byClass = (c: number) => labels.flatMap((l, i) => (l === c ? [i] : []));
  const take = (from: number, to: number) => [0, 1, 2].flatMap((c) => byClass(c).slice(from, to));
  return {
    name,
    numNodes: n,
    numFeatures: 4 * k,
    numClasses: k,
    labels,
    features,
    edges: [...edges].map((s) => s.split(',').map(Number)),
    split: { train: take(0, 5), val: take(5, 10), test: take(10, 20) },
  };
}

async function open(browser: Browser, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  forwardPageErrors(page, 'training-load');
  await hideNavigatorGpu(page);
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 120_000 });
  await page.getByTestId('training-view').waitFor();
  return page;
}

/** Drop files (name → text) on the page the way a browser does: a drop event carrying a DataTransfer. */
async function drop(page: Page, files: Record<string, string>): Promise<void> {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const [name, text] of Object.entries(list)) dt.items.add(new File([text], name));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** The depth view's data-set state, which a training load must leave alone. */
function depthData(page: Page) {
  return page.evaluate(() => {
    const s = window.lecture!.getState();
    return { model: s.model, graphData: s.graphData, loadedId: s.loadedId, loaded: s.loaded };
  });
}

interface Registered {
  n: number;
  split: { train: number[]; val: number[]; test: number[] } | null;
}

/**
 * What the page's registry holds under `id`: the app's own module instance, imported from the
 * dev server. A string, not a function: Vitest's transform rewrites a function's import().
 */
function registered(page: Page, id: string): Promise<Registered | null> {
  return page.evaluate(`(async () => {
    const ds = (await import('/src/data/registry.ts')).getRegisteredDataset(${JSON.stringify(id)});
    if (!ds) return null;
    const list = (a) => Array.from(a);
    return {
      n: ds.n,
      split: ds.split ? { train: list(ds.split.train), val: list(ds.split.val), test: list(ds.split.test) } : null,
    };
  })()`);
}

describe('training view: load a graph', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads Planetoid JSON with its split, trains on it, and leaves the depth view’s data alone', async () => {
    const page = await open(browser, '#v=training&tp=train&tL=2&tep=12&tseed=1');
    const before = await depthData(page);
    expect(before).toMatchObject({ model: 'gnn', graphData: 'csbm', loadedId: '', loaded: null });
    const select = page.getByTestId('train-dataset');
    const section = page.getByTestId('train-data');

    // A drop while the training view is shown loads for it; an edge list without labels is refused there.
    await drop(page, { 'edges.csv': '0,1\n1,2\n2,0\n' });
    const error = section.getByTestId('data-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(
      /edges\.csv: no labels, and training a GCN needs a graph with labels/,
    );
    expect(await page.evaluate(() => window.lecture!.getState().tData)).toBe('csbm');
    await section.screenshot({ path: '/tmp/training-data-error.png' });

    // The view's own file button: the Planetoid JSON becomes the data set, shown with its split.
    const toy = toyPlanetoid('toy', 7);
    await page.getByTestId('train-file-input').setInputFiles({
      name: 'toy.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(toy)),
    });
    await page.waitForFunction(() => window.lecture!.getState().tData.startsWith('planetoid:toy:'), null, {
      timeout: 60_000,
    });
    const id = await page.evaluate(() => window.lecture!.getState().tData);
    expect(await select.locator('option:checked').textContent()).toBe('toy (public split)');
    expect(await section.getByTestId('data-error').count()).toBe(0);
    const summary = section.getByTestId('data-summary');
    expect(await summary.locator('[data-summary-key="Nodes"]').textContent()).toBe('60');
    expect(await summary.locator('[data-summary-key="Classes"]').textContent()).toBe('3');
    expect(await summary.locator('[data-summary-key="Split"]').textContent()).toBe('15 / 15 / 30 (public)');
    // The split crossed from the parse worker and was registered as the file gives it.
    expect(await registered(page, id)).toEqual({ n: 60, split: toy.split });
    await section.screenshot({ path: '/tmp/training-data-loaded.png' });

    // Train on it: every accuracy is a count over the file's split (15 / 15 / 30 nodes), not a
    // seeded one (21 / 13 / 26 on this graph).
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.trainingRuns?.getState().train.status === 'done', null, {
      timeout: 200_000,
    });
    const run = await page.evaluate(() => {
      const t = window.trainingRuns!.getState().train;
      return { epochs: t.epochs, dataset: t.config?.dataset, best: t.result?.testAccAtBestVal };
    });
    expect(run.dataset).toEqual({ kind: 'loaded', id });
    expect(run.epochs.length).toBe(12);
    const whole = (x: number) => Math.abs(x - Math.round(x)) < 1e-9;
    for (const e of run.epochs) {
      expect(Number.isFinite(e.loss)).toBe(true);
      expect(whole(e.trainAcc * 15) && whole(e.valAcc * 15) && whole(e.testAcc * 30)).toBe(true);
    }
    expect(run.best).toBeGreaterThanOrEqual(0);
    expect(run.best).toBeLessThanOrEqual(1);
    const panel = page.getByTestId('train-panel');
    expect(await panel.getAttribute('data-status')).toBe('done');
    expect(await panel.getAttribute('data-epochs')).toBe('12');
    expect(await panel.getByRole('status').textContent()).toMatch(
      /^Done: best validation accuracy at epoch \d+, where the test accuracy is [\d.]+%/,
    );

    await page.screenshot({ path: '/tmp/training-load.png' });
    // The depth view's data did not change.
    expect(await depthData(page)).toEqual(before);

    // A second load from this view replaces the first, which is let go.
    await drop(page, { 'toy2.json': JSON.stringify(toyPlanetoid('toy2', 8)) });
    await page.waitForFunction(() => window.lecture!.getState().tData.startsWith('planetoid:toy2:'), null, {
      timeout: 60_000,
    });
    expect(await registered(page, id)).toBeNull();
    const texts = await select.locator('option').allTextContents();
    expect(texts).toEqual(['built-in contextual SBM', 'toy2 (public split)']);
    expect(await depthData(page)).toEqual(before);
    await page.close();
  }, 300_000);

  it('the depth view loads Planetoid JSON too, and keeps the set the training view trains on', async () => {
    const page = await open(browser, '#v=training&tp=train&L=2&cmp=0');
    await page.getByTestId('train-file-input').setInputFiles({
      name: 'toy.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(toyPlanetoid('toy', 7))),
    });
    await page.waitForFunction(() => window.lecture!.getState().tData.startsWith('planetoid:toy:'), null, {
      timeout: 60_000,
    });
    const trainId = await page.evaluate(() => window.lecture!.getState().tData);

    // In the depth view a drop goes to the depth view's data (its drop handler, not the training view's).
    await page.evaluate(() => window.lecture!.getState().set({ view: 'depth' }));
    await page.getByTestId('data-section').waitFor();
    await drop(page, { 'toy2.json': JSON.stringify(toyPlanetoid('toy2', 8)) });
    await page.waitForFunction(() => window.lecture!.getState().graphData === 'loaded', null, {
      timeout: 60_000,
    });
    // Settled on the new set: right after the load, the previous 300-point drawing is still settled.
    await page.waitForFunction(
      () =>
        window.lectureSettled?.('A') &&
        document.querySelector('[data-testid="points-A"]')?.getAttribute('data-drawn-points') === '60',
      null,
      { timeout: 120_000, polling: 100 },
    );
    expect(await waitForPoints(page, 'A')).toBe(60);
    const state = await page.evaluate(() => {
      const s = window.lecture!.getState();
      return { loadedId: s.loadedId, tData: s.tData, format: s.loaded?.format };
    });
    expect(state.loadedId).toMatch(/^planetoid:toy2:/);
    expect(state).toMatchObject({ tData: trainId, format: 'planetoid-json' });
    const summary = page.getByTestId('data-section').getByTestId('data-summary');
    expect(await summary.locator('[data-summary-key="Split"]').textContent()).toBe('15 / 15 / 30 (public)');
    expect(await summary.textContent()).toContain('Already a simple undirected graph: nothing normalized.');
    await page.getByTestId('data-section').screenshot({ path: '/tmp/depth-data-planetoid.png' });

    // A second depth load lets the first go, but not the training view's set.
    await drop(page, { 'toy3.json': JSON.stringify(toyPlanetoid('toy3', 9)) });
    await page.waitForFunction(
      () => window.lecture!.getState().loadedId.startsWith('planetoid:toy3:'),
      null,
      {
        timeout: 60_000,
      },
    );
    expect(await registered(page, state.loadedId)).toBeNull();
    expect((await registered(page, trainId))?.n).toBe(60);
    await page.close();
  }, 200_000);
});
