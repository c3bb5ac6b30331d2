// The theory overlays on the float32 engines (the fast CPU engine and the GPU engine, in
// Chromium): the GCN distance stays under its bound wherever it is above the page's float32
// floor (src/engine/theory/overlays.ts, 1e-6 of the features' norm), and matches the float64
// reference there; the printed figure is the largest float32 deviation measured, relative to the
// features' norm, which is what the floor must exceed.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig } from '../../src/engine/types';

const harness = useHarnessPage();
const FLOOR = 1e-6;

function gcn(over: Partial<EngineConfig>): EngineConfig {
  const c = defaultConfig();
  return {
    ...c,
    layers: 48,
    norm: { ...c.norm, kind: 'none' },
    weights: { init: 'orthogonal', gain: 1, tied: false, seed: 5 },
    ...over,
  };
}

describe.each(['fast', 'gpu'] as const)('theory on the %s engine', (engine) => {
  it.each([
    ['linear, rw', gcn({ adjacency: 'rw' })],
    ['ReLU, sym', gcn({ adjacency: 'sym', activation: 'relu' })],
  ])('%s: float32 distance under the bound above the floor, and equal to float64', async (_, config) => {
    const t = await harness().evaluate((a) => window.harness.theoryOnEngine(a), { config, engine });
    let worst = 0;
    let drawn = 0;
    for (let l = 0; l <= config.layers; l++) {
      const g = t.f32[l]!;
      const r = t.ref[l]!;
      const scale = t.scale[l]!;
      worst = Math.max(worst, Math.abs(g - r) / scale);
      if (g < FLOOR * scale) continue; // what the page does not draw
      drawn++;
      expect(g, `layer ${l}`).toBeLessThanOrEqual(t.bound[l]! * (1 + 1e-3));
      expect(Math.abs(g - r), `layer ${l}: f32 ${g}, f64 ${r}`).toBeLessThanOrEqual(
        0.2 * FLOOR * scale + 1e-3 * r,
      );
    }
    console.log(
      `${engine} ${_}: ${drawn} layers above the floor; largest |d32 − d64|/‖G‖ = ${worst.toExponential(2)}`,
    );
    expect(drawn).toBeGreaterThan(10);
    expect(worst).toBeLessThan(FLOOR);
  });
});
