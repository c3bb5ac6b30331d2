import { it, expect } from 'vitest';
import { createFastEngine } from '../../src/engine/fast/engine';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig } from '../../src/engine/types';

it('quick', async () => {
  const fast = await createFastEngine();
  const c = defaultConfig();
  const configs: EngineConfig[] = [
    { ...c, depth: 8, norm: { ...c.norm, kind: 'contranorm' } },
    { ...c, depth: 8, norm: { ...c.norm, kind: 'contranorm', variant: 'mask' } },
    { ...c, depth: 8, norm: { ...c.norm, kind: 'contranorm', variant: 'paper' } },
    { ...c, depth: 8, norm: { ...c.norm, kind: 'contranorm', tau: 0.01 } },
    { ...c, model: 'transformer', dataset: { kind: 'tokens', n: 101, featureDim: 13, clusters: 4, separation: 2, seed: 3 }, depth: 8, hidden: 13, residual: 'none' },
  ];
  for (const cfg of configs) {
    const ref = createReferenceEngine();
    const t0 = performance.now();
    const a = await fast.run(cfg, { features: 'all' });
    const t1 = performance.now();
    const b = await ref.run(cfg, { features: 'all' });
    const t2 = performance.now();
    let err = 0, scale = 0;
    const L = a.layers.length - 1;
    const fa = a.layers[L].features!, fb = b.layers[L].features!;
    for (let i = 0; i < fb.length; i++) { err = Math.max(err, Math.abs(fa[i] - fb[i])); scale = Math.max(scale, Math.abs(fb[i])); }
    console.log(cfg.norm.kind, cfg.norm.variant, cfg.model, 'relerr', err / scale, 'erank', a.layers[L].metrics.effectiveRank, b.layers[L].metrics.effectiveRank, 'att', a.layers[L].metrics.attentionSimilarity, b.layers[L].metrics.attentionSimilarity, 'ms', (t1-t0).toFixed(0), (t2-t1).toFixed(0));
    expect(err / scale).toBeLessThan(1e-3);
  }
});
