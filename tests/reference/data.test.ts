import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDataset, datasetId, getRegisteredDataset, registerDataset } from '../../src/data/datasets';
import { generateDataset } from '../../src/data/generators';
import { componentSizes } from '../../src/data/graph';
import { parsePlanetoid } from '../../src/data/planetoid';
import type { Dataset, DatasetSpec } from '../../src/engine/types';
import { defaultConfig } from '../../src/engine/config';
import { createReferenceEngine } from '../../src/engine/reference/engine';

const csbm: DatasetSpec = {
  kind: 'csbm',
  n: 600,
  classes: 3,
  avgDegree: 8,
  homophily: 0.75,
  featureDim: 12,
  separation: 4,
  seed: 5,
};

function isSymmetricSortedCsr(ds: Dataset): boolean {
  const { rowPtr, colIdx } = ds.graph!;
  const has = (i: number, j: number): boolean => {
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) if (colIdx[k] === j) return true;
    return false;
  };
  for (let i = 0; i < ds.n; i++)
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      if (colIdx[k] === i) return false;
      if (k > rowPtr[i] && colIdx[k] <= colIdx[k - 1]) return false;
      if (!has(colIdx[k], i)) return false;
    }
  return true;
}

describe('generators', () => {
  it('csbm is deterministic per spec, has its id from the spec, and the asked-for structure', () => {
    const a = generateDataset(csbm as Exclude<DatasetSpec, { kind: 'loaded' }>);
    const b = generateDataset({ ...(csbm as Extract<DatasetSpec, { kind: 'csbm' }>) });
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.graph!.colIdx)).toEqual(Array.from(b.graph!.colIdx));
    expect(a.id).toBe(datasetId(csbm));
    // Key order does not matter for the id.
    expect(
      datasetId({
        seed: 5,
        kind: 'csbm',
        n: 600,
        classes: 3,
        avgDegree: 8,
        homophily: 0.75,
        featureDim: 12,
        separation: 4,
      }),
    ).toBe(a.id);
    expect(isSymmetricSortedCsr(a)).toBe(true);
    expect(componentSizes(a.graph!, a.n)).toEqual([600]);
    // Balanced classes.
    const counts = [0, 0, 0];
    for (const l of a.labels!) counts[l]++;
    expect(counts).toEqual([200, 200, 200]);
    // Mean degree ≈ 8 and homophily ≈ 0.75.
    const stored = a.graph!.rowPtr[a.n];
    expect(stored / a.n).toBeGreaterThan(7.5);
    expect(stored / a.n).toBeLessThan(8.3);
    let intra = 0;
    for (let i = 0; i < a.n; i++)
      for (let k = a.graph!.rowPtr[i]; k < a.graph!.rowPtr[i + 1]; k++)
        if (a.labels![a.graph!.colIdx[k]] === a.labels![i]) intra++;
    expect(Math.abs(intra / stored - 0.75)).toBeLessThan(0.04);
    // Class means at distance ≈ separation (noise std 1): compare empirical class means.
    const mean = (c: number): number[] => {
      const m = new Array(12).fill(0);
      for (let i = 0; i < a.n; i++)
        if (a.labels![i] === c) for (let t = 0; t < 12; t++) m[t] += a.features[i * 12 + t] / 200;
      return m;
    };
    const [m0, m1] = [mean(0), mean(1)];
    const dist = Math.sqrt(m0.reduce((s, v, t) => s + (v - m1[t]) ** 2, 0));
    expect(Math.abs(dist - 4)).toBeLessThan(0.5);
    // Another seed, other numbers.
    const c = generateDataset({ ...(csbm as Extract<DatasetSpec, { kind: 'csbm' }>), seed: 6 });
    expect(Array.from(c.features.subarray(0, 10))).not.toEqual(Array.from(a.features.subarray(0, 10)));
  });

  it('random-graph is fast and O(edges) at 10⁵ nodes; tokens have no graph', () => {
    const t = performance.now();
    const g = buildDataset({ kind: 'random-graph', n: 100_000, avgDegree: 10, featureDim: 8, seed: 1 });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(g.graph!.rowPtr[g.n] / g.n).toBeGreaterThan(9.9);
    expect(g.features.length).toBe(800_000);
    const tk = buildDataset({ kind: 'tokens', n: 50, featureDim: 4, clusters: 5, separation: 2, seed: 1 });
    expect(tk.graph).toBeUndefined();
    expect(tk.numClasses).toBe(5);
    expect(Array.from(tk.labels!.subarray(0, 12))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('rejects bad specs with a message naming the field', () => {
    expect(() => buildDataset({ ...(csbm as Extract<DatasetSpec, { kind: 'csbm' }>), homophily: 2 })).toThrow(
      /homophily must be in 0\.\.1/,
    );
    expect(() =>
      buildDataset({ kind: 'tokens', n: 0, featureDim: 4, clusters: 1, separation: 1, seed: 1 }),
    ).toThrow(/n must be an integer/);
    expect(() => buildDataset({ kind: 'loaded', id: 'missing' })).toThrow(
      /no data set is loaded under the id "missing"/,
    );
  });
});

describe('planetoid', () => {
  const tiny = {
    name: 'tiny',
    numNodes: 4,
    numFeatures: 5,
    numClasses: 2,
    labels: [0, 1, -1, 1],
    features: [[0, 4], [], [2], [1, 2, 3]],
    edges: [
      [0, 1],
      [1, 2],
      [2, 3],
    ],
  };

  it('parses word lists into binary features, keeps −1 labels, builds the CSR, registers by id', () => {
    const ds = parsePlanetoid(tiny);
    expect(ds.n).toBe(4);
    expect(Array.from(ds.features)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, -1, 1]);
    expect(Array.from(ds.graph!.rowPtr)).toEqual([0, 1, 3, 5, 6]);
    expect(ds.id).toMatch(/^planetoid:tiny:[0-9a-f]{8}$/);
    const other = parsePlanetoid({ ...tiny, features: [[0], [], [2], [1, 2, 3]] });
    expect(other.id).not.toBe(ds.id);
    registerDataset(ds);
    expect(getRegisteredDataset(ds.id)).toBe(ds);
    expect(buildDataset({ kind: 'loaded', id: ds.id })).toBe(ds);
  });

  it.each([
    [null, /expected an object/],
    [{ ...tiny, numNodes: 0 }, /"numNodes" must be a positive integer/],
    [{ ...tiny, labels: [0, 1] }, /"labels" must be an array of numNodes = 4/],
    [{ ...tiny, labels: [0, 1, 2, 1] }, /labels\[2\] must be an integer in -1\.\.1/],
    [{ ...tiny, features: [[0], [], [9], []] }, /features\[2\]\[0\] must be an integer in 0\.\.4/],
    [{ ...tiny, edges: [[0, 4]] }, /edges\[0\]\[1\] must be an integer in 0\.\.3/],
    [{ ...tiny, edges: [[0]] }, /edges\[0\] must be a pair/],
  ])('rejects malformed input (%#)', (json, message) => {
    expect(() => parsePlanetoid(json)).toThrow(message);
  });

  const coraPath = fileURLToPath(new URL('../../../shared/datasets/planetoid/cora.json', import.meta.url));
  const haveCora = existsSync(coraPath);
  if (!haveCora)
    console.warn(
      `skipping the Cora checks: ${coraPath} is absent (the shared data sets sit beside the project)`,
    );

  it.skipIf(!haveCora)('loads Cora: 2708 nodes, 5278 edges (10556 stored), 1433 features, 7 classes', () => {
    const ds = parsePlanetoid(JSON.parse(readFileSync(coraPath, 'utf8')));
    expect(ds.n).toBe(2708);
    expect(ds.graph!.rowPtr[ds.n]).toBe(10556);
    expect(ds.featureDim).toBe(1433);
    expect(ds.numClasses).toBe(7);
    expect(ds.name).toBe('cora');
    expect(isSymmetricSortedCsr(ds)).toBe(true);
    expect(new Set(ds.labels).size).toBe(7);
  });

  it.skipIf(!haveCora)(
    'runs Cora through the reference engine: the 1433×1433 layer-0 spectrum in seconds, Σσ² = ‖X‖²',
    async () => {
      const ds = parsePlanetoid(JSON.parse(readFileSync(coraPath, 'utf8')));
      const config = {
        ...defaultConfig(),
        dataset: { kind: 'loaded' as const, id: ds.id },
        layers: 2,
        hidden: 16,
      };
      const t = performance.now();
      const r = await createReferenceEngine().run(config, { dataset: ds, features: 'none' });
      const seconds = (performance.now() - t) / 1000;
      expect(seconds).toBeLessThan(30);
      const ones = ds.features.reduce((s, v) => s + v, 0);
      const sv = r.layers[0].metrics.singularValues;
      expect(sv.length).toBe(1433);
      expect(sv.reduce((s, v) => s + v * v, 0) / ones).toBeCloseTo(1, 9);
      expect(r.layers[0].metrics.frobenius ** 2).toBeCloseTo(ones, 6);
      expect(r.layers[2].width).toBe(16);
      expect(r.warnings.some((w) => /connected components/.test(w))).toBe(true); // Cora has 78
    },
  );
});
