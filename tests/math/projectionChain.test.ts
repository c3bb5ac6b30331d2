// The projection's two steps (src/math/projection.ts) driven the way the GPU engine drives them:
// every layer's axes first, the coordinates later, must give the page's picture; and the fixed
// basis, non-finite layers and an extension from a clone.
import { describe, expect, it } from 'vitest';
import {
  ProjectionChain,
  covariance,
  project,
  projectLayer,
  rowNormalize,
  type ProjectionMode,
} from '../../src/math/projection';
import { LayerProjections, type LayerInput } from '../../src/views/projection';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Layers that drift: each a noisy linear map of the one before, widths 5 then 4. */
function drift(n: number, depth: number, seed: number): LayerInput[] {
  const r = rng(seed);
  const layers: LayerInput[] = [];
  let prev = Float32Array.from({ length: n * 5 }, () => r() - 0.5);
  layers.push({ features: prev, width: 5, nonFinite: 0 });
  for (let l = 1; l <= depth; l++) {
    const wIn = l === 1 ? 5 : 4;
    const w = Float64Array.from({ length: wIn * 4 }, () => r() - 0.5);
    const next = new Float32Array(n * 4);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < 4; c++) {
        let acc = 0.3 * (r() - 0.5);
        for (let k = 0; k < wIn; k++) acc += prev[i * wIn + k]! * w[k * 4 + c]!;
        next[i * 4 + c] = acc;
      }
    layers.push({ features: next, width: 4, nonFinite: 0 });
    prev = next;
  }
  return layers;
}

/** All axes first, then all alignments: the order the pipelined GPU engine uses. */
function twoPass(layers: LayerInput[], n: number, mode: ProjectionMode): (Float64Array | null)[] {
  const chain = new ProjectionChain(mode);
  const qs = layers.map((l) => {
    if (!l.features || l.nonFinite > 0) {
      chain.axes(l.width, null);
      return null;
    }
    const u = rowNormalize(l.features, n, l.width);
    const axes = chain.axes(l.width, covariance(u, n, l.width))!;
    return project(u, n, l.width, axes);
  });
  return qs.map((q, l) => chain.align(l, q));
}

describe('ProjectionChain', () => {
  const n = 50;
  const layers = drift(n, 6, 3);

  for (const mode of ['pca-aligned', 'fixed-basis'] as const) {
    it(`${mode}: axes for every layer first, coordinates later, give the page's picture`, () => {
      const page = new LayerProjections(layers, n, mode);
      const split = twoPass(layers, n, mode);
      split.forEach((c, l) => {
        const p = page.get(l)!;
        expect(c).not.toBeNull();
        c!.forEach((v, k) => expect(Math.abs(v - p[k]!)).toBeLessThan(1e-12));
      });
    });
  }

  it('fixed-basis: layers after the first of their width use its axes (no alignment of their own)', () => {
    const chain = new ProjectionChain('fixed-basis');
    const a0 = chain.axes(5, covariance(rowNormalize(layers[0]!.features!, n, 5), n, 5));
    const a1 = chain.axes(4, covariance(rowNormalize(layers[1]!.features!, n, 4), n, 4));
    const a2 = chain.axes(4, covariance(rowNormalize(layers[2]!.features!, n, 4), n, 4));
    expect(a0![0].length).toBe(5);
    expect(a2).toBe(a1); // layer 1 is the first of width 4
  });

  it('a layer that is not data has no picture, and the next one starts afresh', () => {
    const poisoned = layers.map((l, i) => (i === 2 ? { ...l, nonFinite: 1 } : l));
    const page = new LayerProjections(poisoned, n, 'pca-aligned');
    const split = twoPass(poisoned, n, 'pca-aligned');
    expect(split[2]).toBeNull();
    expect(page.get(2)).toBeNull();
    split[3]!.forEach((v, k) => expect(Math.abs(v - page.get(3)![k]!)).toBeLessThan(1e-12));
  });

  it('a clone continues the chain as the original would (an engine extends a cached run)', () => {
    const whole = new ProjectionChain('pca-aligned');
    const all = layers.map((l) => projectLayer(whole, l.features, n, l.width, 0));
    const head = new ProjectionChain('pca-aligned');
    layers.slice(0, 3).forEach((l) => projectLayer(head, l.features, n, l.width, 0));
    const copy = head.clone();
    const tail = layers.slice(3).map((l) => projectLayer(copy, l.features, n, l.width, 0));
    tail.forEach((c, i) => c!.forEach((v, k) => expect(v).toBe(all[3 + i]![k])));
    expect(head.done).toBe(3);
  });

  it('aligning out of order is refused', () => {
    const chain = new ProjectionChain('pca-aligned');
    chain.axes(5, covariance(rowNormalize(layers[0]!.features!, n, 5), n, 5));
    chain.axes(4, covariance(rowNormalize(layers[1]!.features!, n, 4), n, 4));
    expect(() => chain.align(1, new Float64Array(2 * n))).toThrow(/out of order/);
  });
});
