// The SimSiam/BYOL view end to end in headless Chromium: opened from a link, it trains both
// losses in its worker, and the numbers it shows (read from the page's data attributes and its
// run store, not from pixels) part ways: the Euclidean loss collapses, the cosine loss does not.
// Then the weak-decay preset (both survive), step/reset, and the CSV export.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';

const THRESHOLD = 1e-4;
// The presets' settings (src/presets/noncontrastive.ts) with a smaller batch and a shorter run, so
// that the test stays quick on a busy two-core machine; the full presets are checked in regimes.test.ts.
const SMALL = 'ncB=64&ncT=1200&ncSig=0.5&ncLr=0.05&ncDi=16&ncDo=8&ncSeed=1';
const STRONG = `#v=noncontrastive&ncEta=0.3&${SMALL}`;
const WEAK = `#v=noncontrastive&ncEta=0.05&${SMALL}`;

async function open(browser: Browser, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  forwardPageErrors(page, 'noncontrastive');
  await page.goto(`${inject('harnessBaseUrl')}/index.html${hash}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ncRun !== undefined, null, { timeout: 60_000 });
  return page;
}

/** Wait until the run for the current settings has reached its last step. */
async function waitFinished(page: Page, steps: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const s = window.ncRun!.getState();
      return s.cfg?.steps === n && s.step === n && !s.playing;
    },
    steps,
    { timeout: 240_000, polling: 200 },
  );
}

interface Shown {
  step: number;
  euclideanAlive: number;
  cosineAlive: number;
  euclideanTop: number;
  cosineTop: number;
}

function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid="noncontrastive-view"]')!;
    const n = (name: string) => Number(el.getAttribute(name));
    return {
      step: n('data-step'),
      euclideanAlive: n('data-euclidean-alive'),
      cosineAlive: n('data-cosine-alive'),
      euclideanTop: n('data-euclidean-top'),
      cosineTop: n('data-cosine-top'),
    };
  });
}

describe('SimSiam / BYOL view', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('strong weight decay from a link: the two trajectories diverge, Euclidean collapses', async () => {
    const page = await open(browser, STRONG);
    await waitFinished(page, 1200);
    const s = await shown(page);
    expect(s.step).toBe(1200);
    expect(s.euclideanAlive).toBe(0);
    expect(s.euclideanTop).toBeLessThan(THRESHOLD);
    expect(s.cosineAlive).toBe(8);
    expect(s.cosineTop).toBeGreaterThan(50 * THRESHOLD);
    // The same start, then apart: the top eigenvalues' ratio grows from 1 to many decades.
    const ratios = await page.evaluate(() => {
      const { records } = window.ncRun!.getState();
      return records.euclidean.map((r, i) => records.cosine[i].eigW[0] / r.eigW[0]);
    });
    expect(ratios[0]).toBe(1);
    expect(ratios[ratios.length - 1]).toBeGreaterThan(1e6);
    // The ODE curves are there, and predict the collapse too.
    const odeTop = await page.evaluate(() => {
      const ode = window.ncRun!.getState().ode!;
      return Math.max(...ode.s[ode.s.length - 1]);
    });
    expect(odeTop).toBeLessThan(THRESHOLD);
    await page.screenshot({ path: '/tmp/nc.png' });
    await page.close();
  });

  it('weak weight decay: both survive; step and reset; CSV export; the presets load', async () => {
    const page = await open(browser, WEAK);
    await waitFinished(page, 1200);
    const s = await shown(page);
    expect(s.euclideanAlive).toBe(8);
    expect(s.cosineAlive).toBe(8);

    await page.getByTestId('nc-reset').click();
    await expect.poll(async () => (await shown(page)).step).toBe(0);
    await page.getByTestId('nc-step').click();
    await expect.poll(async () => (await shown(page)).step, { timeout: 60_000 }).toBe(15);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('nc-export-csv').click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('# eta = 0.05');
    const rows = csv.split('\n').filter((l) => /^(euclidean|cosine),/.test(l));
    // Steps 0, 3, …, 15 recorded (every 3rd step for a 1200-step run), 8 modes, two losses.
    expect(rows.length).toBe(2 * 6 * 8);

    // A preset sets its values, the URL and the explanation (its run is checked in regimes.test.ts).
    await page.getByTestId('nc-preset').selectOption('nc-strong-decay');
    // Its values are this view's defaults, which short links leave out.
    await expect.poll(() => page.evaluate(() => window.lecture!.getState().ncEta)).toBe(0.3);
    await expect.poll(() => page.evaluate(() => window.lecture!.getState().ncBatch)).toBe(256);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toMatch(/ncEta=|ncB=/);
    await expect
      .poll(() => page.getByTestId('nc-lesson-title').textContent())
      .toContain('Strong weight decay');
    await page.close();
  });
});
