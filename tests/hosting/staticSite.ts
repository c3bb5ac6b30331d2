// The built site as a static host would serve it: `vite build` into a temporary folder, then a
// plain Node file server that mounts it under a sub-path and sends no special headers (no COOP/COEP,
// no caching rules), as a university web server or a project page would.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../browser/devServer';

const run = promisify(execFile);

/** Build the app into a fresh temporary folder (the developer's dist/ is left alone); returns it. */
export async function buildSite(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'collapse-site-'));
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repoRoot,
    // Vitest sets NODE_ENV=test, which would make Vite build a development bundle (no service worker).
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 << 20,
  });
  return outDir;
}

export async function removeSite(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export interface Served {
  method: string;
  path: string;
  status: number;
}

export interface StaticHost {
  /** The site's URL, ending in `/`: `http://127.0.0.1:PORT/some/sub/path/`. */
  url: string;
  /** Every request the server answered, in order. */
  log: Served[];
  /** Serve `file` (relative to the site) with its text passed through `edit` (e.g. a new deployment). */
  rewrite(file: string, edit: (text: string) => string): void;
  close(): Promise<void>;
}

/** Serve `dir` at `mount` (e.g. `/some/sub/path/`); anything outside it is a 404. Port 0: any free one. */
export async function serveStatic(dir: string, mount: string, port = 0): Promise<StaticHost> {
  const log: Served[] = [];
  const edits = new Map<string, (text: string) => string>();
  const server: Server = createServer((req, res) => {
    const done = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      log.push({ method: req.method ?? '', path: req.url ?? '', status });
      res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
      // Like most hosts: the folder without its slash redirects to the folder.
      if (path === mount.slice(0, -1)) return done(301, '', { Location: mount });
      if (!path.startsWith(mount)) return done(404, 'not found');
      let rel = path.slice(mount.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = normalize(join(dir, rel));
      if (!file.startsWith(dir + sep)) return done(404, 'not found');
      try {
        if (!(await stat(file)).isFile()) return done(404, 'not found');
      } catch {
        return done(404, 'not found');
      }
      let body: Buffer | string = await readFile(file);
      const edit = edits.get(rel);
      if (edit) body = edit(body.toString('utf8'));
      done(200, body, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    })().catch((err: unknown) => done(500, String(err)));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}${mount}`,
    log,
    rewrite: (file, edit) => edits.set(file, edit),
    close: () =>
      new Promise<void>((resolve) => {
        // Drop kept-alive connections too: "the host is gone" must mean no answer at all.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
