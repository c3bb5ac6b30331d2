// Data in and out on the real page (headless Chromium, SwiftShader WebGPU): Cora's LINQS files
// dropped onto the page, a malformed file (message with file and line, previous data kept),
// the configuration exported and loaded back, and a 1,000,000-edge file loading while the
// page keeps drawing frames. Runs are kept tiny (L = 2, one panel): the point is the data.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';
import { readNpy } from '../../src/data/parse';

const CORA = '../shared/datasets/pygcn-cora';
const haveCora = existsSync(`${CORA}/cora.content`) && existsSync(`${CORA}/cora.cites`);
if (!haveCora)
  console.warn(`[data.test] ${CORA}/cora.content or cora.cites is absent: the Cora tests are skipped`);

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  forwardPageErrors(page, 'data');
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  // Generous: other jobs share the machine's two cores, and the dev server transforms on demand.
  await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 120_000 });
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

async function download(page: Page, testId: string): Promise<Download> {
  // Open the Export menu (it stays open after an item is clicked).
  await page.evaluate(() => {
    document.querySelector<HTMLDetailsElement>('details.menu')!.open = true;
  });
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return d;
}

/**
 * Wait until panel A is settled and has drawn `count` points. (waitForPoints alone can see the
 * new result in the store while the canvas still carries the previous drawing's count.)
 */
async function waitForDrawn(page: Page, count: number, timeout = 240_000): Promise<number> {
  await page.waitForFunction(
    (c) =>
      window.lectureSettled?.('A') &&
      document.querySelector('[data-testid="points-A"]')?.getAttribute('data-drawn-points') === String(c),
    count,
    { timeout, polling: 100 },
  );
  return waitForPoints(page, 'A');
}

function state(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => {
    const s = window.lecture!.getState();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) if (typeof v !== 'function' && typeof v !== 'object') out[k] = v;
    return out;
  });
}

describe('data in and out (page)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!haveCora)(
    'Cora dropped as LINQS files draws 2,708 points; a malformed file names file and line and keeps them; the config loads back',
    async () => {
      const page = await open(browser, '#L=2&cmp=0');
      expect(await waitForPoints(page, 'A')).toBe(300);
      const files = {
        'cora.content': await readFile(`${CORA}/cora.content`, 'utf8'),
        'cora.cites': await readFile(`${CORA}/cora.cites`, 'utf8'),
      };
      // Random projection to 32 in the worker: the layer-0 metrics of 1,433 raw features (a
      // 1,433² Gram matrix and its eigenvalues) take minutes on SwiftShader.
      await page.locator('.load-details > summary').click();
      await page.getByTestId('data-reduction').selectOption('random');
      await page.getByTestId('data-reduction-dim').fill('32');
      const t0 = Date.now();
      await drop(page, files);
      // Until the load ends, the old (settled) 300 points would satisfy waitForPoints.
      await page.waitForFunction(() => window.lecture!.getState().graphData === 'loaded', undefined, {
        timeout: 240_000,
      });
      expect(await waitForDrawn(page, 2708)).toBe(2708);
      console.log(
        `[data.test] Cora LINQS drop → 2,708 points drawn in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      const summary = page.getByTestId('data-summary');
      const value = (k: string) => summary.locator(`[data-summary-key="${k}"]`).textContent();
      expect(await value('Nodes')).toBe('2,708');
      expect(await value('Edges')).toBe('5,278');
      expect(await value('Classes')).toBe('7');
      expect(await value('Feature dim.')).toBe('32 (random projection 1,433 → 32, seed 1)');
      expect(await value('Isolated nodes')).toBe('0');
      expect(await summary.textContent()).toMatch(/one-directional edges? made symmetric/);
      expect((await state(page)).graphData).toBe('loaded');
      await page.getByTestId('data-section').screenshot({ path: '/tmp/data-panel-cora.png' });

      // Data out: the edge list has Cora's 5,278 edges; the embeddings of the shown layer (0:
      // the 32 projected features, fetched from the engine for the export: the page's run holds
      // only the pictures) come back as a (2708, 32) float32 .npy equal to the data set's features.
      const edgesCsv = await readFile(await (await download(page, 'export-edges')).path(), 'utf8');
      expect(edgesCsv.trim().split('\n').length).toBe(1 + 5278);
      const npy = readNpy('emb.npy', await readFile(await (await download(page, 'export-emb-A-npy')).path()));
      expect(npy.shape).toEqual([2708, 32]);
      expect(
        await page.evaluate(() => window.lecture!.getState().panels.A.result!.layers[0].features),
      ).toBeUndefined();
      const input = readNpy(
        'features.npy',
        await readFile(await (await download(page, 'export-features-npy')).path()),
      );
      expect(input.shape).toEqual([2708, 32]);
      expect(Array.from(npy.data)).toEqual(Array.from(input.data));

      // A malformed .content: line 3 has one feature too few. The message names the file and
      // the line; Cora stays loaded and drawn.
      await drop(page, {
        'bad.content': 'a\t1\t0\tX\nb\t0\t1\tY\nc\t1\tX\n',
        'bad.cites': 'a\tb\n',
      });
      const error = page.getByTestId('data-error');
      await error.waitFor({ timeout: 60_000 });
      expect(await error.textContent()).toMatch(
        /bad\.content, line 3: ragged row: 1 features where the first line has 2/,
      );
      expect(await value('Nodes')).toBe('2,708');
      expect(await waitForDrawn(page, 2708)).toBe(2708);
      await page.getByTestId('data-section').screenshot({ path: '/tmp/data-panel-error.png' });

      // The configuration: saved, changed, loaded back to the same state.
      await page.evaluate(() => window.lecture!.getState().set({ depth: 1, s: 1.35 }));
      await page.waitForTimeout(300);
      const saved = await state(page);
      const configFile = await (await download(page, 'export-config')).path();
      const config = JSON.parse(await readFile(configFile, 'utf8')) as {
        loadedData: { name: string } | null;
      };
      expect(config.loadedData?.name).toBe('cora (random projection 32)');
      await page.evaluate(() => window.lecture!.getState().set({ layers: 5, s: 0.2, graphData: 'ring' }));
      expect((await state(page)).layers).toBe(5);
      await page.getByTestId('load-config-input').setInputFiles(configFile);
      await expect.poll(async () => (await state(page)).layers).toBe(2);
      const restored = await state(page);
      for (const k of Object.keys(saved))
        if (k !== 'helpOpen') expect([k, restored[k]]).toEqual([k, saved[k]]);
      expect(await waitForDrawn(page, 2708)).toBe(2708);

      // In a fresh page Cora is not loaded: the same file restores the settings, falls back to
      // the built-in graph and says so.
      const fresh = await open(browser, '');
      await fresh.getByTestId('load-config-input').setInputFiles(configFile);
      await expect.poll(async () => (await state(fresh)).layers).toBe(2);
      expect((await state(fresh)).graphData).toBe('csbm');
      expect((await state(fresh)).s).toBe(1.35);
      expect(await fresh.getByTestId('url-notes').textContent()).toMatch(
        /"linqs:cora:[0-9a-f]+" is not loaded in this page/,
      );
      expect(await waitForDrawn(fresh, 300)).toBe(300);
      await fresh.close();
      await page.close();
    },
  );

  it.skipIf(process.env.DATA_TEST_ONLY === 'cora')(
    'a 1,000,000-edge file loads in the worker while the page keeps drawing frames',
    async () => {
      // The GPU engine asked for: the 50,000-node graph below is beyond the CPU engine's node cap.
      const page = await open(browser, '#L=1&cmp=0&nA=none&eng=gpu');
      await waitForPoints(page, 'A');
      // First a small file by URL (fetched in the worker): the summary says what was normalized.
      await page.locator('.load-details > summary').click();
      await page
        .getByTestId('data-url')
        .fill(`${inject('harnessBaseUrl')}/tests/data/fixtures/small-edges.csv`);
      await page.getByTestId('data-url').press('Enter');
      await page.waitForFunction(() => window.lecture!.getState().loaded?.summary.nodes === 4, undefined, {
        timeout: 60_000,
      });
      expect(await page.getByTestId('data-summary').textContent()).toMatch(
        /1 self loop removed, 1 duplicate merged, 2 one-directional edges made symmetric/,
      );
      expect(await waitForDrawn(page, 4)).toBe(4);
      // Then two files through the "Choose files…" picker: a ring of 12 and its labels by name.
      const ring = Array.from({ length: 12 }, (_, k) => `${k},${(k + 1) % 12}`).join('\n');
      const labels = Array.from({ length: 12 }, (_, k) => `${k},${k < 6 ? 'left' : 'right'}`).join('\n');
      await page.getByTestId('data-file-input').setInputFiles([
        { name: 'ring-edges.csv', mimeType: 'text/csv', buffer: Buffer.from(`source,target\n${ring}\n`) },
        { name: 'ring-labels.csv', mimeType: 'text/csv', buffer: Buffer.from(`node,label\n${labels}\n`) },
      ]);
      await page.waitForFunction(() => window.lecture!.getState().loaded?.summary.nodes === 12, undefined, {
        timeout: 60_000,
      });
      const summaryValue = (k: string) =>
        page.getByTestId('data-summary').locator(`[data-summary-key="${k}"]`).textContent();
      expect(await summaryValue('Edges')).toBe('12');
      expect(await summaryValue('Classes')).toBe('2');
      expect(await waitForDrawn(page, 12)).toBe(12);
      // Too wide for raw features: refused by the page's limit, with the limit; the 4 nodes stay.
      // (The depth view reduces loaded features by PCA by default; raw is asked for here.)
      await page.getByTestId('data-reduction').selectOption('raw');
      const row = Array.from({ length: 4097 }, (_, k) => String(k % 7)).join(',');
      await drop(page, { 'wide.csv': `${row}\n${row}\n` });
      await page.getByTestId('data-error').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('data-error').textContent()).toMatch(
        /wide\.csv: 4,097 input features are more than the 4,096 the page takes/,
      );
      expect(await page.evaluate(() => window.lecture!.getState().loaded?.summary.nodes)).toBe(12);
      // Made in the page: 50,000 nodes, node u joined to u+1..u+20 (mod 50,000): 10⁶ distinct edges.
      await page.evaluate(() => {
        const n = 50_000;
        const lines: string[] = ['source,target'];
        for (let i = 0; i < 1_000_000; i++) {
          const u = i % n;
          lines.push(`${u},${(u + 1 + Math.floor(i / n)) % n}`);
        }
        const text = lines.join('\n');
        const w = window as unknown as { __edges: File; __frames: number[] };
        w.__edges = new File([text], 'million-edges.csv');
        w.__frames = [];
      });
      const t0 = Date.now();
      await page.evaluate(() => {
        const w = window as unknown as { __edges: File; __frames: number[]; __stop: boolean };
        const tick = (t: number) => {
          w.__frames.push(t);
          if (!w.__stop) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        const dt = new DataTransfer();
        dt.items.add(w.__edges);
        document.body.dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
      });
      // The progress bar shows while it loads.
      await page.getByTestId('data-progress').waitFor({ timeout: 30_000 });
      await page.waitForFunction(
        () => document.querySelector('[data-summary-key="Edges"]')?.textContent === '1,000,000',
        undefined,
        { timeout: 240_000, polling: 50 },
      );
      const seconds = (Date.now() - t0) / 1000;
      const frames = await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __stop: boolean };
        w.__stop = true;
        const f = w.__frames;
        let maxGap = 0;
        for (let i = 1; i < f.length; i++) maxGap = Math.max(maxGap, f[i] - f[i - 1]);
        return { count: f.length, maxGap, span: f.length ? f[f.length - 1] - f[0] : 0 };
      });
      console.log(
        `[data.test] 1M-edge file loaded in ${seconds.toFixed(1)} s; ${frames.count} frames, longest gap ${frames.maxGap.toFixed(0)} ms`,
      );
      const value = (k: string) => page.locator(`[data-summary-key="${k}"]`).textContent();
      expect(await value('Nodes')).toBe('50,000');
      expect(await value('Components')).toBe('1');
      // Parsing 10⁶ lines takes seconds: on the main thread that would be one frame gap covering
      // most of the load. Off it, frames keep coming; the bound leaves room for a 2-core machine
      // shared with other jobs (gaps of several hundred ms from scheduling alone were seen).
      // Control: the same parse on the main thread blocks it for longer than any gap seen above,
      // so the check above would catch a loader that parsed on the page's thread.
      // A string, not a function: Vitest would rewrite a function's dynamic import for Node.
      const blockMs = (await page.evaluate(`(async () => {
        const text = await window.__edges.text();
        const parse = await import('/src/data/parse/index.ts');
        const t = performance.now();
        parse.parseEdgeList({ edges: { name: 'million-edges.csv', text } });
        return performance.now() - t;
      })()`)) as number;
      console.log(`[data.test] the same parse on the main thread blocks it for ${blockMs.toFixed(0)} ms`);
      expect(blockMs).toBeGreaterThan(frames.maxGap);
      expect(frames.count).toBeGreaterThan(10);
      expect(frames.maxGap).toBeLessThan(Math.max(1000, 0.35 * seconds * 1000));
      await page.close();
    },
  );
});
