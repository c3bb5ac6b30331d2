// A GPU device that is lost again on every new engine (a driver that keeps resetting): each
// panel restarts its engine a few times, then settles on the CPU engine with a banner saying
// why, and draws; the toasts say the reason once and stop. Every engine worker is served with
// a patch that destroys its device at the first command encoder (no hook in the app itself).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';
import { MAX_GPU_RESTARTS } from '../../src/runtime/depth';

const PATCH = `if (self.GPUDevice) {
  const original = GPUDevice.prototype.createCommandEncoder;
  GPUDevice.prototype.createCommandEncoder = function (...args) {
    this.destroy();
    return original.apply(this, args);
  };
}
`;

describe('a GPU device lost on every engine', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('restarts a few times, then the CPU engine runs with a banner saying why', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    let engineWorkers = 0;
    await context.route(/\/src\/engine\/worker\.ts/, async (route) => {
      engineWorkers++;
      const response = await route.fetch();
      await route.fulfill({ response, body: PATCH + (await response.text()) });
    });
    const page = await context.newPage();
    forwardPageErrors(page, 'device loss');
    await page.goto(`${inject('harnessBaseUrl')}/index.html#L=4&eng=gpu`, {
      waitUntil: 'load',
      timeout: 180_000,
    });
    await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 180_000 });
    await page.waitForFunction(() => window.lecture!.getState().engine.kind === 'cpu', undefined, {
      timeout: 240_000,
      polling: 200,
    });
    expect(await waitForPoints(page, 'A', 240_000)).toBe(300);
    expect(await waitForPoints(page, 'B', 240_000)).toBe(300);
    const banner = (await page.getByTestId('fallback-banner').textContent())!;
    expect(banner).toMatch(new RegExp(`GPU device was lost ${MAX_GPU_RESTARTS + 1} times \\(last: .+\\)`));
    // No more engines than the first two, three restarts each and the CPU engine each.
    expect(engineWorkers).toBeLessThanOrEqual(2 * (1 + MAX_GPU_RESTARTS + 1));
    const toasts = await page.evaluate(() => window.lecture!.getState().toasts.map((t) => t.text));
    for (const t of toasts) expect((t.match(/lost/g) ?? []).length).toBeLessThanOrEqual(1);
    expect(new Set(toasts).size).toBe(toasts.length);
    console.log(
      `device loss: ${engineWorkers} engine workers; banner: ${banner}; toasts: ${toasts.join(' | ')}`,
    );
    await context.close();
  });
});
