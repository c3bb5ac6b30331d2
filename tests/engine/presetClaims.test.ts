// The lecture presets' claims (src/lessons/presetClaims.ts) on the GPU engine, in headless
// Chromium: what the page shows is what the explanation says, not only in float64
// (tests/lessons/presetClaims.test.ts).
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { PRESETS } from '../../src/presets/depth';
import { claimHolds } from '../../src/lessons/presetClaims';

const harness = useHarnessPage();

describe('preset claims on the GPU engine', () => {
  for (const preset of PRESETS) {
    it(`${preset.id}: every claim holds`, async () => {
      const values = await harness().evaluate((a) => window.harness.presetClaimValues(a), { id: preset.id });
      expect(values.length).toBeGreaterThanOrEqual(2);
      for (const { claim: c, value } of values) {
        expect(claimHolds(c, value), `${c.panel} layer ${c.layer} ${c.metric} = ${value} ("${c.says}")`).toBe(
          true,
        );
      }
    }, 240_000);
  }
});
