// Vite plugin: `import { plain, relaxed } from 'virtual:fast-kernels'` gives the fast CPU engine's
// WebAssembly module (wasm/kernels.ts compiled by the AssemblyScript compiler, an npm package),
// base64-encoded, in two builds: `plain` (128-bit SIMD) and `relaxed` (also relaxed SIMD, for
// its fused multiply-add; engines without it reject that build, and the plain one runs). It
// compiles at dev-server start, in `vite build` and in Vitest alike, so no binary is committed and nothing is downloaded. The result is cached under
// node_modules/.cache/fast-kernels/ by a hash of the source and the compiler's version
// (compiling takes a few seconds on a busy machine).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const VIRTUAL = 'virtual:fast-kernels';
const RESOLVED = '\0' + VIRTUAL;
const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'kernels.ts');
const cacheDir = join(here, '..', 'node_modules', '.cache', 'fast-kernels');

/** The compiler flags: optimized, SIMD, no garbage collector (the kernels allocate nothing). */
export const ASC_FLAGS = ['-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'];
/** The relaxed build's extra flags. */
export const RELAXED_FLAGS = ['--enable', 'relaxed-simd'];

export async function compileKernels(relaxed = false): Promise<Uint8Array> {
  const flags = relaxed ? [...ASC_FLAGS, ...RELAXED_FLAGS] : ASC_FLAGS;
  const version = (createRequire(import.meta.url)('assemblyscript/package.json') as { version: string })
    .version;
  const text = readFileSync(source, 'utf8');
  const hash = createHash('sha256')
    .update(version + '\0' + flags.join(' ') + '\0' + text)
    .digest('hex')
    .slice(0, 16);
  const cached = join(cacheDir, `${hash}.wasm`);
  if (existsSync(cached)) return readFileSync(cached);
  const asc = (await import('assemblyscript/asc')).default;
  let binary: Uint8Array | null = null;
  const result = await asc.main([source, '--outFile', 'kernels.wasm', ...flags], {
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
  });
  if (result.error || !binary)
    throw new Error(
      `AssemblyScript failed on wasm/kernels.ts: ${result.error?.message ?? ''}\n${result.stderr.toString()}`,
    );
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cached, binary);
  return binary;
}

export function fastKernelsPlugin(): Plugin {
  return {
    name: 'fast-kernels',
    resolveId(id) {
      return id === VIRTUAL ? RESOLVED : null;
    },
    async load(id) {
      if (id !== RESOLVED) return null;
      this.addWatchFile(source);
      // One after the other: the compiler is not known to be safe to run twice at once.
      const plain = await compileKernels(false);
      const relaxed = await compileKernels(true);
      const b64 = (bytes: Uint8Array): string => JSON.stringify(Buffer.from(bytes).toString('base64'));
      return `export const plain = ${b64(plain)};\nexport const relaxed = ${b64(relaxed)};`;
    },
  };
}
