// The built-in generators added for "data in and out": plain SBM, ring, grid, random geometric
// graph, Zachary's karate club and positional token sequences. Each is checked for what its
// definition promises, for determinism, and for surviving a round trip through the edge-list
// and feature files the loaders read (written here, parsed back).
import { describe, expect, it } from 'vitest';
import { generateDataset, type GeneratedSpec } from '../../src/data/generators';
import { buildDataset, canonicalSpecId } from '../../src/data/datasets';
import { connectedComponents } from '../../src/data/graph';
import { karateEdges } from '../../src/data/karate';
import { positionalEncoding } from '../../src/data/positional';
import { featuresToCsv, graphToEdgeListCsv, labelsToCsv } from '../../src/data/export';
import { parseEdgeList } from '../../src/data/parse';
import type { Dataset } from '../../src/engine/types';

function degree(ds: Dataset, i: number): number {
  return ds.graph!.rowPtr[i + 1] - ds.graph!.rowPtr[i];
}
function edges(ds: Dataset): number {
  return ds.graph!.colIdx.length / 2;
}
function neighbours(ds: Dataset, i: number): number[] {
  return Array.from(ds.graph!.colIdx.subarray(ds.graph!.rowPtr[i], ds.graph!.rowPtr[i + 1]));
}

describe("Zachary's karate club", () => {
  const ds = generateDataset({ kind: 'karate' });
  it('has 34 members, 78 friendships and two factions of 17', () => {
    expect(ds.n).toBe(34);
    expect(edges(ds)).toBe(78);
    expect(karateEdges().length).toBe(78);
    const sizes = [0, 0];
    for (const l of ds.labels!) sizes[l]++;
    expect(sizes).toEqual([17, 17]);
    expect(degree(ds, 0)).toBe(16);
    expect(degree(ds, 33)).toBe(17);
  });
  it('matches the published degree sequence and factions of the leaders', () => {
    // Degrees of members 1..34 in Zachary's data (sum 156 = 2·78).
    const published = [
      16, 9, 10, 6, 3, 4, 4, 4, 5, 2, 3, 1, 2, 5, 2, 2, 2, 2, 2, 3, 2, 2, 2, 5, 3, 3, 2, 4, 3, 4, 4, 6, 12,
      17,
    ];
    expect(Array.from({ length: 34 }, (_, i) => degree(ds, i))).toEqual(published);
    expect(ds.labels![0]).not.toBe(ds.labels![33]); // the instructor and the officer lead opposite sides
    expect(connectedComponents(ds.graph!, ds.n).sizes).toEqual([34]);
    expect(ds.featureDim).toBe(34);
  });
});

describe('plain stochastic block model', () => {
  const spec = {
    kind: 'sbm',
    n: 600,
    classes: 3,
    avgDegree: 8,
    homophily: 0.9,
    featureDim: 8,
    seed: 3,
  } as const;
  const ds = generateDataset(spec);
  it('samples about avgDegree neighbours, a homophily share inside the class', () => {
    const mean = (2 * edges(ds)) / ds.n;
    expect(mean).toBeGreaterThan(7);
    expect(mean).toBeLessThan(9);
    let inside = 0;
    for (let i = 0; i < ds.n; i++)
      for (const j of neighbours(ds, i)) if (ds.labels![i] === ds.labels![j]) inside++;
    const h = inside / (2 * edges(ds));
    expect(h).toBeGreaterThan(0.85);
    expect(h).toBeLessThan(0.95);
    expect(connectedComponents(ds.graph!, ds.n).sizes.length).toBe(1);
  });
  it('gives class-free features: class means of the features stay near 0', () => {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let count = 0;
      for (let i = 0; i < ds.n; i++)
        if (ds.labels![i] === c) {
          s += ds.features[i * 8];
          count++;
        }
      expect(Math.abs(s / count)).toBeLessThan(0.3); // std of a mean of 200 N(0,1) ≈ 0.07
    }
  });
  it('is deterministic in its seed and differs across seeds', () => {
    expect(generateDataset(spec).graph!.colIdx).toEqual(ds.graph!.colIdx);
    expect(generateDataset({ ...spec, seed: 4 }).graph!.colIdx).not.toEqual(ds.graph!.colIdx);
  });
});

describe('ring, grid and geometric graphs', () => {
  it('ring: every node has 2·round(avgDegree/2) neighbours at the right offsets', () => {
    const ds = generateDataset({ kind: 'ring', n: 50, classes: 5, avgDegree: 4, featureDim: 6, seed: 1 });
    for (let i = 0; i < 50; i++) expect(degree(ds, i)).toBe(4);
    expect(neighbours(ds, 0)).toEqual([1, 2, 48, 49]);
    expect(edges(ds)).toBe(100);
    // Feature 0 is √2·cos(2π i/n) plus noise of std 0.2.
    let err = 0;
    for (let i = 0; i < 50; i++)
      err += (ds.features[i * 6] - Math.SQRT2 * Math.cos((2 * Math.PI * i) / 50)) ** 2;
    expect(Math.sqrt(err / 50)).toBeGreaterThan(0.1);
    expect(Math.sqrt(err / 50)).toBeLessThan(0.3);
  });
  it('grid: a 5×5 lattice has 40 edges, corner degree 2 and centre degree 4; partial rows work', () => {
    const ds = generateDataset({ kind: 'grid', n: 25, classes: 5, featureDim: 4, seed: 1 });
    expect(edges(ds)).toBe(40);
    expect(degree(ds, 0)).toBe(2);
    expect(degree(ds, 12)).toBe(4);
    expect(neighbours(ds, 12)).toEqual([7, 11, 13, 17]);
    expect(Array.from(ds.labels!.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]); // bands by column
    const partial = generateDataset({ kind: 'grid', n: 7, classes: 2, featureDim: 2, seed: 1 });
    // 3 columns: rows 0 1 2 / 3 4 5 / 6 → 2+2 horizontal, 3+1 vertical.
    expect(edges(partial)).toBe(8);
  });
  it('geometric: complete at radius √2, degree under πr²n, and a larger radius only adds edges', () => {
    const spec = { kind: 'geometric', n: 400, classes: 3, radius: 0.12, featureDim: 2, seed: 9 } as const;
    const ds = generateDataset(spec);
    // The points depend on the seed only, so the same spec at radius √2 (the square's
    // diagonal) must join every pair.
    const all = generateDataset({ ...spec, radius: Math.SQRT2 });
    expect(edges(all)).toBe((400 * 399) / 2);
    const mean = (2 * edges(ds)) / ds.n;
    // Expected degree ≈ π r² n minus the boundary loss: 18.1 at most.
    expect(mean).toBeGreaterThan(12);
    expect(mean).toBeLessThan(18.2);
    const bigger = generateDataset({ ...spec, radius: 0.2 });
    // Same points, larger radius: a superset of edges.
    for (let i = 0; i < ds.n; i++) {
      const b = new Set(neighbours(bigger, i));
      for (const j of neighbours(ds, i)) expect(b.has(j)).toBe(true);
    }
  });
});

describe('positional token sequences', () => {
  it('are the sinusoidal encoding plus content clusters plus noise', () => {
    const spec = {
      kind: 'positional-tokens',
      n: 256,
      featureDim: 16,
      clusters: 3,
      separation: 0,
      seed: 2,
    } as const;
    const ds = generateDataset(spec);
    expect(ds.graph).toBeUndefined();
    expect(ds.numClasses).toBe(3);
    // With separation 0 the residual from the encoding is the noise alone (std 0.3).
    let s2 = 0;
    for (let i = 0; i < ds.n; i++)
      for (let j = 0; j < 16; j++) s2 += (ds.features[i * 16 + j] - positionalEncoding(i, j, 16)) ** 2;
    expect(Math.sqrt(s2 / (256 * 16))).toBeCloseTo(0.3, 1);
    expect(positionalEncoding(0, 0, 16)).toBe(0);
    expect(positionalEncoding(0, 1, 16)).toBe(1);
    // With separation, tokens of one cluster share an offset: cluster means differ.
    const sep = generateDataset({ ...spec, separation: 8 });
    const centroid = (c: number) => {
      const m = new Float64Array(16);
      let count = 0;
      for (let i = 0; i < sep.n; i++)
        if (sep.labels![i] === c) {
          count++;
          for (let j = 0; j < 16; j++) m[j] += sep.features[i * 16 + j] - positionalEncoding(i, j, 16);
        }
      return m.map((x) => x / count);
    };
    const a = centroid(0);
    const b = centroid(1);
    const dist = Math.hypot(...a.map((x, j) => x - b[j]));
    expect(dist).toBeGreaterThan(8 * 0.3 * 0.8);
    expect(dist).toBeLessThan(8 * 0.3 * 1.2);
  });
});

describe('through the loaders', () => {
  const specs: GeneratedSpec[] = [
    { kind: 'karate' },
    { kind: 'sbm', n: 60, classes: 2, avgDegree: 4, homophily: 0.8, featureDim: 3, seed: 1 },
    { kind: 'ring', n: 30, classes: 3, avgDegree: 2, featureDim: 4, seed: 1 },
    { kind: 'grid', n: 20, classes: 2, featureDim: 3, seed: 1 },
    { kind: 'geometric', n: 50, classes: 2, radius: 0.3, featureDim: 2, seed: 1 },
  ];
  for (const spec of specs)
    it(`${spec.kind}: edge list + features + labels files parse back to the same graph and numbers`, () => {
      const ds = buildDataset(spec);
      expect(ds.id).toBe(canonicalSpecId(spec));
      const ids = Array.from({ length: ds.n }, (_, i) => `n${i}`);
      const back = parseEdgeList({
        edges: { name: 'g.csv', text: graphToEdgeListCsv(ds.graph!, { ids }) },
        features: { name: 'g-features.csv', text: featuresToCsv(ds, { ids }) },
        labels: { name: 'g-labels.csv', text: labelsToCsv(ds.labels!, { ids }) },
      });
      expect(back.dataset.n).toBe(ds.n);
      expect(back.dataset.graph!.rowPtr).toEqual(ds.graph!.rowPtr);
      expect(back.dataset.graph!.colIdx).toEqual(ds.graph!.colIdx);
      expect(back.dataset.features).toEqual(ds.features);
      expect(back.dataset.labels).toEqual(ds.labels);
      expect(back.summary.edges).toBe(edges(ds));
    });
});

describe('validation', () => {
  it('names the bad field', () => {
    expect(() =>
      generateDataset({ kind: 'geometric', n: 10, classes: 2, radius: 0, featureDim: 2, seed: 1 }),
    ).toThrow(/radius/);
    expect(() =>
      generateDataset({ kind: 'ring', n: 0, classes: 1, avgDegree: 2, featureDim: 2, seed: 1 }),
    ).toThrow(/n must be/);
  });
});
