// The embedding view's projection helpers, in Node: PCA axes, Procrustes alignment, layers.
import { describe, expect, it } from 'vitest';
import {
  LayerProjections,
  applyRight,
  coordsAtDepth,
  covariance,
  procrustes2,
  project,
  rowNormalize,
  topTwoAxes,
} from '../../src/views/projection';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussianRows(n: number, d: number, scales: number[], seed: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const g = Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
    x[i] = g * scales[i % d];
  }
  return x;
}

describe('projection helpers', () => {
  it('row-normalizes every row to unit length', () => {
    const u = rowNormalize(Float32Array.of(3, 4, 0, 0, 2, 0), 3, 2);
    [0.6, 0.8, 0, 0, 1, 0].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 12));
  });

  it('finds the top two principal axes of a diagonal covariance', () => {
    const c = new Float64Array(16);
    [1, 5, 0.1, 3].forEach((v, i) => (c[i * 4 + i] = v));
    const [a, b] = topTwoAxes(c, 4);
    expect(Math.abs(a[1])).toBeCloseTo(1, 6);
    expect(Math.abs(b[3])).toBeCloseTo(1, 6);
  });

  it('leaves a warm start that is an eigenplane, but not the top one, for the top plane', () => {
    const c = new Float64Array(16);
    [1, 5, 0.1, 3].forEach((v, i) => (c[i * 4 + i] = v));
    const e = (i: number) => Float64Array.from({ length: 4 }, (_, j) => (j === i ? 1 : 0));
    // span{e0, e2} is invariant under c: iteration from it alone would never leave it.
    const [a, b] = topTwoAxes(c, 4, [e(0), e(2)]);
    expect(Math.abs(a[1])).toBeCloseTo(1, 6);
    expect(Math.abs(b[3])).toBeCloseTo(1, 6);
    // Warm-started at the answer it stays there.
    const [a2, b2] = topTwoAxes(c, 4, [e(1), e(3)]);
    expect(Math.abs(a2[1])).toBeCloseTo(1, 9);
    expect(Math.abs(b2[3])).toBeCloseTo(1, 9);
  });

  it('recovers a known rotation (and a reflection) by Procrustes', () => {
    const p = Float64Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.3) + 0.1 * i);
    for (const r of [
      [Math.cos(1), -Math.sin(1), Math.sin(1), Math.cos(1)],
      [1, 0, 0, -1],
    ] as [number, number, number, number][]) {
      // q = p Rᵀ, so the best R for ‖qR − p‖ is R itself (orthogonal).
      const q = applyRight(p, [r[0], r[2], r[1], r[3]]);
      const fit = procrustes2(q, p);
      const back = applyRight(q, fit);
      for (let i = 0; i < p.length; i++) expect(back[i]).toBeCloseTo(p[i], 9);
    }
  });

  it('keeps every projected point inside the unit disc', () => {
    const n = 200;
    const d = 8;
    const u = rowNormalize(gaussianRows(n, d, [3, 2, 1, 1, 1, 1, 1, 1], 3), n, d);
    const coords = project(u, n, d, topTwoAxes(covariance(u, n, d), d));
    for (let i = 0; i < n; i++)
      expect(Math.hypot(coords[2 * i], coords[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('aligns consecutive layers: a sign-flipped, rotated copy of a layer projects onto it', () => {
    const n = 150;
    const d = 6;
    const x = gaussianRows(n, d, [4, 2, 1, 0.5, 0.5, 0.5], 11);
    // Layer 1 = layer 0 with the coordinates negated: the same picture, flipped axes.
    const y = x.map((v) => -v);
    const p = new LayerProjections(
      [
        { features: x, width: d, nonFinite: 0 },
        { features: y, width: d, nonFinite: 0 },
      ],
      n,
      'pca-aligned',
    );
    const a = p.get(0)!;
    const b = p.get(1)!;
    // −x projects to −(layer 0) on the same axes; the alignment must map it back on top.
    let fitErr = 0;
    for (let i = 0; i < a.length; i++) fitErr += (a[i] - b[i]) ** 2;
    expect(fitErr).toBeLessThan(1e-12);
  });

  it('does not draw a layer with non-finite values, and interpolates fractional depth', () => {
    const n = 50;
    const d = 4;
    const x = gaussianRows(n, d, [2, 1, 1, 1], 5);
    const p = new LayerProjections(
      [
        { features: x, width: d, nonFinite: 0 },
        { features: x, width: d, nonFinite: 0 },
        { features: x.map(() => NaN), width: d, nonFinite: n * d },
      ],
      n,
      'fixed-basis',
    );
    expect(p.get(2)).toBeNull();
    const half = coordsAtDepth(p, 0.5)!;
    const l0 = p.get(0)!;
    for (let i = 0; i < half.length; i++) expect(half[i]).toBeCloseTo(l0[i], 9);
    expect(coordsAtDepth(p, 1.7)).toBeNull();
  });
});
