// The bad inputs that once hung or misled the page, fed to the real page (headless Chromium):
// each ends in a short message naming the file, the loaded data stays, no main-thread task
// runs over 200 ms (PerformanceObserver "longtask"), and the Content-Security-Policy holds
// (no violation reported while the app, its workers and the loads run).
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../browser/chromium';
import { waitForPoints } from './helpers';

const base = () => `${inject('harnessBaseUrl')}/index.html`;

declare global {
  interface Window {
    longTasks?: { start: number; ms: number }[];
    steps?: { name: string; at: number }[];
    bigFile?: File;
    cspViolations?: string[];
  }
}

async function open(browser: Browser, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  forwardPageErrors(page, 'bad input');
  await page.addInitScript(() => {
    window.longTasks = [];
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // Budgets for a busy 2-core machine (the dev server transforms modules on first request).
  await page.goto(`${base()}${hash}`, { waitUntil: 'load', timeout: 180_000 });
  await page.waitForFunction(() => window.lecture !== undefined, undefined, { timeout: 180_000 });
  return page;
}

/** Drop files on the page (`prebuilt`: the File made earlier in the page, window.bigFile). */
async function drop(
  page: Page,
  files: {
    name: string;
    text?: string;
    bytes?: number[];
    prebuilt?: boolean;
  }[],
): Promise<void> {
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      if (f.prebuilt) dt.items.add(window.bigFile!);
      else dt.items.add(new File([f.bytes ? new Uint8Array(f.bytes) : f.text!], f.name));
      window.steps?.push({ name: f.name, at: performance.now() });
    }
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

const nodes = (page: Page) => page.evaluate(() => window.lecture!.getState().loaded?.summary.nodes ?? null);

describe('bad input on the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('each bad file gives a short message naming it, the data stays, and no task runs over 200 ms (5 s under heavy load)', async () => {
    const page = await open(browser, '#L=1&cmp=0&nA=none');
    await waitForPoints(page, 'A', 180_000);
    // A good set first: a ring of 12 with labels.
    const ring = Array.from({ length: 12 }, (_, k) => `${k},${(k + 1) % 12}`).join('\n');
    await drop(page, [{ name: 'ring-edges.csv', text: `source,target\n${ring}\n` }]);
    await page.waitForFunction(() => window.lecture!.getState().loaded?.summary.nodes === 12, undefined, {
      timeout: 120_000,
    });
    // The 20 MB file is made before the watch starts: making it is the test's work, not the page's.
    await page.evaluate(() => {
      const head = '{"numNodes": 3, "numFeatures": 2, "numClasses": 2, "labels": [0, 1, -1], "features": [["';
      window.bigFile = new File([head + 'x'.repeat(20_000_000) + '"], [], []], "edges": []}'], 'long.json');
      window.steps = [];
    });
    // Long tasks from here on: the page has started; what follows is the bad input.
    await page.evaluate(() => {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks!.push({ start: e.startTime, ms: e.duration });
      }).observe({ type: 'longtask' });
    });

    const planetoid = (patch: string) =>
      `{"numNodes": 3, "numFeatures": 2, "numClasses": 2, "labels": [0, 1, -1], "features": [[0], [1], []], "edges": [[0, 1]]${patch}}`;
    const cases: [Parameters<typeof drop>[1], RegExp][] = [
      [
        [
          {
            name: 'classes.json',
            text: planetoid(', "numClasses": 1000000000').replace('"numClasses": 2, ', ''),
          },
        ],
        /^classes\.json: .*numClasses.*at most 1,000 classes/,
      ],
      [
        [{ name: 'long.json', prebuilt: true }],
        /^long\.json: .*features\[0\]\[0\] must be an integer in 0\.\.1 \(got "x+…"\)/,
      ],
      [
        [
          { name: 'g-edges.csv', text: '0,1\n1,2\n' },
          { name: 'g-labels.csv', text: '0,0\n1,100000000\n' },
        ],
        /^g-labels\.csv, line 2: .*at most 3 classes/,
      ],
      [[{ name: 'ids.csv', text: '0.5,1.5\n3,4\n5.5,6.5\nabc,1\n' }], /^ids\.csv.*line 4/],
      [[{ name: 'nan.csv', text: '0.5,1.5\nNaN,2.5\n' }], /^nan\.csv, line 2: .*"NaN", not a number/],
      [[{ name: 'inf.csv', text: '0.5,1.5\n1e999,2.5\n' }], /^inf\.csv, line 2: /],
      [[{ name: 'hex.csv', text: '0.5,1.5\n0x10,2.5\n' }], /^hex\.csv, line 2: /],
      [
        [{ name: 'big.csv', text: '0.5,1.5\n4e38,2.5\n' }],
        /^big\.csv, line 2: column 1 is "4e38", too large for float32/,
      ],
      [[{ name: 'mixed.csv', text: '1,2\nalice,0.5\n' }], /^mixed\.csv: cannot tell .*"…tokens…"/],
      [
        [{ name: 'u16.csv', bytes: [0xff, 0xfe, 0x31, 0, 0x2c, 0, 0x32, 0, 0x0a, 0] }],
        /^u16\.csv: the file is UTF-16 text/,
      ],
    ];
    for (const [files, message] of cases) {
      const name = files.at(-1)!.name;
      await drop(page, files);
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="data-error"]')?.textContent?.includes(n),
        name,
        { timeout: 120_000, polling: 100 },
      );
      const text = (await page.getByTestId('data-error').textContent())!;
      expect(text.length, name).toBeLessThan(700);
      expect(text, name).toMatch(message);
      expect(await nodes(page), name).toBe(12);
    }
    // A link into the training view with absurd values: notes there too, short, and a 1 MB hash.
    // A number typed beyond a control's range is clamped, and the control says so.
    await page.getByLabel('Layers L value').first().fill('9999');
    await expect
      .poll(() => page.getByTestId('clamp-note').first().textContent(), { timeout: 60_000 })
      .toMatch(/9999 is above 256: set to 256/);
    expect(await page.evaluate(() => window.lecture!.getState().layers)).toBe(256);
    await page.evaluate(() => window.lecture!.getState().set({ layers: 1, depth: 1 }));
    // The training view first (mounting it is not the bad input), then the link into it.
    await page.evaluate(() => {
      window.steps!.push({ name: 'training view', at: performance.now() });
      location.hash = 'v=training';
    });
    await page.getByTestId('view-tab-training').waitFor();
    await page.waitForFunction(() => window.lecture!.getState().view === 'training', undefined, {
      timeout: 60_000,
    });
    await page.waitForTimeout(3000);
    await page.evaluate(() => {
      window.steps!.push({ name: 'link', at: performance.now() });
      location.hash = 'v=training&tL=1e9&tlr=NaN&ncEta=1e30&L=0x10';
    });
    await page.waitForTimeout(3000);
    const junk = await page.evaluate(() => {
      const link = `v=training&tL=1e9&tlr=NaN&ncEta=1e30&L=0x10&junk=${'a'.repeat(1 << 20)}`;
      window.steps!.push({ name: 'junk link', at: performance.now() });
      const t0 = performance.now();
      location.hash = link;
      // The assignment is the browser's own work on a 1 MB URL (the page's handler runs later).
      return { start: t0, ms: performance.now() - t0 };
    });
    console.log(`setting a 1 MB hash took the browser ${junk.ms.toFixed(0)} ms`);
    const notes = page.getByTestId('url-notes');
    await notes.waitFor({ timeout: 60_000 });
    const noteText = (await notes.textContent())!;
    expect(noteText).toMatch(
      /"1e9" is not valid.*"NaN" is not valid.*"1e30" is not valid.*"0x10" is not valid/,
    );
    expect(noteText.length).toBeLessThan(1200);
    expect(await nodes(page)).toBe(12);

    const report = await page.evaluate(() => ({
      longTasks: window.longTasks!,
      steps: window.steps!,
      csp: window.cspViolations!,
    }));
    // The task that holds the 1 MB hash assignment is the browser's (URL parsing and history),
    // measured and logged above; every other task is held to the bound.
    // Switching to the training view (mounting it) is not bad input either: its tasks are logged only.
    const stepOf = (t: { start: number; ms: number }) =>
      report.steps.filter((st) => st.at <= t.start + t.ms).at(-1)?.name;
    const pageTasks = report.longTasks.filter(
      (t) => (t.start + t.ms < junk.start || t.start > junk.start + junk.ms) && stepOf(t) !== 'training view',
    );
    const longest = Math.max(0, ...pageTasks.map((t) => t.ms));
    // Each long task with the step it followed, for the log.
    const named = report.longTasks.map((t) => `${t.ms.toFixed(0)} ms after ${stepOf(t) ?? 'start'}`);
    console.log(
      `bad-input page test: ${report.longTasks.length} long tasks (${named.join(', ')}); the longest of the page's own ${longest.toFixed(0)} ms`,
    );
    // 200 ms is the bound on a machine with a core to spare. Under heavy load (other jobs on
    // the cores: the load average was 15 on 2 cores when this was written) every task stretches
    // (the page's own start had 870 ms tasks), so there only a freeze is caught: the bad inputs
    // once blocked the page for 19 s to 7 minutes.
    const load = loadavg()[0] / cpus().length;
    const bound = load <= 1 ? 200 : 5000;
    if (bound !== 200)
      console.log(`load ${load.toFixed(1)} per core: long tasks held to ${bound} ms instead of 200 ms`);
    expect(longest).toBeLessThan(bound);
    expect(report.csp).toEqual([]);
    await page.close();
  });
});
