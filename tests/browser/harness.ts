// The harness page's script: collects the case functions of ./cases into `window.harness`.
// A test calls one with `page.evaluate((args) => window.harness.someCase(args), args)`;
// arguments and results cross the Playwright boundary serialized: plain objects, arrays,
// numbers (NaN and ±Infinity included) and typed arrays (Float32Array, …) arrive intact;
// GPU objects, functions and class instances do not.
import * as cases from './cases/index';

window.harnessError = undefined;
try {
  // Every function exported by a file in ./cases must be re-exported by ./cases/index.ts
  // (that file also gives `window.harness` its type): catch a forgotten line early.
  const modules = import.meta.glob<Record<string, unknown>>('./cases/*.ts', { eager: true });
  const registered = new Set<unknown>(Object.values(cases));
  const missing: string[] = [];
  for (const [file, mod] of Object.entries(modules)) {
    if (file.endsWith('/index.ts')) continue;
    for (const [name, value] of Object.entries(mod))
      if (typeof value === 'function' && !registered.has(value)) missing.push(`${file}: ${name}`);
  }
  if (missing.length > 0)
    throw new Error(`case functions not re-exported by tests/browser/cases/index.ts: ${missing.join(', ')}`);
  window.harness = cases;
  window.harnessReady = true;
} catch (err) {
  window.harnessError = err instanceof Error ? (err.stack ?? err.message) : String(err);
  throw err;
}
