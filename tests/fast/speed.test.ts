import { it } from 'vitest';
import { createFastEngine } from '../../src/engine/fast/engine';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig } from '../../src/engine/types';

it('speed', async () => {
  const fast = await createFastEngine();
  const c = defaultConfig();
  const cfgs: EngineConfig[] = [
    { ...c, dataset: { kind: 'random-graph', n: 2708, avgDegree: 4, featureDim: 64, seed: 1 }, depth: 4, hidden: 64, norm: { ...c.norm, kind: 'contranorm' } },
    { ...c, model: 'transformer', dataset: { kind: 'tokens', n: 512, featureDim: 64, clusters: 4, separation: 2, seed: 3 }, depth: 8, hidden: 64, residual: 'residual', norm: { ...c.norm, kind: 'contranorm' } },
  ];
  for (const cfg of cfgs) {
    const ref = createReferenceEngine();
    const t0 = performance.now();
    await fast.run(cfg, { features: 'none' });
    const t1 = performance.now();
    await ref.run(cfg, { features: 'none' });
    const t2 = performance.now();
    console.log(cfg.model, 'fast', (t1 - t0).toFixed(0), 'ref', (t2 - t1).toFixed(0), 'ratio', ((t2 - t1) / (t1 - t0)).toFixed(1));
  }
});
