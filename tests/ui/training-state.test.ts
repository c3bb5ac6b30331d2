// The training view's URL state, presets, configurations and published figures (no browser).
import { describe, expect, it } from 'vitest';
import { DEFAULTS, PROPS, parseState, serializeState } from '../../src/state/page';
import { CONTRANORM_CORA } from '../../src/training/paperFigures';
import { TRAINING_PRESETS } from '../../src/presets/training';
import { sweepNorms, TRAINING_DEFAULTS, TRAINING_PROPS } from '../../src/state/training';
import { gradientConfigs, STACKS, sweepRuns, trainConfig } from '../../src/state/training';
import { summarizeSweep } from '../../src/views/training/sweepSummary';

describe('training view state', () => {
  it('uses short t-prefixed URL keys and round-trips every preset', () => {
    for (const p of TRAINING_PROPS) expect(p.key).toMatch(/^t[A-Za-z0-9]{1,5}$/);
    expect(new Set(PROPS.map((p) => p.key)).size).toBe(PROPS.length);
    for (const preset of TRAINING_PRESETS) {
      const state = {
        ...DEFAULTS,
        ...TRAINING_DEFAULTS,
        ...preset.settings,
        tPreset: preset.id,
        view: 'training' as const,
      };
      const { state: back, notes } = parseState(`#${serializeState(state)}`);
      expect(notes).toEqual([]);
      expect(back).toEqual(state);
    }
  });

  it('starts from the ContraNorm authors’ GCN hyper-parameters', () => {
    const c = trainConfig(DEFAULTS);
    expect(c).toMatchObject({
      hidden: 32,
      lr: 0.005,
      weightDecay: 5e-4,
      dropout: 0.6,
      epochs: 200,
      adjacency: 'rw',
      featureNorm: 'l1',
      activation: 'relu',
      norm: { tau: 1 },
    });
    // The model the view is there to show: deep, without normalization (oversmoothing).
    expect(c).toMatchObject({ layers: 16, norm: { kind: 'none' } });
    expect(c.dataset).toMatchObject({ kind: 'csbm', n: 200 });
  });

  it('builds three stacks differing only in the residual, without dropout', () => {
    const configs = gradientConfigs({ ...DEFAULTS, tgLayers: 128 });
    expect(configs.map((c) => c.residual)).toEqual(STACKS.map((s) => s.residual));
    expect(configs.map((c) => c.residual)).toEqual(['none', 'residual', 'lipschitz']);
    for (const c of configs) {
      expect(c.layers).toBe(128);
      expect(c.dropout).toBe(0);
      expect({ ...c, residual: null }).toEqual({ ...configs[0], residual: null });
    }
  });

  it('lists every run of the sweep, and parses its normalizations', () => {
    expect(sweepNorms('none,pairnorm,bogus,none')).toEqual(['none', 'pairnorm']);
    const runs = sweepRuns({ ...DEFAULTS, tswNorms: 'none,contranorm', tswSeeds: 2, tsw64: true });
    expect(runs.length).toBe(6 * 2 * 2);
    expect([...new Set(runs.map((r) => r.depth))]).toEqual([2, 4, 8, 16, 32, 64]);
    for (const r of runs) {
      expect(r.config.layers).toBe(r.depth);
      expect(r.config.norm.kind).toBe(r.norm);
      expect(r.config.seed).toBe(r.seed);
    }
  });

  it('summarizes seeds as mean and range, in percent', () => {
    const s = summarizeSweep([
      { norm: 'none', depth: 2, seed: 0, testAccAtBestVal: 0.8, bestValEpoch: 1, finalLoss: 1 },
      { norm: 'none', depth: 2, seed: 1, testAccAtBestVal: 0.6, bestValEpoch: 1, finalLoss: 1 },
    ]);
    expect(s).toHaveLength(1);
    expect(s[0].mean).toBeCloseTo(70, 10);
    expect([s[0].min, s[0].max]).toEqual([60, 80]);
  });

  it('keeps the published Cora figures with their source', () => {
    expect(CONTRANORM_CORA.source).toBe("ContraNorm authors' plotting script, Cora, test accuracy %");
    const byNorm = Object.fromEntries(
      CONTRANORM_CORA.series.map((s) => [s.norm, s.points.map((p) => p.accuracy)]),
    );
    expect(byNorm).toEqual({
      none: [81.75, 72.61, 17.71, 20.71, 19.69],
      pairnorm: [75.32, 72.64, 71.86, 54.11, 36.62],
      layernorm: [79.96, 77.45, 39.09, 7.79, 7.79],
      contranorm: [79.75, 77.02, 74.01, 68.75, 46.39],
    });
    for (const s of CONTRANORM_CORA.series) expect(s.points.map((p) => p.depth)).toEqual([2, 4, 8, 16, 32]);
  });
});
