// The built site on a plain static host, under a sub-path: the page, every worker and a preset
// load from there; after the first visit the service worker serves it with the host gone and the
// browser offline; a new deployment is offered, not forced. One `vite build` for the file, into a
// temporary folder. Small graphs only: SwiftShader on two busy cores is slow.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from '../ui/helpers';
import { buildSite, removeSite, serveStatic, type StaticHost } from './staticSite';

const MOUNT = '/some/sub/path/';
// A short SimSiam/BYOL run (CPU worker): a light page where the lecture's engines are not needed.
const SMALL_NC = 'v=noncontrastive&ncEta=0.3&ncB=64&ncT=200&ncSig=0.5&ncLr=0.05&ncDi=16&ncDo=8&ncSeed=1';
// The busy two-core machine: a first drawing of both panels has taken 85 s.
const DRAW_MS = 300_000;

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  forwardPageErrors(page, 'hosted');
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForFunction(() => window.lecture !== undefined, null, { timeout: 120_000 });
  return page;
}

/** Wait until the page's service worker has installed (precached everything) and is active. */
async function waitOfflineCopy(page: Page): Promise<{ scope: string; script: string }> {
  return page.evaluate(async () => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no active service worker after 120 s')), 120_000),
    );
    const registration = await Promise.race([navigator.serviceWorker.ready, timeout]);
    const worker = registration.active!;
    if (worker.state !== 'activated')
      await Promise.race([
        new Promise<void>((resolve) =>
          worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()),
        ),
        timeout,
      ]);
    return { scope: registration.scope, script: worker.scriptURL };
  });
}

/** The version of the service worker that controls the page (it answers a `version` message). */
function controllerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const controller = navigator.serviceWorker.controller;
        if (!controller) return reject(new Error('the page has no service worker'));
        const channel = (e: MessageEvent) => {
          if (e.data?.type !== 'version') return;
          navigator.serviceWorker.removeEventListener('message', channel);
          resolve(e.data.version as string);
        };
        navigator.serviceWorker.addEventListener('message', channel);
        controller.postMessage({ type: 'version' });
      }),
  );
}

describe('the built site on a static host under a sub-path', () => {
  let site: string;
  let browser: Browser;
  const hosts: StaticHost[] = [];
  // Each test gets its own host (its own origin, so its own service worker and caches).
  const host = async () => {
    const h = await serveStatic(site, MOUNT);
    hosts.push(h);
    return h;
  };

  beforeAll(async () => {
    site = await buildSite();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(hosts.map((h) => h.close()));
    if (site) await removeSite(site);
  });

  it('loads the page, its workers and a preset from the sub-path, asking for nothing outside it', async () => {
    const h = await host();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    // The lecture: the engine worker runs both panels, the projection worker lays out their points.
    const page = await open(context, `${h.url}#L=8`);
    expect(await waitForPoints(page, 'A', DRAW_MS)).toBe(300);
    expect(await waitForPoints(page, 'B', DRAW_MS)).toBe(300);
    // A preset, kept short (its own depth is checked elsewhere).
    await page.getByTestId('preset-select').selectOption('gcn-oversmoothing');
    await page.evaluate(() => window.lecture!.getState().set({ layers: 8 }));
    await page.waitForFunction(() => window.lecture!.getState().lesson === 'gcn-oversmoothing');
    await waitForPoints(page, 'A', DRAW_MS);
    await waitForPoints(page, 'B', DRAW_MS);
    // The parsing worker: a ring of 12 nodes as an edge list.
    const ring = Array.from({ length: 12 }, (_, k) => `${k},${(k + 1) % 12}`).join('\n');
    await page
      .getByTestId('data-file-input')
      .setInputFiles([
        { name: 'ring.csv', mimeType: 'text/csv', buffer: Buffer.from(`source,target\n${ring}\n`) },
      ]);
    await page.waitForFunction(() => window.lecture!.getState().loaded?.summary.nodes === 12, null, {
      timeout: 120_000,
    });
    expect(await waitForPoints(page, 'A', DRAW_MS)).toBe(12);
    // The service worker sits beside index.html and covers exactly the sub-path.
    expect(await waitOfflineCopy(page)).toEqual({ scope: h.url, script: `${h.url}sw.js` });

    await page.close(); // SwiftShader shares the two cores: one busy page at a time

    // The SimSiam/BYOL worker: a small run reaches its first steps.
    const nc = await open(context, `${h.url}#${SMALL_NC}`);
    await nc.waitForFunction(() => (window.ncRun?.getState().step ?? 0) > 0, null, { timeout: 120_000 });
    await nc.close();
    // The training worker: gradients at initialization of three 2-layer stacks on a small graph, in
    // a browser without WebGPU (the CPU trainer: SwiftShader's pipeline builds take minutes here).
    const noGpu = await launchChromium({ webgpu: false });
    try {
      const tr = await open(
        await noGpu.newContext(),
        `${h.url}#v=training&tp=gradients&tgL=2&tN=60&tk=3&tdeg=6&th=0.85&tfd=8&tsep=1.5&tds=1`,
      );
      await tr.waitForFunction(() => window.trainingRuns?.getState().gradients.status === 'done', null, {
        timeout: 240_000,
      });
      expect(await tr.getByTestId('trainer-kind').getAttribute('data-kind')).toBe('cpu');
    } finally {
      await noGpu.close();
    }

    // Every request stayed under the sub-path and found its file; every worker bundle was served.
    const outside = h.log.filter((r) => !r.path.startsWith(MOUNT));
    expect(outside).toEqual([]);
    expect(h.log.filter((r) => r.status !== 200)).toEqual([]);
    const workers = (await readdir(join(site, 'assets'))).filter((f) => /worker/i.test(f));
    expect(workers.length).toBeGreaterThanOrEqual(4);
    for (const w of workers) expect(h.log.map((r) => r.path)).toContain(`${MOUNT}assets/${w}`);
    await context.close();
  }, 900_000);

  it('after the first visit, reloads and draws the default view with the host gone and the browser offline', async () => {
    const h = await host();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await open(context, h.url);
    await waitForPoints(page, 'A', DRAW_MS);
    await waitForPoints(page, 'B', DRAW_MS);
    await waitOfflineCopy(page);
    // The first visit came from the network, without isolation headers (the host sends none).
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);

    await context.setOffline(true);
    await h.close(); // offline emulation aside, nothing answers any more
    // The page says so, and what does not work says why; the data in place stays.
    await page.getByTestId('offline-banner').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('offline-banner').textContent()).toMatch(
      /everything on this page still works.*except loading a data set from a URL/,
    );
    await page.locator('.load-details > summary').click(); // the sidebar's "load your own data"
    await page.getByTestId('data-url').fill('https://example.org/edges.csv');
    await page.getByTestId('data-url').press('Enter');
    await page.getByTestId('data-error').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('data-error').textContent()).toMatch(/this device is offline/);
    await page.screenshot({ path: '/tmp/hosted-offline.png' });

    // (Chromium's offline emulation does not carry over to the reloaded, now isolated, document:
    // there navigator.onLine reads true. The stopped server is what makes this reload offline.)
    await page.reload({ waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(() => window.lecture !== undefined, null, { timeout: 120_000 });
    expect(await waitForPoints(page, 'A', DRAW_MS)).toBe(300);
    expect(await waitForPoints(page, 'B', DRAW_MS)).toBe(300);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The service worker's COOP/COEP make the page cross-origin isolated on a header-less host.
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await context.close();
  }, 900_000);

  it('offers a newly deployed version, and loads it when asked', async () => {
    const h = await host();
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await open(context, `${h.url}#${SMALL_NC}`);
    await waitOfflineCopy(page);
    await page.reload({ waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(() => window.lecture !== undefined, null, { timeout: 120_000 });
    const first = await controllerVersion(page);
    expect(first).toMatch(/^[0-9a-f]{16}$/);

    // A new deployment: sw.js changes (its manifest's version), as any change of a shipped file makes it.
    h.rewrite('sw.js', (text) => {
      expect(text).toContain(`"version":"${first}"`);
      return text.replace(`"version":"${first}"`, `"version":"${first}-next"`);
    });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await page.getByTestId('update-banner').waitFor({ timeout: 120_000 });
    // Until asked, the running page keeps its version.
    expect(await controllerVersion(page)).toBe(first);
    await Promise.all([
      page.waitForEvent('load', { timeout: 120_000 }),
      page.getByTestId('update-reload').click(),
    ]);
    await page.waitForFunction(() => window.lecture !== undefined, null, { timeout: 120_000 });
    expect(await controllerVersion(page)).toBe(`${first}-next`);
    await page.waitForFunction(() => (window.ncRun?.getState().step ?? 0) > 0, null, { timeout: 120_000 });
    // The previous version's cache is gone; this version's is there.
    const caches = await page.evaluate(() => window.caches.keys());
    expect(caches.filter((n) => n.endsWith(first))).toEqual([]);
    expect(caches.filter((n) => n.endsWith(`${first}-next`)).length).toBe(1);
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    await context.close();
  }, 600_000);
});
