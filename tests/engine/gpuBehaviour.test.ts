// GPU engine behaviour beyond the numbers: the metric reductions on awkward inputs, dispatch
// folding past 65535 workgroups, incremental depth, latest-wins, NaN/Inf reporting, a lost
// device, and data beyond the adapter's limits.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig } from '../../src/engine/types';

const harness = useHarnessPage();

type Metrics = {
  singularValues: number[];
  effectiveRank: number;
  meanCosine: number;
  mu: number;
  dirichlet: number | null;
  frobenius: number;
};
function expectMetricsClose(g: Metrics, r: Metrics, muAtol = 2e-5): void {
  expect(Math.abs(g.frobenius - r.frobenius)).toBeLessThanOrEqual(1e-5 * r.frobenius);
  expect(Math.abs(g.effectiveRank - r.effectiveRank)).toBeLessThanOrEqual(0.01 + 1e-3 * r.effectiveRank);
  if (Number.isNaN(r.meanCosine)) expect(g.meanCosine).toBeNaN();
  else expect(Math.abs(g.meanCosine - r.meanCosine)).toBeLessThanOrEqual(1e-4);
  expect(Math.abs(g.mu - r.mu)).toBeLessThanOrEqual(muAtol + 1e-4 * r.mu);
  if (r.dirichlet === null) expect(g.dirichlet).toBeNull();
  else expect(Math.abs(g.dirichlet! - r.dirichlet)).toBeLessThanOrEqual(1e-4 * r.dirichlet + 1e-9);
  const s1 = r.singularValues[0]!;
  r.singularValues.forEach((s, k) => {
    if (s / s1 >= 3e-4)
      expect(Math.abs(g.singularValues[k]! / g.singularValues[0]! - s / s1)).toBeLessThanOrEqual(1e-3);
  });
}

describe('metric reductions (gram.wgsl, metric_rows.wgsl, metric_chunks.wgsl)', () => {
  const cases = [
    { name: 'N = 1, d = 1', n: 1, d: 1, graph: { kind: 'empty' as const }, centered: false },
    {
      name: 'N = 3 < d = 10 (rank-deficient Gram)',
      n: 3,
      d: 10,
      graph: { kind: 'none' as const },
      centered: false,
    },
    {
      name: 'zero rows and isolated nodes',
      n: 100,
      d: 7,
      graph: { kind: 'half-isolated' as const, avgDegree: 3, seed: 1 },
      zeroRows: 5,
      centered: false,
    },
    {
      name: 'star graph, 2 chunks, centered spectrum',
      n: 1500,
      d: 9,
      graph: { kind: 'star' as const },
      centered: true,
    },
    {
      name: 'nearly equal rows (μ ≈ 1e-3): no cancellation',
      n: 2100,
      d: 4,
      graph: { kind: 'random' as const, avgDegree: 4, seed: 2 },
      offset: 5,
      noise: 5e-3,
      centered: true,
    },
  ];
  for (const variant of ['rows', 'tiled'] as const) {
    for (const c of cases) {
      it(`${variant} Gram: ${c.name}`, async () => {
        const r = await harness().evaluate((a) => window.harness.kernelMetrics(a), {
          seed: 11,
          ...c,
          variant,
        });
        expect(r.nonFinite).toBe(0);
        expectMetricsClose(r.gpu, r.ref);
      });
    }
  }
  it('tiled Gram at d = 130 (several 64×64 tiles)', async () => {
    const c = {
      n: 1100,
      d: 130,
      graph: { kind: 'none' as const },
      centered: false,
      variant: 'tiled' as const,
    };
    const r = await harness().evaluate((a) => window.harness.kernelMetrics(a), { seed: 5, ...c });
    expectMetricsClose(r.gpu, r.ref);
  });
  it('N = 4,300,000 rows, d = 1: row kernels fold their dispatch past 65,535 workgroups', async () => {
    const r = await harness().evaluate((a) => window.harness.kernelMetrics(a), {
      n: 4_300_000,
      d: 1,
      graph: { kind: 'none' as const },
      seed: 3,
      centered: false,
      offset: 1,
    });
    expectMetricsClose(r.gpu, r.ref, 1e-4);
  });
  it('sparse product with N·d = 4.5M (70,001 nodes, d = 64): folded dispatch', async () => {
    const f = await harness().evaluate((a) => window.harness.kernelSpmm(a), {
      n: 70_001,
      d: 64,
      graph: { kind: 'random' as const, avgDegree: 10, seed: 4 },
      adjacency: 'sym' as const,
      seed: 1,
    });
    expect(f.maxAbsErr / f.scale).toBeLessThan(1e-5);
  });
});

describe('engine behaviour', () => {
  const base = (): EngineConfig => ({ ...defaultConfig(), layers: 12 });

  // The same behaviour from both float32 engines (the GPU engine and the fast CPU engine).
  for (const engine of ['gpu', 'fast'] as const) {
    it(`${engine}: asking for more depth computes only the new layers, and equals a fresh run; latest wins`, async () => {
      const r = await harness().evaluate((a) => window.harness.gpuIncremental(a), { config: base(), engine });
      expect(r.computed).toEqual([7, 6, 0, 13]); // layers 0..6, then 7..12, then from cache, then all
      r.extendedRanks.forEach((v, i) => expect(Math.abs(v - r.freshRanks[i]!)).toBeLessThan(1e-9));
      expect(r.firstRejected).toBe('AbortError');
      expect(r.secondStatus).toBe('fulfilled');
      expect(r.secondDepth).toBe(12);
    });

    it(`${engine}: a NaN in the input is reported at layer 0 and stays reported`, async () => {
      const r = await harness().evaluate((a) => window.harness.gpuNonFinite(a), {
        config: base(),
        poisonRow: 3,
        engine,
      });
      expect(r.firstNonFinite).toBe(0);
      expect(r.nonFinite[0]).toBe(1);
      expect(r.ranks[0]).toBeNaN();
      expect(r.nonFinite.at(-1)).toBeGreaterThan(0);
      expect(r.warnings.join(' ')).toMatch(/layer 0: 1 non-finite entries/);
    });

    it(`${engine}: ContraNorm paper form with s far too large overflows, detected at the layer where it starts`, async () => {
      const c = base();
      const config: EngineConfig = {
        ...c,
        layers: 30,
        weights: { ...c.weights, gain: 3 },
        norm: { ...c.norm, variant: 'paper', s: 1e30, tau: 1e-30 },
      };
      const r = await harness().evaluate((a) => window.harness.gpuNonFinite(a), {
        config,
        poisonRow: -1,
        engine,
      });
      expect(r.firstNonFinite).not.toBeNull();
      expect(r.firstNonFinite!).toBeGreaterThan(0);
      expect(r.nonFinite.slice(0, r.firstNonFinite!).every((x) => x === 0)).toBe(true);
      expect(r.nonFinite[r.firstNonFinite!]).toBeGreaterThan(0);
    });
  }

  it('a lost device is reported, and a new engine works again', async () => {
    const r = await harness().evaluate((a) => window.harness.gpuDeviceLoss(a), { config: base() });
    expect(r.message).toMatch(/GPU device was lost/);
    expect(r.lostNote).toMatch(/lost/);
    expect(r.sameRank).toBe(true);
  });

  it('a data set beyond the storage binding limit is refused with the limit named', async () => {
    const r = await harness().evaluate(() => window.harness.gpuTooLarge());
    expect(r.refused).toBe(true);
    expect(r.message).toMatch(/too large for this GPU: .* binds at most/);
  });
});

describe('host loop: what a run costs the host (HostStats)', () => {
  // Four layers (0..3): two groups of two whatever the adapter's speed, so the counts are exact.
  const config = (): EngineConfig => ({
    ...defaultConfig(),
    dataset: {
      kind: 'csbm',
      n: 120,
      classes: 3,
      avgDegree: 4,
      homophily: 0.8,
      featureDim: 16,
      separation: 1,
      seed: 1,
    },
    hidden: 16,
    layers: 3,
  });
  for (const engine of ['gpu', 'gpu-hw'] as const) {
    it(`${engine}: one map per group, the error scopes awaited with the last; a second run of the same shapes creates no bind group`, async () => {
      const { first, second } = await harness().evaluate((a) => window.harness.gpuHostStats(a), {
        config: config(),
        engine,
      });
      expect(first).not.toBeNull();
      expect(second).not.toBeNull();
      expect(first!.awaitedRoundTrips).toBe(2);
      expect(first!.submits).toBe(3); // two groups, and the copy that keeps the last layer
      expect(first!.bindGroupsCreated).toBeGreaterThan(0);
      expect(second!.bindGroupsCreated).toBe(0);
      expect(second!.awaitedRoundTrips).toBe(2);
      expect(first!.maxWorkgroupStorageBytes).toBeGreaterThan(0);
      expect(first!.maxWorkgroupStorageBytes).toBeLessThanOrEqual(16384);
      expect(first!.hostMs).toBeGreaterThan(0);
      // With features 'none' only the metric chunk sums come back: far less than one N×d layer each.
      expect(first!.readbackBytes).toBeGreaterThan(0);
      expect(first!.readbackBytes).toBeLessThan(4 * 120 * 16 * 4);
    });

    it(`${engine}: the page's option (pictures, no features) reads back N×2 floats a layer plus the sums, in one more round trip`, async () => {
      const r = await harness().evaluate((a) => window.harness.gpuHostStats(a), {
        config: config(),
        engine,
        projection: 'pca-aligned' as const,
      });
      const { first, second } = r;
      expect(r.pictures).toBe(4);
      // Two groups, then the last groups' projections with the error scopes: 2·⌈L/16⌉ + 2 = 4 allows it.
      expect(first!.awaitedRoundTrips).toBe(3);
      expect(second!.awaitedRoundTrips).toBe(3);
      expect(second!.bindGroupsCreated).toBe(0);
      expect(first!.maxWorkgroupStorageBytes).toBeLessThanOrEqual(16384);
      // Layers 1..3 come back as N×2 floats (layer 0, the input, is projected on the host).
      expect(first!.readbackBytes).toBe(r.sumBytes + 3 * 120 * 2 * 4);
      expect(second!.readbackBytes).toBe(first!.readbackBytes);
    });

    it(`${engine}: L = 64 with the page's options takes at most 2·⌈L/16⌉ + 2 = 10 awaited round trips`, async () => {
      // A cheap graph; groups that double whatever their time, so the count is the host loop's
      // structure and not this machine's speed (a slow adapter shrinks groups on purpose).
      const r = await harness().evaluate((a) => window.harness.gpuHostStats(a), {
        config: { ...config(), layers: 64, dataset: { ...config().dataset, n: 48 }, hidden: 8 },
        engine,
        projection: 'pca-aligned' as const,
        doubling: true,
      });
      const { first, second } = r;
      expect(r.pictures).toBe(65);
      // Groups of 2, 2, 4, 8, 16, 16, 16, 1 layers (the second is planned before the first is
      // read), then the last projections with the error scopes.
      expect(first!.awaitedRoundTrips).toBe(9);
      expect(first!.awaitedRoundTrips).toBeLessThanOrEqual(2 * Math.ceil(64 / 16) + 2);
      expect(second!.awaitedRoundTrips).toBe(9);
      expect(second!.bindGroupsCreated).toBe(0);
      expect(first!.submits).toBe(10); // 8 groups, the last projections, the copy of the last layer
      expect(first!.readbackBytes).toBe(r.sumBytes + 64 * 48 * 2 * 4);
    });
  }
});
