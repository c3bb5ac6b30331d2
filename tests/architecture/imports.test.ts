// The layering of src/: maths, then data, then the compute folders, then each view's state,
// runtime and components. Read from the sources' import statements (TypeScript's own scanner, so
// comments and strings that look like imports do not count), with no import circle anywhere.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null; // a package
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return /\.tsx?$/.test(candidate) ? candidate : null;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(SRC, from)}: cannot resolve import '${spec}'`);
}

/** Each file of src/ (relative path) and the src/ files it imports, statically or dynamically. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = info.importedFiles
      .map((i) => resolveImport(file, i.fileName))
      .filter((d): d is string => d !== null)
      .map((d) => relative(SRC, d));
    graph.set(relative(SRC, file), [...new Set(deps)]);
  }
  return graph;
}

/** The strongly connected components with more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const folder = (file: string): string => (file.includes('/') ? file.split('/')[0] : file);

/** What each folder of src/ must not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  math: ['data', 'engine', 'training', 'noncontrastive', 'state', 'runtime', 'presets', 'lessons', 'views'],
  data: ['engine', 'training', 'noncontrastive', 'state', 'runtime', 'presets', 'lessons', 'views'],
  engine: ['training', 'noncontrastive', 'state', 'runtime', 'presets', 'lessons', 'views'],
  training: ['noncontrastive', 'state', 'runtime', 'presets', 'lessons', 'views'],
  noncontrastive: ['training', 'state', 'runtime', 'presets', 'lessons', 'views'],
  state: ['runtime', 'views'],
  presets: ['runtime', 'views'],
  runtime: ['views'],
};

describe('the import structure of src/', () => {
  const graph = importGraph();

  it('sees the files and their imports', () => {
    // Guards the test itself: an empty or unresolved graph would pass every rule below.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('state/page.ts')).toContain('state/schema.ts');
  });

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('imports only downwards: maths, data, compute, state, runtime, views', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph)
      for (const dep of deps)
        if (FORBIDDEN[folder(file)]?.includes(folder(dep))) wrong.push(`${file} → ${dep}`);
    expect(wrong).toEqual([]);
  });

  it('keeps state/schema.ts a leaf of the state folder', () => {
    expect(graph.get('state/schema.ts')!.filter((d) => folder(d) === 'state')).toEqual([]);
  });

  it('finds a circle and a wrong import when there is one', () => {
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(FORBIDDEN[folder('engine/cpuEngine.ts')]).toContain(folder('state/page.ts'));
  });
});
