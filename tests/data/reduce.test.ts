import { describe, expect, it } from 'vitest';
import { reduceFeatures, reducePca, reduceRandomProjection, symmetricEigen } from '../../src/data/reduce';
import { generateDataset } from '../../src/data/generators';
import { symmetricEigenvalues } from '../../src/math/spectrum';
import { Rng } from '../../src/math/random';
import type { Dataset } from '../../src/engine/types';

/** The covariance (divisor N) of the features, float64. */
function covariance(ds: Dataset): Float64Array {
  const { n, featureDim: D, features: x } = ds;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) mean[j] += x[i * D + j] / n;
  const c = new Float64Array(D * D);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < D; a++)
      for (let b = 0; b < D; b++) c[a * D + b] += ((x[i * D + a] - mean[a]) * (x[i * D + b] - mean[b])) / n;
  return c;
}

/** Features with a decaying spectrum: Gaussian rows times a diagonal scale, rotated. */
function decaying(n: number, D: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const features = new Float32Array(n * D);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < D; j++) features[i * D + j] = rng.normal() * 3 * 0.8 ** j + (j === 0 ? 5 : 0);
  return { id: `decaying${seed}`, name: 'decaying', n, featureDim: D, features };
}

describe('symmetricEigen (Jacobi)', () => {
  it('gives A = V Λ Vᵀ with orthonormal V, values descending', () => {
    const k = 7;
    const rng = new Rng(9);
    const a = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) a[i * k + j] = a[j * k + i] = rng.normal();
    const { values, vectors: v } = symmetricEigen(Float64Array.from(a), k);
    expect(Array.from(values)).toEqual(Array.from(values).sort((x, y) => y - x));
    const ref = symmetricEigenvalues(a, k);
    for (let i = 0; i < k; i++) expect(values[i]).toBeCloseTo(ref[i], 10);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let avv = 0;
        let vtv = 0;
        for (let c = 0; c < k; c++) {
          avv += v[i * k + c] * values[c] * v[j * k + c];
          vtv += v[c * k + i] * v[c * k + j];
        }
        expect(avv).toBeCloseTo(a[i * k + j], 10);
        expect(vtv).toBeCloseTo(i === j ? 1 : 0, 10);
      }
  });
});

describe('PCA', () => {
  it('finds the top principal components: variances match the covariance eigenvalues', () => {
    const ds = decaying(400, 24, 1);
    const r = reducePca(ds, 5);
    expect(r.converged).toBe(true);
    const ref = symmetricEigenvalues(covariance(ds), 24);
    for (let c = 0; c < 5; c++) expect(r.variances[c] / ref[c]).toBeCloseTo(1, 7);
    let trace = 0;
    for (let c = 0; c < 24; c++) trace += ref[c];
    expect(r.totalVariance / trace).toBeCloseTo(1, 9);
    // The projections: N×5, centered, uncorrelated, column variances = the eigenvalues.
    const out = r.dataset;
    expect([out.n, out.featureDim]).toEqual([400, 5]);
    expect(out.id).toBe('decaying1|pca5');
    const cov = covariance(out);
    for (let a = 0; a < 5; a++)
      for (let b = 0; b < 5; b++)
        expect(cov[a * 5 + b] / ref[0]).toBeCloseTo(a === b ? ref[a] / ref[0] : 0, 4);
    // Components: unit norm, and C u = λ u.
    const C = covariance(ds);
    for (let c = 0; c < 5; c++) {
      let norm = 0;
      let res = 0;
      for (let j = 0; j < 24; j++) {
        norm += r.components[j * 5 + c] ** 2;
        let cu = 0;
        for (let t = 0; t < 24; t++) cu += C[j * 24 + t] * r.components[t * 5 + c];
        res += (cu - r.variances[c] * r.components[j * 5 + c]) ** 2;
      }
      expect(norm).toBeCloseTo(1, 9);
      expect(Math.sqrt(res) / ref[0]).toBeLessThan(1e-5);
    }
    // Deterministic, and the same components from another starting seed (up to float noise).
    expect(reducePca(ds, 5).dataset.features).toEqual(out.features);
    const other = reducePca(ds, 5, { seed: 7 });
    for (let k = 0; k < 5 * 24; k++) expect(other.components[k]).toBeCloseTo(r.components[k], 5);
  });

  it('is quick on sparse bag-of-words features and keeps the graph and labels', () => {
    const base = generateDataset({
      kind: 'csbm',
      n: 300,
      classes: 3,
      avgDegree: 5,
      homophily: 0.8,
      featureDim: 6,
      separation: 4,
      seed: 3,
    });
    // A sparse 0/1 matrix 300×500 from the csbm labels.
    const rng = new Rng(4);
    const D = 500;
    const features = new Float32Array(base.n * D);
    for (let i = 0; i < base.n; i++)
      for (let t = 0; t < 12; t++) features[i * D + ((base.labels![i] * 40 + rng.int(60)) % D)] = 1;
    const ds: Dataset = { ...base, id: 'bow', featureDim: D, features };
    const t = performance.now();
    const r = reducePca(ds, 16);
    console.log(`PCA 300×500 → 16 in ${(performance.now() - t).toFixed(0)} ms, ${r.iterations} iterations`);
    expect(r.converged).toBe(true);
    const ref = symmetricEigenvalues(covariance(ds), D);
    for (let c = 0; c < 16; c++) expect(r.variances[c] / ref[c]).toBeCloseTo(1, 5);
    expect(r.dataset.graph).toBe(base.graph);
    expect(r.dataset.labels).toBe(base.labels);
    expect(reduceFeatures(ds, { method: 'pca', d: 16 }).features).toEqual(r.dataset.features);
  });

  it('reports each iteration (for the progress bar) until the residual reaches the tolerance', () => {
    const ds = decaying(300, 24, 5);
    const seen: { it: number; residual: number; tol: number }[] = [];
    const r = reducePca(ds, 4, { onIteration: (it, residual, tol) => seen.push({ it, residual, tol }) });
    expect(seen.length).toBe(r.iterations);
    expect(seen.map((s) => s.it)).toEqual(Array.from({ length: r.iterations }, (_, i) => i + 1));
    expect(seen[seen.length - 1].residual).toBeLessThanOrEqual(seen[0].tol);
    const viaUi: number[] = [];
    reduceFeatures(ds, { method: 'pca', d: 4 }, (it) => viaUi.push(it));
    expect(viaUi.length).toBe(r.iterations);
  });

  it('rejects a width outside 1..featureDim', () => {
    const ds = decaying(10, 4, 2);
    expect(() => reducePca(ds, 5)).toThrow(/target width must be an integer in 1\.\.4/);
    expect(() => reduceRandomProjection(ds, 0)).toThrow(/1\.\.4/);
  });
});

describe('random projection', () => {
  it('is seeded, records the reduction in the id, and roughly keeps distances', () => {
    const ds = decaying(50, 200, 3);
    const a = reduceRandomProjection(ds, 64, 5);
    expect(a.id).toBe('decaying3|rp64s5');
    expect(a.featureDim).toBe(64);
    expect(reduceRandomProjection(ds, 64, 5).features).toEqual(a.features);
    expect(reduceRandomProjection(ds, 64, 6).features).not.toEqual(a.features);
    expect(reduceFeatures(ds, { method: 'random', d: 64, seed: 5 }).features).toEqual(a.features);
    const dist = (x: Float32Array, d: number, i: number, j: number): number => {
      let s = 0;
      for (let k = 0; k < d; k++) s += (x[i * d + k] - x[j * d + k]) ** 2;
      return Math.sqrt(s);
    };
    let ratio = 0;
    for (let i = 1; i < 50; i++) ratio += dist(a.features, 64, 0, i) / dist(ds.features, 200, 0, i) / 49;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  });
});
