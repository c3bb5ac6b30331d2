// The page as a lecture hall sees it at 1280×720 (a projector): type size in the normal view
// and in presentation mode.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';
import { smallestVisibleText } from './fontSizes';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

async function open(browser: Browser, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  forwardPageErrors(page, 'lecture-hall');
  await page.goto(`${base()}${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lecture !== undefined);
  return page;
}

describe('lecture hall at 1280×720', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [mode, hash, floor] of [
    ['normal view', '#L=32&d=24', 14],
    ['presentation mode', '#L=32&d=24&pres=1', 18],
  ] as const) {
    it(`shows no text under ${floor} px in the ${mode}, and the title on one line`, async () => {
      const page = await open(browser, hash);
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      // LECTURE_HALL_SHOTS=dir keeps a screenshot of each mode, to look at while changing the layout.
      if (process.env.LECTURE_HALL_SHOTS)
        await page.screenshot({ path: `${process.env.LECTURE_HALL_SHOTS}/${mode.replace(' ', '-')}.png` });
      const smallest = await page.evaluate(smallestVisibleText, 12);
      console.log(`${mode}: smallest visible text`, JSON.stringify(smallest.slice(0, 12), null, 0));
      expect(smallest.length).toBeGreaterThan(0);
      expect(smallest[0]!.px, JSON.stringify(smallest[0])).toBeGreaterThanOrEqual(floor - 0.01);
      const title = await page.locator('h1').boundingBox();
      const lineHeight = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).lineHeight));
      expect(title!.height).toBeLessThan(1.5 * lineHeight);
      await page.close();
    });
  }
});
