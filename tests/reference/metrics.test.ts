import { describe, expect, it } from 'vitest';
import {
  FEATURE_FLOOR,
  GRAM_FLOOR,
  consensusDistance,
  finishMetrics,
  float32Floor,
  meanPairCosine,
} from '../../src/engine/metrics';
import { computeLayerSums } from '../../src/engine/reference/layerSums';
import { buildCsr } from '../../src/data/graph';
import { dot, norm, randomMatrix, row } from './helpers';

/** Mean cosine over pairs i < j, rn with the 1e-12 floor: the literal definition. */
function bruteMeanCosine(x: Float64Array, n: number, d: number): number {
  let s = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const a = row(x, i, d);
      const b = row(x, j, d);
      s += dot(a, b) / (Math.max(norm(a), 1e-12) * Math.max(norm(b), 1e-12));
      pairs++;
    }
  return s / pairs;
}

describe('finishMetrics', () => {
  it('mean cosine from the unit column sum equals the pairwise loop, zero rows included', () => {
    const n = 9;
    const d = 4;
    const x = randomMatrix(n, d, 1);
    x.fill(0, 2 * d, 3 * d); // row 2 is zero
    x.fill(0, 7 * d, 8 * d); // row 7 is zero
    const m = finishMetrics(computeLayerSums(x, n, d, { centered: false, attention: null }), false);
    expect(m.meanCosine).toBeCloseTo(bruteMeanCosine(x, n, d), 13);
    // Identical rows: 1. Two opposite rows: −1.
    const same = Float64Array.from({ length: 12 }, (_, k) => [1, 2, 3][k % 3]);
    expect(
      finishMetrics(computeLayerSums(same, 4, 3, { centered: false, attention: null }), false).meanCosine,
    ).toBeCloseTo(1, 14);
    expect(meanPairCosine(Float64Array.of(0, 0), 2, 2)).toBe(-1);
    expect(meanPairCosine(Float64Array.of(1), 1, 1)).toBeNaN();
  });

  it('attention similarity from c_j = Σ_i P_ij/‖P_i‖ equals the mean cosine between rows of P', () => {
    const n = 6;
    const p = randomMatrix(n, n, 2).map(Math.exp);
    for (let i = 0; i < n; i++) {
      const s = row(p, i, n).reduce((a, b) => a + b, 0);
      for (let j = 0; j < n; j++) p[i * n + j] /= s;
    }
    const unitColSum = new Float64Array(n);
    let unitRowCount = 0;
    for (let i = 0; i < n; i++) {
      const r = norm(row(p, i, n));
      for (let j = 0; j < n; j++) unitColSum[j] += p[i * n + j] / r;
      unitRowCount += 1;
    }
    const h = randomMatrix(n, 3, 3);
    const sums = computeLayerSums(h, n, 3, { centered: false, attention: { unitColSum, unitRowCount } });
    expect(finishMetrics(sums, false).attentionSimilarity).toBeCloseTo(bruteMeanCosine(p, n, n), 13);
    expect(
      finishMetrics(computeLayerSums(h, n, 3, { centered: false, attention: null }), false)
        .attentionSimilarity,
    ).toBeNull();
  });

  it('μ is computed in two passes: exact on nearly collapsed rows where sumSq − N‖γ‖² cancels', () => {
    const n = 50;
    const d = 3;
    const eps = 1e-9;
    const x = new Float64Array(n * d);
    const dev = randomMatrix(n, d, 4);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = 1000 + eps * dev[i * d + t];
    // Literal definition: ‖H − 1γᵀ‖_F / ‖H‖_F, with γ from the data.
    const gamma = [0, 1, 2].map(
      (t) => Array.from({ length: n }, (_, i) => x[i * d + t]).reduce((a, b) => a + b, 0) / n,
    );
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++)
      for (let t = 0; t < d; t++) {
        num += (x[i * d + t] - gamma[t]) ** 2;
        den += x[i * d + t] ** 2;
      }
    const m = finishMetrics(computeLayerSums(x, n, d, { centered: false, attention: null }), false);
    expect(m.mu / (Math.sqrt(num) / Math.sqrt(den))).toBeCloseTo(1, 6);
    expect(m.mu).toBeGreaterThan(0);
    expect(m.mu).toBeLessThan(1e-10);
    expect(m.frobenius).toBeCloseTo(Math.sqrt(den), 6);
  });

  it('conventions: μ(0) = 0, effective rank of 0 is NaN, NaN propagates', () => {
    const zero = finishMetrics(
      computeLayerSums(new Float64Array(12), 4, 3, { centered: false, attention: null }),
      false,
    );
    expect(zero.mu).toBe(0);
    expect(zero.effectiveRank).toBeNaN();
    expect(zero.meanCosine).toBe(0);
    expect(consensusDistance(NaN, 1)).toBeNaN();
    expect(consensusDistance(1, Infinity)).toBeNaN();
    const bad = Float64Array.of(1, 2, NaN, 4);
    const m = finishMetrics(computeLayerSums(bad, 2, 2, { centered: false, attention: null }), false);
    expect(m.mu).toBeNaN();
    expect(m.singularValues.every(Number.isNaN)).toBe(true);
  });

  it('singular values: min(N, d) of them, equal from the d×d and the N×N Gram; centered option centers', () => {
    const wide = randomMatrix(3, 7, 5); // N < d: the N×N Gram is used
    const mw = finishMetrics(computeLayerSums(wide, 3, 7, { centered: false, attention: null }), false);
    expect(mw.singularValues.length).toBe(3);
    // Σσ² = ‖H‖_F²
    expect(mw.singularValues.reduce((s, v) => s + v * v, 0)).toBeCloseTo(mw.frobenius ** 2, 10);
    const tall = randomMatrix(10, 4, 6);
    const c = finishMetrics(computeLayerSums(tall, 10, 4, { centered: true, attention: null }), true);
    const u = finishMetrics(computeLayerSums(tall, 10, 4, { centered: false, attention: null }), false);
    expect(c.singularValues.length).toBe(4);
    // Σσ_c² = ‖H − 1γᵀ‖_F² = μ²‖H‖²
    expect(c.singularValues.reduce((s, v) => s + v * v, 0)).toBeCloseTo((u.mu * u.frobenius) ** 2, 10);
  });

  it('Dirichlet energy is (1/N) Σ_i Σ_{j∈N(i)} ‖H_i − H_j‖² (each edge twice)', () => {
    const { graph } = buildCsr(3, [
      [0, 1],
      [1, 2],
    ]);
    const x = Float64Array.of(0, 0, 1, 0, 1, 2); // rows (0,0), (1,0), (1,2)
    const m = finishMetrics(computeLayerSums(x, 3, 2, { graph, centered: false, attention: null }), false);
    expect(m.dirichlet).toBeCloseTo((2 * 1 + 2 * 4) / 3, 14);
  });

  it('exports the float32 floors (features: SPEC §2; Gram: measured on the GPU)', () => {
    expect(FEATURE_FLOOR).toBe(1e-6);
    expect(GRAM_FLOOR).toBe(1e-5);
    expect(float32Floor(10)).toBeCloseTo(1e-4, 15);
    expect(float32Floor(10, false)).toBeCloseTo(1e-5, 15);
  });
});
