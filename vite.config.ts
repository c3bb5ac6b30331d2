import { defineConfig } from 'vitest/config';
import { serviceWorkerDevReset, serviceWorkerPlugin } from './src/offline/buildPlugin.ts';

// Vite 8 compiles TSX itself (oxc); no React plugin is needed for this app.
export default defineConfig({
  // Relative asset URLs: the built app works from any sub-path (e.g. a static host's folder).
  base: './',
  // The offline service worker, bundled as dist/sw.js with the list of shipped files (build only);
  // in the dev server, sw.js removes one a built site left on the same origin.
  plugins: [serviceWorkerPlugin(), serviceWorkerDevReset()],
  build: {
    target: 'es2022',
    outDir: 'dist',
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
  },
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
