// Planetoid JSON as a loaded file (src/data/parse/planetoidJson.ts): the Dataset keeps the
// file's split, the summary counts it, and bad files are refused with the file's name. The
// real Cora file is read when ../shared/datasets is present (skipped otherwise).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataFileError, parsePlanetoidJson } from '../../src/data/parse';
import { reduceFeatures } from '../../src/data/reduce';
import { getRegisteredDataset, registerDataset, unregisterDataset } from '../../src/data/registry';

const coraJson = fileURLToPath(new URL('../../../shared/datasets/planetoid/cora.json', import.meta.url));
const haveCora = existsSync(coraJson);
if (!haveCora) console.warn(`[planetoidLoad.test] ${coraJson} is absent: the Cora check is skipped`);

/** A 6-node, 2-class graph with a split; a self loop and a repeated pair to be normalized. */
function tiny(extra: Record<string, unknown> = {}) {
  return {
    name: 'tiny',
    numNodes: 6,
    numFeatures: 4,
    numClasses: 2,
    labels: [0, 0, 0, 1, 1, -1],
    features: [[0], [0, 1], [1], [2], [3], [2, 3]],
    edges: [
      [0, 1],
      [1, 2],
      [3, 4],
      [4, 5],
      [2, 2],
      [1, 0],
    ],
    split: { train: [0, 3], val: [1, 4], test: [2] },
    ...extra,
  };
}

function errorOf(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

describe('Planetoid JSON file', () => {
  it('keeps the split, counts it and what was normalized', () => {
    const { dataset, summary } = parsePlanetoidJson({ name: 'x/tiny.json', text: JSON.stringify(tiny()) });
    expect([dataset.n, dataset.featureDim, dataset.numClasses, dataset.name]).toEqual([6, 4, 2, 'tiny']);
    expect(dataset.id).toMatch(/^planetoid:tiny:[0-9a-f]{8}$/);
    expect(Array.from(dataset.split!.train)).toEqual([0, 3]);
    expect(Array.from(dataset.split!.test)).toEqual([2]);
    expect(summary).toMatchObject({
      nodes: 6,
      edges: 4,
      classes: 2,
      featureDim: 4,
      selfLoopsRemoved: 1,
      duplicatesRemoved: 1,
      oneDirectionalAdded: 0,
      unlabelled: 1,
      split: { train: 2, val: 2, test: 1 },
    });
    // Survives registration and a feature reduction (the worker reduces before posting).
    registerDataset(dataset);
    expect(getRegisteredDataset(dataset.id)!.split).toBe(dataset.split);
    unregisterDataset(dataset.id);
    const reduced = reduceFeatures(dataset, { method: 'random', d: 2, seed: 1 });
    expect(reduced.split).toBe(dataset.split);
  });

  it('names the set after the file when the JSON has no name; another split is another id', () => {
    const a = parsePlanetoidJson({ name: 'my graph.json', text: JSON.stringify(tiny({ name: undefined })) });
    expect(a.dataset.name).toBe('my graph');
    const b = parsePlanetoidJson({
      name: 'my graph.json',
      text: JSON.stringify(tiny({ name: undefined, split: { train: [0, 4], val: [1, 3], test: [2] } })),
    });
    expect(b.dataset.id).not.toBe(a.dataset.id);
    // No split: no split in the summary (the trainer draws a seeded one).
    const c = parsePlanetoidJson({ name: 'c.json', text: JSON.stringify(tiny({ split: undefined })) });
    expect(c.dataset.split).toBeUndefined();
    expect('split' in c.summary).toBe(false);
  });

  it('refuses bad files with the file name and what is wrong', () => {
    const bad = (name: string, text: string) => errorOf(() => parsePlanetoidJson({ name, text }));
    expect(bad('a.json', '{"numNodes": 3,').message).toMatch(/^a\.json: not valid JSON/);
    expect(bad('conf.json', '{"kind": "collapse-config", "hash": "L=2"}').message).toMatch(
      /^conf\.json: not Planetoid JSON: expected an object with numNodes, numFeatures, numClasses, labels, features, edges.*Load configuration/,
    );
    expect(bad('b.json', JSON.stringify(tiny({ labels: [0, 0, 0, 1, 2, 0] }))).message).toMatch(
      /^b\.json: Planetoid JSON: labels\[4\] must be an integer in -1\.\.1 \(got 2\)/,
    );
    expect(bad('c.json', JSON.stringify(tiny({ split: { train: [9], val: [], test: [] } }))).message).toMatch(
      /^c\.json: .*split\.train\[0\] must be an integer in 0\.\.5/,
    );
  });

  it.skipIf(!haveCora)('Cora: 2,708 nodes, 5,278 edges, the public split 140 / 500 / 1,000', () => {
    const t = performance.now();
    const { dataset, summary } = parsePlanetoidJson({
      name: 'cora.json',
      text: readFileSync(coraJson, 'utf8'),
    });
    console.log(`[planetoidLoad.test] cora.json parsed in ${(performance.now() - t).toFixed(0)} ms`);
    expect(dataset.name).toBe('cora');
    expect(summary).toMatchObject({
      nodes: 2708,
      edges: 5278,
      classes: 7,
      featureDim: 1433,
      selfLoopsRemoved: 0,
      duplicatesRemoved: 0,
      unlabelled: 0,
      split: { train: 140, val: 500, test: 1000 },
    });
  });
});
