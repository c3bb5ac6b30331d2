// Screenshots for the docs (docs/*.png at 1280×720). Slow, so only with SCREENSHOTS=1:
//   SCREENSHOTS=1 npx vitest run tests/ui/screenshots.test.ts
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const run = process.env.SCREENSHOTS === '1';

/** The docs show the picture, not the first-visit guidance (dismissed as a returning visitor would have). */
async function skipStartHere(page: Page): Promise<void> {
  await page.addInitScript({ content: "localStorage.setItem('collapse-viz:start-here-dismissed', '1');" });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `docs/${name}.png` });
}

describe.runIf(run)('screenshots', () => {
  const base = () => `${inject('harnessBaseUrl')}/index.html`;

  it('default, single panel, presentation', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await skipStartHere(page);
      await page.goto(base());
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      // A plain visit plays the depth once: stop it where the picture is taken.
      await page.evaluate(() => window.lecture!.getState().set({ depth: 24, playing: false }));
      await shot(page, 'default');
      await page.evaluate(() => window.lecture!.getState().set({ compare: false, depth: 12 }));
      await waitForPoints(page, 'A');
      await shot(page, 'single');
      await page.evaluate(() =>
        window.lecture!.getState().set({ compare: true, presentation: true, depth: 48 }),
      );
      await waitForPoints(page, 'B');
      await shot(page, 'presentation');
      await page.evaluate(() => window.lecture!.getState().loadPreset('attention-rank-collapse'));
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      await page.evaluate(() => window.lecture!.getState().set({ depth: 2, presentation: false }));
      await shot(page, 'compare');
      expect(true).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('without WebGPU', async () => {
    const browser = await launchChromium({ webgpu: false });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await skipStartHere(page);
      await page.addInitScript({
        content:
          "Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });",
      });
      await page.goto(base());
      await waitForPoints(page, 'A');
      await waitForPoints(page, 'B');
      await page.evaluate(() => window.lecture!.getState().set({ depth: 16, playing: false }));
      await shot(page, 'fallback');
    } finally {
      await browser.close();
    }
  });

  it('gradients and SimSiam/BYOL views', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await skipStartHere(page);
      await page.goto(`${base()}#v=training&tp=gradients`);
      await page.waitForFunction(() => window.trainingRuns?.getState().gradients.status === 'done', null, {
        timeout: 600_000,
        polling: 500,
      });
      await shot(page, 'gradients');
      await page.goto(`${base()}#v=noncontrastive`);
      await page.reload();
      await page.waitForFunction(
        () => {
          const s = window.ncRun?.getState();
          return !!s && s.cfg !== null && s.step === s.cfg?.steps && !s.playing;
        },
        null,
        { timeout: 600_000, polling: 500 },
      );
      await shot(page, 'simsiam');
    } finally {
      await browser.close();
    }
  });
});
