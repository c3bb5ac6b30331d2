// The layer-metric reductions of both kernel sets against the float64 reference: the 'hardware'
// set's cooperative kernels (metric_rows.wgsl and metric_chunks.wgsl `cooperative`,
// gram_cooperative.wgsl) beside the 'software' set's, on the awkward shapes of gpuBehaviour's
// metric cases, shapes that leave row tiles empty or cut a Gram into several tile pairs, and
// exact-rank inputs whose singular values past the rank measure the Gram's float floor.
// Tolerances: the metrics as in gpuBehaviour.test.ts; the Gram entry by entry within 1e-6 of its
// largest entry (float32 data, float-float sums); the floor below GRAM_FLOOR.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { GRAM_FLOOR } from '../../src/engine/metrics';

const harness = useHarnessPage();

type Metrics = {
  singularValues: number[];
  effectiveRank: number;
  meanCosine: number;
  mu: number;
  dirichlet: number | null;
  frobenius: number;
};
function expectMetricsClose(g: Metrics, r: Metrics): void {
  expect(Math.abs(g.frobenius - r.frobenius)).toBeLessThanOrEqual(1e-5 * r.frobenius);
  expect(Math.abs(g.effectiveRank - r.effectiveRank)).toBeLessThanOrEqual(0.01 + 1e-3 * r.effectiveRank);
  if (Number.isNaN(r.meanCosine)) expect(g.meanCosine).toBeNaN();
  else expect(Math.abs(g.meanCosine - r.meanCosine)).toBeLessThanOrEqual(1e-4);
  expect(Math.abs(g.mu - r.mu)).toBeLessThanOrEqual(2e-5 + 1e-4 * r.mu);
  if (r.dirichlet === null) expect(g.dirichlet).toBeNull();
  else expect(Math.abs(g.dirichlet! - r.dirichlet)).toBeLessThanOrEqual(1e-4 * r.dirichlet + 1e-9);
  const s1 = r.singularValues[0]!;
  r.singularValues.forEach((s, k) => {
    if (s / s1 >= 3e-4)
      expect(Math.abs(g.singularValues[k]! / g.singularValues[0]! - s / s1)).toBeLessThanOrEqual(1e-3);
  });
}

describe('metric reductions of both kernel sets against float64', () => {
  const cases = [
    { name: 'N = 1, d = 1', n: 1, d: 1, graph: { kind: 'empty' as const }, centered: false },
    { name: 'N = 3 < d = 10', n: 3, d: 10, graph: { kind: 'none' as const }, centered: false },
    {
      name: 'zero rows and isolated nodes, d = 7',
      n: 100,
      d: 7,
      graph: { kind: 'half-isolated' as const, avgDegree: 3, seed: 1 },
      zeroRows: 5,
      centered: false,
    },
    {
      name: 'star graph, N = 1,025 (a one-row last chunk: 15 empty row tiles), centred',
      n: 1025,
      d: 9,
      graph: { kind: 'star' as const },
      centered: true,
    },
    {
      name: 'nearly equal rows (μ ≈ 1e-3), 3 chunks, d = 20',
      n: 2100,
      d: 20,
      graph: { kind: 'random' as const, avgDegree: 4, seed: 2 },
      offset: 5,
      noise: 5e-3,
      centered: true,
    },
    {
      name: 'd = 64 (one tile pair), N = 2,708, graph',
      n: 2708,
      d: 64,
      graph: { kind: 'random' as const, avgDegree: 4, seed: 3 },
      centered: false,
    },
    {
      name: 'd = 130 (six tile pairs, ragged last tile), N = 1,100',
      n: 1100,
      d: 130,
      graph: { kind: 'none' as const },
      centered: true,
    },
  ];
  for (const kernelSet of ['hardware', 'software'] as const) {
    for (const c of cases) {
      it(`${kernelSet}: ${c.name}`, async () => {
        const r = await harness().evaluate((a) => window.harness.kernelMetricsBySet(a), {
          seed: 11,
          ...c,
          kernelSet,
        });
        expect(r.nonFinite).toBe(0);
        expect(r.gramRelErr).toBeLessThan(1e-6);
        expectMetricsClose(r.gpu, r.ref);
      });
    }
  }

  it('hardware: a NaN is counted in its row, and the Gram stays finite elsewhere', async () => {
    // An offset of NaN makes every entry NaN: all N·d of them are counted.
    const r = await harness().evaluate((a) => window.harness.kernelMetricsBySet(a), {
      n: 40,
      d: 5,
      graph: { kind: 'none' as const },
      seed: 1,
      offset: NaN,
      centered: false,
      kernelSet: 'hardware' as const,
    });
    expect(r.nonFinite).toBe(200);
  });

  const floors = [
    { name: 'N = 1,000, d = 16, 4 distinct rows, centred', n: 1000, d: 16, distinct: 4, centered: true },
    { name: 'N = 1,025, d = 16, uncentred', n: 1025, d: 16, distinct: 4, centered: false },
    {
      name: 'N = 10,000, d = 16, rows offset by 100',
      n: 10_000,
      d: 16,
      distinct: 4,
      centered: true,
      offset: 100,
    },
    { name: 'N = 5,000, d = 64, 10 distinct rows', n: 5000, d: 64, distinct: 10, centered: true },
    { name: 'N = 3,000, d = 130, 20 distinct rows', n: 3000, d: 130, distinct: 20, centered: true },
  ];
  for (const c of floors) {
    it(`hardware Gram floor: ${c.name}`, async () => {
      const r = await harness().evaluate((a) => window.harness.gramExactRankBySet(a), {
        seed: 7,
        ...c,
        kernelSet: 'hardware' as const,
      });
      const tail = Math.max(0, ...r.gpuTail);
      console.log(
        `hardware gram floor ${c.name}: tail ${tail.toExponential(2)}, head ${r.headErr.toExponential(2)}`,
      );
      expect(tail).toBeLessThan(GRAM_FLOOR);
      expect(r.headErr).toBeLessThan(1e-5);
      expect(Math.abs(r.gpuErank - r.refErank)).toBeLessThan(1e-3 * r.refErank);
    });
  }
});
