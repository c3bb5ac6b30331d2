// Every lecture preset's explanation, as numbers (src/lessons/presetClaims.ts), checked on the
// float64 reference engine with the preset's own settings. The GPU engine is held to the same
// claims in tests/engine/presetClaims.test.ts.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/presets/depth';
import { PRESET_CLAIMS, claimHolds, claimValue, classSpread } from '../../src/lessons/presetClaims';
import { DEFAULTS } from '../../src/state/page';
import { engineConfig } from '../../src/state/depth';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { buildDataset } from '../../src/data/datasets';

describe('preset claims on the reference engine', () => {
  const engine = createReferenceEngine();
  for (const preset of PRESETS) {
    it(`${preset.id}: every claim holds`, async () => {
      const claims = PRESET_CLAIMS[preset.id];
      expect(claims?.length, 'a preset without claims').toBeGreaterThanOrEqual(2);
      const state = { ...DEFAULTS, ...preset.settings };
      for (const panel of ['A', 'B'] as const) {
        const mine = claims!.filter((c) => c.panel === panel);
        if (mine.length === 0) continue;
        const config = engineConfig(state, panel);
        const dataset = buildDataset(config.dataset);
        const run = await engine.run(config, { features: 'all', dataset });
        for (const c of mine) {
          const v = claimValue(c, run.layers, dataset.labels);
          expect(claimHolds(c, v), `${panel} layer ${c.layer} ${c.metric} = ${v} ("${c.says}")`).toBe(true);
        }
      }
    }, 60_000);
  }

  it('the old words of "Too large an s" (points scattered over the circle) do not hold at s = 3', async () => {
    // The explanation once said the points scatter over the circle; at s = 3 they collapse
    // (effective rank 1.00, mean cosine 1.00), whatever τ.
    for (const tau of [0.1, 1]) {
      const state = { ...DEFAULTS, ...PRESETS.find((p) => p.id === 'too-large-s')!.settings, tau };
      const run = await engine.run(engineConfig(state, 'B'), { features: 'none' });
      expect(run.layers[32]!.metrics.meanCosine).toBeGreaterThan(0.999);
    }
    // …while s = 1, as the explanation says, keeps the rank (float64: 11.65 at layer 32).
    const moderate = { ...DEFAULTS, ...PRESETS.find((p) => p.id === 'too-large-s')!.settings, s: 1 };
    const run = await engine.run(engineConfig(moderate, 'B'), { features: 'none' });
    expect(run.layers[32]!.metrics.effectiveRank).toBeGreaterThan(4);
  }, 60_000);
});

describe('classSpread', () => {
  it('is 0 for one point, the centroid distance for two, and ignores row scale', () => {
    expect(classSpread([1, 0, 2, 0, 3, 0], [0, 1, 1], 3, 2)).toBe(0);
    expect(classSpread([1, 0, 0, 5], [0, 1], 2, 2)).toBeCloseTo(Math.SQRT2, 12);
    expect(classSpread([1, 0, 0, 1, -1, 0], [0, 1, 2], 3, 2)).toBeCloseTo(
      (Math.SQRT2 + 2 + Math.SQRT2) / 3,
      12,
    );
    expect(classSpread([1, 0], [0], 1, 2)).toBeNaN();
  });
});
