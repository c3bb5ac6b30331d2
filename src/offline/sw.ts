// The offline service worker (production builds only; see ./register.ts). It precaches every
// file of this deployment on install, then serves them cache-first, so the page, its workers
// and its shaders (inlined into the worker bundles) load without the network after the first
// visit. A new deployment changes this file (the manifest below), the browser installs the new
// version beside the old one, and it waits until the page asks it to take over (the update prompt).
//
// It also adds cross-origin isolation headers (COOP/COEP) to the same-origin responses it
// serves: static hosts rarely let one set headers, and SharedArrayBuffer needs isolation.
//
// This file is bundled on its own as a classic script: it must import nothing but types.
/// <reference lib="webworker" />
import type { PrecacheManifest } from './manifest';

declare const self: ServiceWorkerGlobalScope;
/** Replaced with the manifest's JSON by the build plugin (./buildPlugin.ts). */
declare const __PRECACHE_MANIFEST__: PrecacheManifest;

const manifest = __PRECACHE_MANIFEST__;
// Caches are per origin, not per folder: name them by scope so that two copies of the site on one
// host (say /2025/ and /2026/) never delete each other's files.
const cachePrefix = `collapse-viz ${self.registration.scope} `;
const cacheName = cachePrefix + manifest.version;
const appPage = new URL('index.html', self.location.href).href;
const scopePath = new URL(self.registration.scope).pathname;
const precached = new Set(manifest.files.map((f) => new URL(f, self.location.href).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(cacheName).then((cache) =>
      // `reload`: the HTTP cache may still hold the previous deployment's index.html.
      cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' }))),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(cachePrefix) && n !== cacheName).map((n) => caches.delete(n)),
        ),
      ),
  );
});

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return;
  const type = (data as { type?: unknown }).type;
  // The page's update prompt: the user chose to load the new version.
  if (type === 'skip-waiting') void self.skipWaiting();
  if (type === 'version' && event.source)
    event.source.postMessage({ type: 'version', version: manifest.version });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const key = cacheKey(request);
  // Anything else (a data set loaded from a URL, other pages on the host): the browser's own
  // fetch, untouched, so that it fails or succeeds exactly as without a service worker.
  if (key) event.respondWith(respond(request, key));
});

/** The cached file that answers `request`: the app's page (its folder URL or index.html, whatever
 * the query) or one of the precached files; null for anything else. */
function cacheKey(request: Request): string | null {
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  url.hash = '';
  if (
    request.mode === 'navigate' &&
    (url.pathname === scopePath || url.pathname === scopePath + 'index.html')
  )
    return appPage;
  url.search = '';
  return precached.has(url.href) ? url.href : null;
}

async function respond(request: Request, key: string): Promise<Response> {
  const navigation = request.mode === 'navigate';
  const cached = await caches.match(key, { cacheName });
  // A miss (the browser evicted the cache): the network, as a page without this worker would.
  return withIsolation(cached ?? (await fetch(request)), navigation);
}

/**
 * The same response with COOP/COEP added (unless the host already sent them). `require-corp`
 * rather than `credentialless` because Safari knows only the former; the page's own cross-origin
 * requests are CORS fetches, which it does not affect.
 */
function withIsolation(response: Response, navigation: boolean): Response {
  // Opaque and error responses cannot be rebuilt (status 0); they pass as they are.
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect')
    return response;
  const headers = new Headers(response.headers);
  if (!headers.has('Cross-Origin-Embedder-Policy'))
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  if (navigation && !headers.has('Cross-Origin-Opener-Policy'))
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
