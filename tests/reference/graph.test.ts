import { describe, expect, it } from 'vitest';
import { buildCsr, componentSizes } from '../../src/data/graph';

describe('buildCsr', () => {
  it('stores each edge both ways, sorted, without self loops or repeats, and counts what it dropped', () => {
    const r = buildCsr(4, [
      [2, 0],
      [0, 1],
      [1, 1], // self loop
      [1, 0], // repeat of (0, 1) in the other direction
      [3, 0],
      [0, 2], // repeat
    ]);
    expect(Array.from(r.graph.rowPtr)).toEqual([0, 3, 4, 5, 6]);
    expect(Array.from(r.graph.colIdx)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(r.edgeCount).toBe(3);
    expect(r.selfLoopsRemoved).toBe(1);
    expect(r.duplicatesRemoved).toBe(2);
    expect(r.graph.weights).toBeUndefined();
  });

  it('accepts a flat Uint32Array and keeps the largest weight of repeats', () => {
    const r = buildCsr(3, Uint32Array.of(0, 1, 1, 0, 1, 2), [2, 5, 0.5]);
    expect(Array.from(r.graph.colIdx)).toEqual([1, 0, 2, 1]);
    expect(Array.from(r.graph.weights!)).toEqual([5, 5, 0.5, 0.5]);
  });

  it('sorts long rows too (a hub) and handles isolated nodes', () => {
    const edges: Array<[number, number]> = [];
    for (let v = 60; v >= 1; v--) edges.push([0, v]);
    const r = buildCsr(
      62,
      edges,
      edges.map((_, k) => k),
    );
    const row0 = Array.from(r.graph.colIdx.subarray(0, 60));
    expect(row0).toEqual(Array.from({ length: 60 }, (_, k) => k + 1));
    expect(r.graph.weights![0]).toBe(59); // edge (0, 1) was listed last
    expect(r.graph.rowPtr[62] - r.graph.rowPtr[61]).toBe(0);
    expect(componentSizes(r.graph, 62)).toEqual([61, 1]);
  });

  it('rejects bad node ids and weights with a clear message', () => {
    expect(() => buildCsr(2, [[0, 2]])).toThrow(/outside 0\.\.1/);
    expect(() => buildCsr(2, [[0, -1]])).toThrow(/not a pair of node indices/);
    expect(() => buildCsr(2, [[0, 1]], [NaN])).toThrow(/non-finite weight/);
    expect(() => buildCsr(2, [[0, 1]], [1, 2])).toThrow(/2 weights for 1 edges/);
  });
});
