// The engines' 2-D pictures (RunOptions.projection: what the page draws) against the float64
// definition of src/math/projection.ts, computed in the same page from the same run's features.
// Tolerance: after a best-fit orthogonal 2×2 (the same Procrustes fit the picture uses), every
// coordinate within 1e-4 (they lie in the unit disc), on layers whose top-two span is defined,
// i.e. (λ₂ − λ₃)/λ₁ ≥ 1e-3. The GPU's covariance comes from float32 rn(H) summed exactly
// (gram.wgsl's float-float sums), so its axes differ from float64's by about 1e-7/gap.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig } from '../../src/engine/types';
import type { ProjectionLayerCheck } from '../browser/cases/projection';

const harness = useHarnessPage();
const TOL = 1e-4;
const MIN_GAP = 1e-3;

function expectClose(layers: ProjectionLayerCheck[], n: number): void {
  let compared = 0;
  layers.forEach((l) => {
    expect(l.engineNull).toBe(l.refNull);
    if (l.engineNull) return;
    expect(l.length).toBe(2 * n);
    if (l.relGap < MIN_GAP) return;
    expect(l.maxErr).toBeLessThanOrEqual(TOL);
    compared++;
  });
  const worst = Math.max(...layers.map((l) => (l.relGap >= MIN_GAP ? l.maxErr : 0)));
  console.log(`[gpuProjection] ${compared} layers compared, largest error ${worst.toExponential(2)}`);
  // Most layers must take part, or the check says nothing.
  expect(compared).toBeGreaterThanOrEqual(Math.ceil(layers.filter((l) => !l.engineNull).length / 2));
}

const csbm = (n: number, featureDim: number): EngineConfig['dataset'] => ({
  kind: 'csbm',
  n,
  classes: Math.min(3, n),
  avgDegree: Math.min(4, n - 1),
  homophily: 0.8,
  featureDim,
  separation: 2,
  seed: 1,
});

describe('the picture of every layer from the engines (RunOptions.projection)', () => {
  const cases: { name: string; config: EngineConfig }[] = [
    // 1,500 rows: two metric chunks, and N not a multiple of the 4 rows of a projection workgroup.
    {
      name: 'GCN, N = 1,501 (d = 16, vec4 rows)',
      config: { ...defaultConfig(), dataset: csbm(1501, 16), layers: 6 },
    },
    {
      name: 'GCN, N = 37, d = 7 (scalar rows)',
      config: { ...defaultConfig(), dataset: csbm(37, 5), hidden: 7, layers: 5 },
    },
    {
      name: 'Transformer, N = 90, d = 12',
      config: {
        ...defaultConfig(),
        model: 'transformer',
        dataset: { kind: 'tokens', n: 90, featureDim: 12, clusters: 3, separation: 3, seed: 2 },
        hidden: 12,
        layers: 4,
        residual: 'residual',
      },
    },
  ];
  for (const engine of ['gpu', 'gpu-hw', 'fast'] as const) {
    for (const c of cases) {
      it(`${engine}: ${c.name}`, async () => {
        const r = await harness().evaluate((a) => window.harness.engineProjection(a), {
          config: c.config,
          engine,
        });
        expectClose(r.layers, r.n);
      });
    }
  }

  // d = 32: the eigensolves are worth sharing, so groups of layers are finished on the engine's
  // solver threads as well as its own (one thread on a 2-core machine), with the same picture.
  for (const engine of ['gpu', 'gpu-hw'] as const) {
    it(`${engine}: d = 32, layers finished on the solver threads`, async () => {
      const r = await harness().evaluate((a) => window.harness.engineProjection(a), {
        config: { ...defaultConfig(), dataset: csbm(400, 32), hidden: 32, layers: 8 },
        engine,
      });
      expectClose(r.layers, r.n);
      expect(r.offThreadLayers).toBeGreaterThan(0);
    });
  }

  it('gpu: fixed-basis mode', async () => {
    const r = await harness().evaluate((a) => window.harness.engineProjection(a), {
      config: { ...defaultConfig(), layers: 6 },
      mode: 'fixed-basis' as const,
    });
    expectClose(r.layers, r.n);
  });

  it('gpu: d = 1 (every point on a line) and N = 1', async () => {
    for (const config of [
      { ...defaultConfig(), hidden: 1, layers: 3, norm: { ...defaultConfig().norm, kind: 'none' as const } },
      { ...defaultConfig(), dataset: csbm(1, 4), layers: 3 },
    ]) {
      const r = await harness().evaluate((a) => window.harness.engineProjection(a), { config });
      r.layers.forEach((l) => {
        expect(l.engineNull).toBe(l.refNull);
        if (!l.engineNull) expect(l.maxErr).toBeLessThanOrEqual(TOL);
      });
    }
  });

  it('gpu: a NaN in the input: no layer has a picture (null), as on the page', async () => {
    const r = await harness().evaluate((a) => window.harness.engineProjection(a), {
      config: { ...defaultConfig(), layers: 4 },
      poisonRow: 3,
    });
    expect(r.firstNonFinite).toBe(0);
    r.layers.forEach((l) => {
      expect(l.engineNull).toBe(true);
      expect(l.refNull).toBe(true);
    });
  });

  for (const engine of ['gpu', 'fast'] as const) {
    it(`${engine}: a deeper run extends the cached picture exactly as a fresh run draws it`, async () => {
      const r = await harness().evaluate((a) => window.harness.engineProjectionIncremental(a), {
        config: { ...defaultConfig(), layers: 12 },
        engine,
        split: 5,
      });
      expect(r.computed).toEqual([7, 13]);
      expect(r.hasFeatures).toBe(false);
      expect(r.pictures).toBe(13);
      r.maxDiff.forEach((d) => expect(d).toBeLessThanOrEqual(1e-6));
    });
  }
});
