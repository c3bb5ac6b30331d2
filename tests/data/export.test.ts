import { describe, expect, it } from 'vitest';
import {
  featuresToCsv,
  featuresToNpy,
  graphToEdgeListCsv,
  labelsToCsv,
  matrixToCsv,
  matrixToNpy,
} from '../../src/data/export';
import { generateDataset } from '../../src/data/generators';
import { parseEdgeList, parseNpy, parseTokensCsv, readNpy } from '../../src/data/parse';
import { Rng } from '../../src/math/random';

describe('export', () => {
  const ds = generateDataset({
    kind: 'csbm',
    n: 120,
    classes: 3,
    avgDegree: 4,
    homophily: 0.8,
    featureDim: 5,
    separation: 3,
    seed: 2,
  });

  it('features round-trip exactly through CSV (float32 and float64) and .npy (<f4 and <f8)', () => {
    const csv = featuresToCsv(ds, { header: true });
    expect(csv.split('\n')[0]).toBe('f1,f2,f3,f4,f5');
    const back = parseTokensCsv({ name: 'x.csv', text: csv }).dataset;
    expect([back.n, back.featureDim]).toEqual([120, 5]);
    expect(back.features).toEqual(ds.features);
    // The shortest float32 text: 0.1 in float32 is written "0.1".
    expect(matrixToCsv(new Float32Array([0.1, 1, -2.5e-8]), 1, 3)).toBe('0.1,1,-2.5e-8\n');
    const f64 = new Float64Array(12);
    new Rng(3).fillNormal(f64);
    const text64 = matrixToCsv(f64, 4, 3);
    expect(
      text64
        .trim()
        .split('\n')
        .map((l) => l.split(',').map(Number)),
    ).toEqual(Array.from({ length: 4 }, (_, i) => Array.from(f64.subarray(3 * i, 3 * i + 3))));

    const npy4 = featuresToNpy(ds);
    expect((npy4.length - 128) % 4).toBe(0);
    expect(parseNpy('x.npy', npy4).dataset.features).toEqual(ds.features);
    const a8 = readNpy('x.npy', matrixToNpy(f64, 4, 3));
    expect(a8.dtype).toBe('<f8');
    expect(a8.shape).toEqual([4, 3]);
    expect(a8.data).toEqual(f64);
    const vec = readNpy('v.npy', matrixToNpy(new Float32Array([1, 2, 3]), 3));
    expect(vec.shape).toEqual([3]);
    // The header is padded to a 64-byte boundary and ends in a newline, as NumPy writes it.
    const headerLen = npy4[8] | (npy4[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(npy4[10 + headerLen - 1]).toBe(10);
  });

  it('the graph, the features with ids and the labels round-trip through the edge-list parser', () => {
    const ids = Array.from({ length: ds.n }, (_, i) => `node${i}`);
    const r = parseEdgeList({
      edges: { name: 'e.csv', text: graphToEdgeListCsv(ds.graph!, { ids }) },
      features: { name: 'f.csv', text: featuresToCsv(ds, { ids, header: true }) },
      labels: { name: 'l.csv', text: labelsToCsv(ds.labels!, { ids }) },
    });
    expect(r.nodeIds).toEqual(ids);
    expect(r.dataset.graph!.rowPtr).toEqual(ds.graph!.rowPtr);
    expect(r.dataset.graph!.colIdx).toEqual(ds.graph!.colIdx);
    expect(r.dataset.features).toEqual(ds.features);
    expect(r.dataset.labels).toEqual(ds.labels);
    expect(r.summary).toMatchObject({ duplicatesRemoved: 0, selfLoopsRemoved: 0 });
    expect(r.summary.oneDirectionalAdded).toBe(r.summary.edges);
  });

  it('ids and class names with commas, quotes and blanks are quoted and read back as they were', () => {
    const ids = ['Smith, J.', 'say "hi"', ' padded ', 'plain'];
    const graph = {
      rowPtr: new Uint32Array([0, 1, 3, 5, 6]),
      colIdx: new Uint32Array([1, 0, 2, 1, 3, 2]),
    };
    const text = graphToEdgeListCsv(graph, { ids });
    expect(text.split('\n')[1]).toBe('"Smith, J.","say ""hi"""');
    const labels = new Int32Array([0, 1, 1, 0]);
    const r = parseEdgeList({
      edges: { name: 'q.csv', text },
      labels: {
        name: 'q-labels.csv',
        text: labelsToCsv(labels, { ids, classNames: ['group, A', 'B'] }),
      },
    });
    expect(r.nodeIds).toEqual(ids);
    expect(r.dataset.graph!.colIdx).toEqual(graph.colIdx);
    expect(r.classNames).toEqual(['group, A', 'B']);
    expect(r.dataset.labels).toEqual(labels);
  });

  it('weighted graphs keep their weights; default ids are 0..n−1', () => {
    const graph = {
      rowPtr: new Uint32Array([0, 1, 3, 4]),
      colIdx: new Uint32Array([1, 0, 2, 1]),
      weights: new Float32Array([0.3, 0.3, 2, 2]),
    };
    const text = graphToEdgeListCsv(graph);
    expect(text).toBe('source,target,weight\n0,1,0.3\n1,2,2\n');
    const back = parseEdgeList({ edges: { name: 'w.csv', text } }).dataset.graph!;
    expect(back.weights).toEqual(graph.weights);
  });
});
