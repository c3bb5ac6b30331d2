// The set-up every harness-driven test file shares: one Chromium (WebGPU on) and the harness page
// for the whole file, closed afterwards. Call at the top level of a test file.
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openHarness } from './chromium';

export function useHarnessPage(): () => Page {
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await openHarness(browser, inject('harnessBaseUrl'));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!page)
      throw new Error('the harness page is not open (useHarnessPage must be called at the top level)');
    return page;
  };
}
