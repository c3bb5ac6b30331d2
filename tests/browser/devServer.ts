// One way to serve the repo root to headless Chromium: a Vite dev server on 127.0.0.1 with a free
// port, loading vite.config.ts as `npm run dev` does, with only the server settings changed (no
// HMR, no file watching: nothing edits sources while tests or benchmarks run). Used by the browser
// tests' global setup (./globalSetup.ts) and by the benchmarks (bench/run.ts).
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface DevServerOptions {
  /** Files to transform (and whose dependencies to pre-bundle) before the first page asks. */
  warmup: string[];
  /** Directories besides the repo that may be served (e.g. ../shared). */
  allow?: string[];
  optimizeDeps?: InlineConfig['optimizeDeps'];
}

/** Start the server; `url` is its origin without a trailing slash. */
export async function startDevServer(
  options: DevServerOptions,
): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: repoRoot,
    logLevel: 'warn',
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      hmr: false,
      watch: null,
      ...(options.allow ? { fs: { allow: [repoRoot, ...options.allow] } } : {}),
      warmup: { clientFiles: options.warmup },
    },
    ...(options.optimizeDeps ? { optimizeDeps: options.optimizeDeps } : {}),
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo | null;
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error('vite dev server did not report a TCP address');
  }
  // WebGPU needs a secure context: http://127.0.0.1 counts as one, about:blank does not get an adapter.
  return { server, url: `http://127.0.0.1:${address.port}` };
}
