import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openHarness } from './chromium';

describe('browser harness smoke test (WebGPU in headless Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await openHarness(browser, inject('harnessBaseUrl'));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('gets a WebGPU adapter', async () => {
    const info = await page.evaluate(() => window.harness.adapterInfo());
    console.log(`WebGPU adapter: architecture=${info.architecture} vendor=${info.vendor}`);
    expect(info.reason).toBeUndefined();
    expect(info.hasGpu).toBe(true);
    expect(info.architecture).not.toBe('');
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it('runs a compute shader: out[i] = 2i over 1000 u32', async () => {
    const out = await page.evaluate((args) => window.harness.doubleIndices(args), { n: 1000 });
    expect(out).toHaveLength(1000);
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
  });
});
