// Vitest global setup: one Vite dev server for every browser test in the run.
// Tests read its URL with `inject('harnessBaseUrl')` (see ./chromium.ts, openHarness).
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the dev server serving the repo root, e.g. `http://127.0.0.1:40123` (no trailing slash). */
    harnessBaseUrl: string;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let server: ViteDevServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await createServer({
    root: repoRoot,
    // vite.config.ts is loaded as for `npm run dev`; only the server settings differ.
    logLevel: 'warn',
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      hmr: false,
      // No file watching: the tests do not edit sources while they run.
      watch: null,
      // Transform the harness and its imports (and pre-bundle their dependencies) before the first page asks.
      warmup: { clientFiles: ['tests/browser/harness.ts'] },
    },
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null;
  if (!address || typeof address === 'string')
    throw new Error('vite dev server did not report a TCP address');
  // WebGPU needs a secure context: http://127.0.0.1 counts as one, about:blank does not get an adapter.
  const url = `http://127.0.0.1:${address.port}`;
  project.provide('harnessBaseUrl', url);
}

export async function teardown(): Promise<void> {
  await server?.close();
  server = undefined;
}
