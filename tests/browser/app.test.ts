// The app page loads and reports WebGPU honestly, with and without it.
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, openPage } from './chromium';

async function statusText(page: Page): Promise<string> {
  const status = page.getByTestId('webgpu-status');
  await page.waitForFunction(
    () => !document.querySelector('[data-testid="webgpu-status"]')?.textContent?.startsWith('Checking'),
    undefined,
    { timeout: 60_000 },
  );
  return (await status.textContent()) ?? '';
}

describe('app page', () => {
  const url = () => `${inject('harnessBaseUrl')}/`;

  it('shows the title and the WebGPU adapter', async () => {
    const browser = await launchChromium();
    try {
      const page = await openPage(browser, url());
      expect(await page.title()).toBe('Oversmoothing & dimensional collapse');
      expect(await page.locator('h1').textContent()).toBe('Oversmoothing & dimensional collapse');
      expect(await statusText(page)).toMatch(/^WebGPU is available: .*swiftshader/i);
    } finally {
      await browser.close();
    }
  });

  it('says so when no adapter is granted (Chromium without the WebGPU flags, no GPU)', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await openPage(browser, url());
      const text = await statusText(page);
      // On a machine with a usable GPU, plain Chromium may grant an adapter: both answers are fine here.
      expect(text).toMatch(/^(WebGPU is present but no GPU adapter was granted|WebGPU is available)/);
    } finally {
      await browser.close();
    }
  });

  it('says so when the browser has no navigator.gpu', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await openPage(browser, url(), { hideNavigatorGpu: true });
      expect(await statusText(page)).toMatch(/^This browser has no WebGPU: /);
    } finally {
      await browser.close();
    }
  });
});
