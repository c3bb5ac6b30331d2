// Bundles bench/gpuNode/run.ts into one Node.js file (esbuild, which Vite already installs),
// with WGSL `?raw` imports inlined as text. The `webgpu` package (Dawn for Node.js, from npm)
// stays external: install it beside the bundle, e.g. `npm i --no-save webgpu@0.3`.
//
//   npx tsx bench/gpuNode/build.ts [outfile]      (default .gpu-node/run.mjs)
//   node .gpu-node/run.mjs --cora=../shared/datasets/planetoid/cora.json --out=gpu-node.json
//
// Without a GPU, Dawn finds SwiftShader the way Chromium does:
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium node …
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const outfile = process.argv[2] ?? '.gpu-node/run.mjs';
const raw: Plugin = {
  name: 'raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: fileURLToPath(new URL(args.path.replace(/\?raw$/, ''), `file://${args.resolveDir}/`)),
      namespace: 'raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};
await build({
  entryPoints: [fileURLToPath(new URL('./run.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  external: ['webgpu'],
  plugins: [raw],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log(`wrote ${outfile}`);
