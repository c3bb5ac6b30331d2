// Headless Chromium for the browser tests, driven by playwright-core (no bundled browser:
// it uses the system Chromium, Debian's `chromium` package, or $CHROMIUM_PATH).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Flags that give headless Chromium a WebGPU adapter (SwiftShader when there is no GPU). */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan'];

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-quic',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export interface LaunchOptions {
  /**
   * false: launch without the WebGPU flags (for the no-WebGPU fallback test). Default true.
   * Without them, on a machine with no GPU, `navigator.gpu` still exists but `requestAdapter()`
   * resolves to null; use `hideNavigatorGpu(page)` to test a browser without the API at all.
   */
  webgpu?: boolean;
  /** Extra command-line flags. */
  args?: string[];
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { webgpu = true, args = [] } = options;
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new Error(
      `no Chromium at ${executablePath}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...BASE_ARGS, ...(webgpu ? WEBGPU_ARGS : []), ...args],
  });
}

/** Print the page's console errors/warnings and uncaught exceptions into the test output. */
export function forwardPageErrors(page: Page, label = 'browser'): void {
  page.on('console', (msg) => {
    const type = msg.type();
    if (type !== 'error' && type !== 'warning') return;
    const where = msg.location().url;
    console.error(`[${label} console.${type}] ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => console.error(`[${label} pageerror] ${err.stack ?? err.message}`));
  page.on('crash', () => console.error(`[${label}] page crashed`));
}

/** Make `navigator.gpu` undefined in every document this page loads from now on (call before goto). */
export async function hideNavigatorGpu(page: Page): Promise<void> {
  // A string, not a function: transpilers (tsx/esbuild keepNames) may inject helpers into a function's source.
  await page.addInitScript({
    content:
      "Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });",
  });
}

export interface OpenOptions {
  /** Make `navigator.gpu` undefined before the page's scripts run (see hideNavigatorGpu). */
  hideNavigatorGpu?: boolean;
  /** How long to wait for the page to be ready (ms). Default 60 000. */
  timeoutMs?: number;
}

/** A new page with its errors forwarded to the test output, navigated to `url`. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<Page> {
  const page = await browser.newPage();
  forwardPageErrors(page, new URL(url).pathname);
  if (options.hideNavigatorGpu) await hideNavigatorGpu(page);
  await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs ?? 60_000 });
  return page;
}

export const HARNESS_PATH = '/tests/browser/harness.html';

/**
 * Open the harness page and wait until `window.harness` is ready.
 * `baseUrl` is the dev server's origin: `inject('harnessBaseUrl')` in a test.
 * Rejects with the page's own error if the harness (or a case module) fails to load.
 */
export async function openHarness(
  browser: Browser,
  baseUrl: string,
  options: OpenOptions = {},
): Promise<Page> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const page = await browser.newPage();
  forwardPageErrors(page, 'harness');
  let loadError: Error | undefined;
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => (loadError ??= err));
  let moduleError: string | undefined;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    consoleErrors.push(`${msg.text()} (${where})`);
    // A module the dev server could not transform (500) or find (404): the harness will never be ready.
    if (/^Failed to load resource/.test(msg.text()) && /\.(m?[jt]sx?|wgsl)(\?|$)/.test(where))
      moduleError ??= `${msg.text()}: ${where} (the Vite server's log above says why)`;
  });
  if (options.hideNavigatorGpu) await hideNavigatorGpu(page);
  await page.goto(new URL(HARNESS_PATH, baseUrl).href, { waitUntil: 'load', timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let state: { ready: boolean; error: string | null };
    try {
      state = await page.evaluate(() => ({
        ready: window.harnessReady === true,
        error: window.harnessError ?? null,
      }));
    } catch (err) {
      // The dev server may reload the page once (late dependency optimization): poll again.
      if (!/context was destroyed|navigat/i.test(String(err))) throw err;
      state = { ready: false, error: null };
    }
    if (state.ready) return page;
    if (state.error) throw new Error(`harness failed to load: ${state.error}`);
    if (moduleError) throw new Error(`harness failed to load: ${moduleError}`);
    if (loadError) throw new Error(`harness failed to load: ${loadError.stack ?? loadError.message}`);
    if (Date.now() > deadline)
      throw new Error(
        `harness not ready after ${timeoutMs} ms; console errors: ${consoleErrors.join('; ') || 'none'}`,
      );
    await page.waitForTimeout(50);
  }
}
