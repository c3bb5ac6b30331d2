import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEdgeList, parseLinqs, summarize } from '../../src/data/parse';
import { parsePlanetoid } from '../../src/data/planetoid';
import { componentSizes } from '../../src/data/graph';

const root = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const coraJson = `${root}planetoid/cora.json`;
const citeseerJson = `${root}planetoid/citeseer.json`;
const coraContent = `${root}pygcn-cora/cora.content`;
const coraCites = `${root}pygcn-cora/cora.cites`;
const haveCora = existsSync(coraJson) && existsSync(coraContent) && existsSync(coraCites);
const haveCiteseer = existsSync(citeseerJson);
if (!haveCora || !haveCiteseer)
  console.warn(
    `skipping the real-data loader checks: ${root} is absent (the shared data sets sit beside the project)`,
  );

/** Entries where two equally long arrays differ (or −1 for different lengths). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -1;
  let k = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) k++;
  return k;
}

describe('real data sets', () => {
  it.skipIf(!haveCora)('Cora: the Planetoid JSON and the LINQS files give the same data set', () => {
    const json = parsePlanetoid(JSON.parse(readFileSync(coraJson, 'utf8')));
    const t = performance.now();
    const r = parseLinqs({
      content: { name: 'cora.content', text: readFileSync(coraContent, 'utf8') },
      cites: { name: 'cora.cites', text: readFileSync(coraCites, 'utf8') },
    });
    console.log(`LINQS Cora parsed in ${(performance.now() - t).toFixed(0)} ms`);
    const ds = r.dataset;
    expect([ds.n, ds.featureDim, ds.numClasses]).toEqual([2708, 1433, 7]);
    // The public Planetoid split travels with the JSON (training needs it).
    expect([json.split?.train.length, json.split?.val.length, json.split?.test.length]).toEqual([
      140, 500, 1000,
    ]);
    expect(r.summary).toMatchObject({
      nodes: 2708,
      edges: 5278,
      classes: 7,
      featureDim: 1433,
      selfLoopsRemoved: 0,
      duplicatesRemoved: 0,
      oneDirectionalAdded: 5278, // each citation is listed once
      unlabelled: 0,
      components: 78,
    });
    expect(r.summary.isolated).toBe(0);
    // Same CSR, same features.
    // (Element loops: a deep toEqual of 3.9M floats takes seconds.)
    expect(mismatches(ds.graph!.rowPtr, json.graph!.rowPtr)).toBe(0);
    expect(mismatches(ds.graph!.colIdx, json.graph!.colIdx)).toBe(0);
    expect(mismatches(ds.features, json.features)).toBe(0);
    expect(componentSizes(ds.graph!, ds.n)).toEqual(componentSizes(json.graph!, json.n));
    // Labels equal up to the class-name mapping: a bijection, consistent with the names.
    const map = new Map<number, number>();
    let inconsistent = 0;
    for (let i = 0; i < ds.n; i++) {
      const a = ds.labels![i];
      const b = json.labels![i];
      if (!map.has(a)) map.set(a, b);
      if (map.get(a) !== b) inconsistent++;
    }
    expect(inconsistent).toBe(0);
    expect(new Set(map.values()).size).toBe(7);
    for (const [a, b] of map) expect(r.classNames![a]).toBe(`class_${b}`);
  });

  it.skipIf(!haveCiteseer)(
    'CiteSeer: the Planetoid JSON keeps its 15 unlabelled nodes as −1 and the summary counts them',
    () => {
      const ds = parsePlanetoid(JSON.parse(readFileSync(citeseerJson, 'utf8')));
      const s = summarize(ds);
      expect(s).toMatchObject({ nodes: 3327, edges: 4552, classes: 6, featureDim: 3703, unlabelled: 15 });
      expect(ds.labels!.filter((l) => l === -1).length).toBe(15);
      expect(s.isolated).toBeGreaterThan(0); // CiteSeer has isolated nodes (48)
      console.log(`CiteSeer summary: ${JSON.stringify(s)}`);
    },
  );

  it('parses a generated 1,000,000-edge list', () => {
    const n = 100_000;
    const lines: string[] = ['source,target'];
    let s = 12345;
    const next = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    for (let e = 0; e < 1_000_000; e++) lines.push(`n${next()},n${next()}`);
    const text = lines.join('\n');
    const t = performance.now();
    const r = parseEdgeList({ edges: { name: 'big.csv', text } }, { randomFeatureDim: 4 });
    const ms = performance.now() - t;
    console.log(
      `1,000,000-edge list (${(text.length / 1e6).toFixed(1)} MB) parsed in ${ms.toFixed(0)} ms: ` +
        `${r.summary.nodes} nodes, ${r.summary.edges} edges`,
    );
    expect(r.summary.nodes).toBeLessThanOrEqual(n);
    const { edges, selfLoopsRemoved, duplicatesRemoved, oneDirectionalAdded } = r.summary;
    // Every line is accounted for: kept once, a self loop, a repeat, or the second direction.
    expect(edges! + selfLoopsRemoved + duplicatesRemoved + (edges! - oneDirectionalAdded)).toBe(1_000_000);
  });
});
