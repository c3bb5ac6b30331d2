// The page as its users get it, for the latency benchmark: `vite build` into a temporary folder
// (tests/hosting/staticSite.ts) served by `vite preview`, i.e. the production bundle with the
// preview server's cross-origin-isolation headers (vite.config.ts), not the dev server's
// on-demand module transforms, which alone cost a fresh page several seconds.
import type { AddressInfo } from 'node:net';
import { preview } from 'vite';
import { repoRoot } from '../tests/browser/devServer';
import { buildSite, removeSite } from '../tests/hosting/staticSite';

export async function serveBuiltSite(): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = await buildSite();
  const server = await preview({
    root: repoRoot,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address() as AddressInfo | null;
  if (!address || typeof address === 'string') {
    await server.close();
    await removeSite(outDir);
    throw new Error('vite preview did not report a TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      await removeSite(outDir);
    },
  };
}
