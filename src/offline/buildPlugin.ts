// Vite plugin (runs in Node at build time): bundles ./sw.ts as `sw.js` at the root of the built
// site and writes into it the list of every shipped file and a version hash of their bytes.
// Development (`vite` / the browser tests' dev server) is untouched: `apply: 'build'`.
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
