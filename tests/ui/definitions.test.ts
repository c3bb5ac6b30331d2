// Every metric and normalization is defined on the page (src/lessons/definitions.ts): the help
// dialog lists them all with their formulas typeset by KaTeX, and each plot title's circled "i" opens the
// dialog at its own definition. SCREENSHOTS=1 also rewrites docs/definition.png.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { DEFINITIONS } from '../../src/lessons/definitions';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

describe('definitions on the page', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    forwardPageErrors(page);
    await page.goto(base());
    await waitForPoints(page, 'A');
    await waitForPoints(page, 'B');
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('the ? dialog lists every definition, each with a KaTeX formula and a source', async () => {
    await page.getByTestId('help-button').click();
    const dialog = page.getByTestId('help-overlay');
    await dialog.waitFor();
    for (const d of DEFINITIONS) {
      const card = page.getByTestId(`definition-${d.id}`);
      await expect.poll(() => card.locator('.katex').count()).toBeGreaterThan(0);
      // KaTeX's own error rendering carries this class: a formula that did not parse.
      expect(await card.locator('.katex-error').count(), d.id).toBe(0);
      expect(await card.textContent()).toContain(d.source);
    }
    // The bundled KaTeX stylesheet is applied (its font, not the page's).
    const font = await page
      .getByTestId('definition-effectiveRank')
      .locator('.katex')
      .first()
      .evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toContain('KaTeX_Main');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('each metric plot title opens its own definition', async () => {
    for (const id of ['effectiveRank', 'meanCosine', 'mu', 'dirichlet'] as const) {
      await page.getByTestId(`def-link-${id}`).click();
      const card = page.getByTestId(`definition-${id}`);
      await expect.poll(() => card.getAttribute('class')).toContain('highlight');
      expect(await card.isVisible()).toBe(true);
      await expect.poll(() => card.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(720);
      if (id === 'mu' && process.env.SCREENSHOTS === '1') {
        await page.screenshot({ path: 'docs/definition.png' });
      }
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('help-overlay').count()).toBe(0);
    }
    // The spectrum's floor and the panels' normalizations link to theirs.
    await page.getByTestId('def-link-floor').click();
    await expect
      .poll(() => page.getByTestId('definition-floor').getAttribute('class'))
      .toContain('highlight');
    await page.keyboard.press('Escape');
    await page.getByTestId('def-link-norm-contranorm').first().click();
    await expect
      .poll(() => page.getByTestId('definition-norm-contranorm').getAttribute('class'))
      .toContain('highlight');
    await page.keyboard.press('Escape');
  });
});
