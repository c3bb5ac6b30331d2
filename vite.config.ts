import { defineConfig } from 'vitest/config';
import { fastKernelsPlugin } from './wasm/plugin.ts';
import { serviceWorkerDevReset, serviceWorkerPlugin } from './src/offline/buildPlugin.ts';

// Cross-origin isolation, so that the fast CPU engine's worker threads can share memory
// (SharedArrayBuffer). Every resource of the app is same-origin; a data set loaded from another
// origin by URL is fetched with CORS, which require-corp allows.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Vite 8 compiles TSX itself (oxc); no React plugin is needed for this app.
export default defineConfig({
  // Relative asset URLs: the built app works from any sub-path (e.g. a static host's folder).
  base: './',
  // The fast CPU engine's WebAssembly kernels (wasm/plugin.ts); the offline service worker, bundled
  // as dist/sw.js with the list of shipped files (build only); in the dev server, sw.js removes one a
  // built site left on the same origin.
  plugins: [fastKernelsPlugin(), serviceWorkerPlugin(), serviceWorkerDevReset()],
  // Worker bundles get their own plugin list: the fast engine's kernels are imported inside the
  // engine worker and its threads. ES module workers, as the app creates them ({ type: 'module' }).
  worker: { format: 'es', plugins: () => [fastKernelsPlugin()] },
  build: {
    target: 'es2022',
    outDir: 'dist',
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    headers: crossOriginIsolation,
  },
  preview: { headers: crossOriginIsolation },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Browser tests drive a software (SwiftShader) WebGPU in headless Chromium: slow but sure.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // 2-core machines: one test file at a time.
    fileParallelism: false,
    // Starts one Vite dev server for the browser tests; its URL is `inject('harnessBaseUrl')`.
    globalSetup: ['tests/browser/globalSetup.ts'],
    // The default report, then one closing line `vitest: N passed, N failed, N skipped` for CI.
    reporters: ['default', './tests/summaryReporter.ts'],
  },
});
