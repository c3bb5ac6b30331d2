// Dong, Cordonnier & Loukas's rank-collapse bound for pure self-attention, on the float64
// reference engine: held where its small-residual regime holds, and shown vacuous where it does
// not. Also ContraNorm's uniformity loss: its values at collapse, and its place in the update.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig, NormConfig } from '../../src/engine/types';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { buildDataset, registerDataset } from '../../src/data/datasets';
import {
  attentionAssumptionsBroken,
  attentionTheory,
  mixedNorm,
  residualNorm,
} from '../../src/engine/theory/attentionBound';
import { uniformityLoss, uniformityRows, SAMPLE_ROWS } from '../../src/engine/theory/uniformity';
import { Rng } from '../../src/math/random';

const none: NormConfig = { kind: 'none', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 };

function san(patch: Partial<EngineConfig> = {}): EngineConfig {
  return {
    ...defaultConfig(),
    model: 'transformer',
    dataset: { kind: 'tokens', n: 64, featureDim: 16, clusters: 4, separation: 3, seed: 1 },
    layers: 6,
    hidden: 16,
    norm: none,
    residual: 'none',
    activation: 'none',
    ...patch,
  };
}

/** The token set scaled by `factor`, registered under its own id. */
function scaledTokens(factor: number): EngineConfig['dataset'] {
  const base = buildDataset(san().dataset);
  const id = `theory:tokens×${factor}`;
  registerDataset({ ...base, id, name: id, features: base.features.map((v) => v * factor) });
  return { kind: 'loaded', id };
}

describe('mixed norm and residual', () => {
  it('computes √(‖M‖₁‖M‖_∞) and leaves rows that are all equal with no residual', () => {
    // [[1, −2], [3, 4]]: column sums 4, 6; row sums 3, 7.
    expect(mixedNorm([1, -2, 3, 4], 2, 2)).toBeCloseTo(Math.sqrt(6 * 7), 12);
    expect(residualNorm([1, 2, 1, 2, 1, 2], 3, 2)).toBe(0);
    expect(residualNorm([0, 0, 1, 0, 5, 0], 3, 2)).toBeCloseTo(Math.sqrt(5 * 4), 12);
  });
});

describe('rank-collapse bound (reference engine)', () => {
  it('holds layer by layer where √c·‖res(X)‖ < 1 (small inputs)', async () => {
    for (const factor of [0.003, 0.001]) {
      const config = san({ dataset: scaledTokens(factor) });
      expect(attentionAssumptionsBroken(config)).toEqual([]);
      const result = await createReferenceEngine().run(config, { features: 'all' });
      const t = attentionTheory(config, result.n, result.layers);
      expect(t.contraction).toBeLessThan(1);
      let compared = 0;
      for (let l = 1; l <= config.layers; l++) {
        const h = result.layers[l];
        // Below float64 rounding of H itself the measured value is rounding, not a residual.
        if (t.bound[l] < 1e-12 * mixedNorm(h.features!, result.n, h.width)) break;
        expect(t.measured[l]!).toBeLessThanOrEqual(t.bound[l]);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(1);
    }
  });

  it('is vacuous for unit-scale tokens: the bound grows while the residual collapses', async () => {
    const config = san();
    const result = await createReferenceEngine().run(config, { features: 'all' });
    const t = attentionTheory(config, result.n, result.layers);
    expect(t.contraction).toBeGreaterThan(1);
    expect(t.bound[1]).toBeGreaterThan(t.bound[0]);
    expect(t.measured[config.layers]!).toBeLessThan(t.measured[0]! * 1e-3);
  });

  it('names what breaks the assumptions', () => {
    expect(attentionAssumptionsBroken(san({ residual: 'residual' }))).toEqual([
      'a skip connection keeps H in every layer’s output',
    ]);
    expect(
      attentionAssumptionsBroken(san({ norm: { ...none, kind: 'layernorm' }, activation: 'relu' })),
    ).toHaveLength(2);
    expect(attentionAssumptionsBroken(san({ model: 'gnn' }))).toContain('the model is not self-attention');
  });
});

describe('uniformity loss', () => {
  const n = 40;
  const d = 8;
  const random = new Float64Array(n * d);
  new Rng(11, 2).fillNormal(random, 1);

  it('is 1/τ at complete collapse and lower for spread rows', () => {
    const same = new Float64Array(n * d);
    for (let i = 0; i < n; i++) same.set([3, 1, 0, 0, 0, 0, 0, 2], i * d);
    for (const tau of [0.5, 1, 2]) {
      expect(uniformityLoss(same, n, d, tau)).toBeCloseTo(1 / tau, 12);
      expect(uniformityLoss(random, n, d, tau)).toBeLessThan(1 / tau - 0.1);
    }
  });

  it('is the brute-force double sum', () => {
    const z = Array.from({ length: n }, (_, i) => {
      const r = Array.from(random.subarray(i * d, i * d + d));
      const norm = Math.hypot(...r);
      return r.map((v) => v / norm);
    });
    const tau = 0.7;
    let want = 0;
    for (const zi of z)
      want += Math.log(
        z.reduce((s, zj) => s + Math.exp(zi.reduce((a, v, t) => a + v * zj[t], 0) / tau), 0) / n,
      );
    expect(uniformityLoss(random, n, d, tau)).toBeCloseTo(want / n, 12);
  });

  it('falls under one small ContraNorm step Ẑ − s·SẐ (the step descends it)', () => {
    const tau = 1;
    const s = 0.05;
    const z = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const norm = Math.hypot(...random.subarray(i * d, i * d + d));
      for (let t = 0; t < d; t++) z[i * d + t] = random[i * d + t] / norm + 0.8; // a cone: partly collapsed
    }
    const step = new Float64Array(n * d);
    const unit = (i: number) => {
      const r = Array.from(z.subarray(i * d, i * d + d));
      const norm = Math.hypot(...r);
      return r.map((v) => v / norm);
    };
    const rows = Array.from({ length: n }, (_, i) => unit(i));
    for (let i = 0; i < n; i++) {
      const e = rows.map((zj) => Math.exp(rows[i].reduce((a, v, t) => a + v * zj[t], 0) / tau));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let t = 0; t < d; t++)
        step[i * d + t] = rows[i][t] - s * rows.reduce((a, zj, j) => a + (e[j] / sum) * zj[t], 0);
    }
    expect(uniformityLoss(step, n, d, tau)).toBeLessThan(uniformityLoss(z, n, d, tau));
  });

  it('samples at most SAMPLE_ROWS rows, evenly, the same at every layer', () => {
    expect(uniformityRows(100)).toHaveLength(100);
    const rows = uniformityRows(5000);
    expect(rows).toHaveLength(SAMPLE_ROWS);
    expect(new Set(rows).size).toBe(SAMPLE_ROWS);
    expect(rows[SAMPLE_ROWS - 1]).toBeLessThan(5000);
  });
});
