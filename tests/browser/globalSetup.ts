// Vitest global setup: one Vite dev server for every browser test in the run.
// Tests read its URL with `inject('harnessBaseUrl')` (see ./chromium.ts, openHarness).
import type { ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startDevServer } from './devServer';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the dev server serving the repo root, e.g. `http://127.0.0.1:40123` (no trailing slash). */
    harnessBaseUrl: string;
  }
}

let server: ViteDevServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const started = await startDevServer({ warmup: ['tests/browser/harness.ts'] });
  server = started.server;
  project.provide('harnessBaseUrl', started.url);
}

export async function teardown(): Promise<void> {
  await server?.close();
  server = undefined;
}
