import { describe, expect, it } from 'vitest';
import {
  effectiveRank,
  singularValuesFromGram,
  symmetricEigenvalues,
  topEigenvectors,
} from '../../src/math/spectrum';
import { randomMatrix, transposeTimes } from './helpers';

function randomSymmetric(n: number, seed: number): Float64Array {
  const a = randomMatrix(n, n, seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}

describe('symmetricEigenvalues (Householder + implicit QL)', () => {
  it('returns a diagonal matrix’s entries, sorted descending', () => {
    const d = [3, -1, 7, 0, 2.5];
    const n = d.length;
    const a = new Float64Array(n * n);
    d.forEach((v, i) => (a[i * n + i] = v));
    expect(Array.from(symmetricEigenvalues(a, n))).toEqual([7, 3, 2.5, 0, -1]);
  });

  it('handles n = 0, n = 1, the zero matrix and a 2×2 by hand', () => {
    expect(symmetricEigenvalues(new Float64Array(0), 0).length).toBe(0);
    expect(Array.from(symmetricEigenvalues(Float64Array.of(-4.5), 1))).toEqual([-4.5]);
    expect(Array.from(symmetricEigenvalues(new Float64Array(9), 3))).toEqual([0, 0, 0]);
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
    const ev = symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2);
    expect(ev[0]).toBeCloseTo(3, 14);
    expect(ev[1]).toBeCloseTo(1, 14);
  });

  it.each([2, 3, 17, 64, 150])(
    'matches trace and Frobenius norm (Σλ, Σλ²) of a random symmetric %i×%i',
    (n) => {
      const a = randomSymmetric(n, n);
      const ev = symmetricEigenvalues(a, n);
      let tr = 0;
      let fro = 0;
      for (let i = 0; i < n; i++) tr += a[i * n + i];
      for (const v of a) fro += v * v;
      const s1 = ev.reduce((s, v) => s + v, 0);
      const s2 = ev.reduce((s, v) => s + v * v, 0);
      expect(Math.abs(s1 - tr)).toBeLessThan(1e-10 * n);
      expect(Math.abs(s2 - fro) / fro).toBeLessThan(1e-12);
      for (let i = 1; i < n; i++) expect(ev[i]).toBeLessThanOrEqual(ev[i - 1]);
    },
  );

  it('finds the eigenvalues of a matrix with known spectrum Q diag(λ) Qᵀ, including repeats', () => {
    // Q from the tridiagonal-free route: a Householder reflector I − 2vvᵀ/‖v‖².
    const n = 6;
    const lambda = [5, 5, 1, 0, -2, 1e-8];
    const v = [1, -2, 0.5, 3, 1, -1];
    const vv = v.reduce((s, x) => s + x * x, 0);
    const q = (i: number, j: number): number => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q(i, k) * lambda[k] * q(j, k);
    const ev = symmetricEigenvalues(a, n);
    const want = [...lambda].sort((x, y) => y - x);
    for (let i = 0; i < n; i++) expect(Math.abs(ev[i] - want[i])).toBeLessThan(1e-13);
  });

  it('reads a huge or tiny scale without overflow, and a non-finite entry as all-NaN', () => {
    const big = symmetricEigenvalues(Float64Array.of(1e300, 0, 0, 2e300), 2);
    expect(big[0]).toBeCloseTo(2e300, -290);
    const tiny = symmetricEigenvalues(Float64Array.of(3e-300, 1e-300, 1e-300, 3e-300), 2);
    expect(tiny[0] / 4e-300).toBeCloseTo(1, 12);
    const bad = symmetricEigenvalues(Float64Array.of(1, NaN, NaN, 1), 2);
    expect(Array.from(bad).every(Number.isNaN)).toBe(true);
    expect(Array.from(symmetricEigenvalues(Float64Array.of(Infinity, 0, 0, 1), 2)).every(Number.isNaN)).toBe(
      true,
    );
  });
});

describe('singularValuesFromGram', () => {
  it('gives the singular values of H from HᵀH (N > d) and from HHᵀ (N < d)', () => {
    // H = diag-like 3×2 with known singular values 4 and 0.5 after an orthogonal mix of rows.
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const h = Float64Array.of(4 * c, 0, 4 * s, 0, 0, 0.5); // columns orthogonal, norms 4 and 0.5
    const g = transposeTimes(h, 3, 2, h, 2);
    const sv = singularValuesFromGram(g, 2, 2);
    expect(sv[0]).toBeCloseTo(4, 13);
    expect(sv[1]).toBeCloseTo(0.5, 13);
    // Rounding may make a zero eigenvalue slightly negative: read as 0, never NaN.
    const rankOne = Float64Array.of(1, 1, 1, 1);
    const sv2 = singularValuesFromGram(rankOne, 2, 2);
    expect(sv2[0]).toBeCloseTo(Math.SQRT2, 14);
    expect(sv2[1]).toBeGreaterThanOrEqual(0);
  });
});

describe('effectiveRank', () => {
  it('is k for k equal singular values, 1 for rank one, and exp(entropy) in general', () => {
    expect(effectiveRank(Float64Array.of(2, 2, 2, 2))).toBeCloseTo(4, 12);
    expect(effectiveRank(Float64Array.of(5, 0, 0))).toBe(1);
    const p = [3 / 6, 2 / 6, 1 / 6];
    expect(effectiveRank(Float64Array.of(3, 2, 1))).toBeCloseTo(
      Math.exp(-p.reduce((s, x) => s + x * Math.log(x), 0)),
      14,
    );
  });

  it('is NaN for all-zero or non-finite singular values (documented convention)', () => {
    expect(effectiveRank(Float64Array.of(0, 0))).toBeNaN();
    expect(effectiveRank(new Float64Array(0))).toBeNaN();
    expect(effectiveRank(Float64Array.of(1, NaN))).toBeNaN();
    expect(effectiveRank(Float64Array.of(Infinity, 1))).toBeNaN();
  });
});

describe('topEigenvectors (Householder + QL, rotations logged)', () => {
  const residual = (a: Float64Array, n: number, v: Float64Array, lambda: number) => {
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
      worst = Math.max(worst, Math.abs(s - lambda * v[i]));
    }
    return worst;
  };

  it.each([1, 2, 3, 17, 64])('gives orthonormal eigenvectors of the two largest eigenvalues, n = %i', (n) => {
    const a = randomSymmetric(n, 100 + n);
    const top = topEigenvectors(a, n, 2)!;
    const all = symmetricEigenvalues(a, n);
    expect(top.vectors.length).toBe(Math.min(2, n));
    top.vectors.forEach((v, t) => {
      expect(top.values[t]).toBeCloseTo(all[t]!, 12);
      expect(residual(a, n, v, top.values[t]!)).toBeLessThan(1e-12 * n);
      expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 13);
    });
    if (n > 1) {
      const [v1, v2] = top.vectors as [Float64Array, Float64Array];
      expect(Math.abs(v1.reduce((s, x, i) => s + x * v2[i]!, 0))).toBeLessThan(1e-13);
    }
  });

  it('stays orthonormal inside a cluster of equal eigenvalues, and gives null for a NaN', () => {
    const n = 40;
    // I + a tiny symmetric perturbation: every eigenvalue within 1e-9 of 1.
    const a = randomSymmetric(n, 3).map((x) => 1e-9 * x);
    for (let i = 0; i < n; i++) a[i * n + i] += 1;
    const top = topEigenvectors(a, n, 2)!;
    const [v1, v2] = top.vectors as [Float64Array, Float64Array];
    expect(residual(a, n, v1, top.values[0]!)).toBeLessThan(1e-13);
    expect(residual(a, n, v2, top.values[1]!)).toBeLessThan(1e-13);
    expect(Math.abs(v1.reduce((s, x, i) => s + x * v2[i]!, 0))).toBeLessThan(1e-13);
    a[5] = NaN;
    expect(topEigenvectors(a, n, 2)).toBeNull();
  });
});
