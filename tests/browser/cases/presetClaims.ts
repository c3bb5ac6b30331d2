// The GPU engine's values for each lecture preset's claims (src/lessons/presetClaims.ts): the
// preset's settings through the same engineConfig the page uses, one run per panel.
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import { PRESETS } from '../../../src/presets/depth';
import { PRESET_CLAIMS, claimValue, type Claim } from '../../../src/lessons/presetClaims';
import { DEFAULTS } from '../../../src/state/page';
import { engineConfig } from '../../../src/state/depth';
import { buildDataset } from '../../../src/data/datasets';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

export async function presetClaimValues(args: { id: string }): Promise<{ claim: Claim; value: number }[]> {
  const preset = PRESETS.find((p) => p.id === args.id);
  if (!preset) throw new Error(`no preset ${args.id}`);
  const claims = PRESET_CLAIMS[args.id] ?? [];
  const state = { ...DEFAULTS, ...preset.settings };
  const out: { claim: Claim; value: number }[] = [];
  for (const panel of ['A', 'B'] as const) {
    const mine = claims.filter((c) => c.panel === panel);
    if (mine.length === 0) continue;
    const config = engineConfig(state, panel);
    const dataset = buildDataset(config.dataset);
    const run = await (await gpu()).run(config, { features: 'all', dataset });
    for (const claim of mine) out.push({ claim, value: claimValue(claim, run.layers, dataset.labels) });
  }
  return out;
}
