// Vite plugins (run in Node): at build time, bundle ./sw.ts as `sw.js` at the root of the built
// site with the list of every shipped file and a version hash of their bytes; in the dev server,
// answer `sw.js` with a worker that removes itself (see serviceWorkerDevReset).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';
import { APP_PAGE, SERVICE_WORKER_FILE, type PrecacheManifest } from './manifest.ts';

const PLACEHOLDER = '__PRECACHE_MANIFEST__';
const SOURCE = fileURLToPath(new URL('./sw.ts', import.meta.url));

/** Every file under `dir`, as `/`-separated paths relative to it. */
function listFiles(dir: string, root = dir): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path).split(sep).join('/')];
  });
}

export function serviceWorkerPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'collapse-viz:service-worker',
    apply: 'build',
    // After Vite's HTML plugin, so that index.html is in the bundle to list and hash.
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: SOURCE, fileName: SERVICE_WORKER_FILE });
    },
    generateBundle(_options, bundle) {
      const sw = bundle[SERVICE_WORKER_FILE];
      if (!sw || sw.type !== 'chunk') this.error(`${SERVICE_WORKER_FILE} was not bundled`);
      // A classic script (service workers as modules are not supported everywhere): no imports.
      if (sw.imports.length || /^\s*(import|export)\b/m.test(sw.code))
        this.error(`${SERVICE_WORKER_FILE} must not import anything: ${sw.imports.join(', ')}`);
      const hash = createHash('sha256');
      const files: string[] = [];
      for (const [name, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (name === SERVICE_WORKER_FILE || name.endsWith('.map')) continue;
        files.push(name);
        hash
          .update(name)
          .update('\0')
          .update(item.type === 'chunk' ? item.code : item.source);
      }
      // public/ is copied as it is after the bundle is written; its files ship too.
      const publicDir = config.publicDir;
      if (publicDir)
        for (const name of listFiles(publicDir).sort()) {
          if (files.includes(name)) continue;
          files.push(name);
          hash
            .update(name)
            .update('\0')
            .update(readFileSync(join(publicDir, name)));
        }
      if (!files.includes(APP_PAGE)) this.error(`${APP_PAGE} is not in the bundle: nothing to serve offline`);
      const manifest: PrecacheManifest = { version: hash.digest('hex').slice(0, 16), files };
      const parts = sw.code.split(PLACEHOLDER);
      if (parts.length !== 2)
        this.error(`${SERVICE_WORKER_FILE}: expected one ${PLACEHOLDER}, found ${parts.length - 1}`);
      sw.code = parts.join(`(${JSON.stringify(manifest)})`);
    },
  };
}

/**
 * `npm run serve` and `npm run dev` share an origin (127.0.0.1:5173): the built site's service
 * worker, once installed there, would go on serving the built page in place of the dev server's.
 * The browser re-fetches sw.js on every visit; the dev server answers with this worker, which
 * replaces the old one, deletes its caches, unregisters and reloads the open pages, so the dev
 * server's code shows from the next load on.
 */
const DEV_RESET_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const prefix = 'collapse-viz ' + self.registration.scope + ' ';
    for (const name of await caches.keys()) if (name.startsWith(prefix)) await caches.delete(name);
    await self.registration.unregister();
    for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
  })());
});
`;

export function serviceWorkerDevReset(): Plugin {
  return {
    name: 'collapse-viz:service-worker-dev-reset',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (new URL(req.url ?? '/', 'http://dev').pathname !== `/${SERVICE_WORKER_FILE}`) return next();
        res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.end(DEV_RESET_WORKER);
      });
    },
  };
}
