import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config';
import type { DatasetSpec, EngineConfig, NormConfig } from '../../src/engine/types';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { registerDataset } from '../../src/data/datasets';
import { componentSizes } from '../../src/data/graph';
import { buildDataset } from '../../src/data/datasets';

const csbm: DatasetSpec = {
  kind: 'csbm',
  n: 200,
  classes: 2,
  avgDegree: 6,
  homophily: 0.8,
  featureDim: 16,
  separation: 2,
  seed: 1,
};
const tokens: DatasetSpec = { kind: 'tokens', n: 64, featureDim: 16, clusters: 4, separation: 3, seed: 1 };
const none: NormConfig = { kind: 'none', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 };
const contra: NormConfig = { kind: 'contranorm', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 };
const layernorm: NormConfig = { ...none, kind: 'layernorm' };

function gnn(patch: Partial<EngineConfig> = {}): EngineConfig {
  return {
    ...defaultConfig(),
    dataset: csbm,
    layers: 32,
    hidden: 16,
    norm: none,
    residual: 'none',
    activation: 'none',
    ...patch,
  };
}

function attentionOnly(patch: Partial<EngineConfig> = {}): EngineConfig {
  return {
    ...defaultConfig(),
    dataset: tokens,
    model: 'transformer',
    layers: 32,
    hidden: 16,
    norm: none,
    residual: 'none',
    activation: 'none',
    weights: { init: 'gaussian', gain: 1, tied: false, seed: 1 },
    ...patch,
  };
}

describe('reference engine: the teaching facts', () => {
  it('(a) SGC-style rw propagation (identity weights, nothing else) drives μ to 0 on a connected graph', async () => {
    expect(componentSizes(buildDataset(csbm).graph!, 200)).toEqual([200]);
    const r = await createReferenceEngine().run(
      gnn({ layers: 64, adjacency: 'rw', weights: { init: 'identity', gain: 1, tied: false, seed: 1 } }),
      { features: 'none' },
    );
    const mu = r.layers.map((l) => l.metrics.mu);
    expect(mu[0]).toBeGreaterThan(0.5);
    expect(mu[64]).toBeLessThan(1e-4 * mu[0]); // observed ≈ 1.4e-5 · μ₀
    for (let l = 8; l <= 64; l += 8) expect(mu[l]).toBeLessThan(mu[l - 8]); // monotone decay, sampled
    expect(r.layers[64].metrics.meanCosine).toBeGreaterThan(0.9999);
    expect(r.layers[64].metrics.effectiveRank).toBeLessThan(1.01);
    expect(r.layers[64].metrics.dirichlet!).toBeLessThan(1e-6 * r.layers[0].metrics.dirichlet!);
    expect(r.firstNonFinite).toBeNull();
  });

  it('(a′) sym propagation converges to rows ∝ √deg instead: directions collapse, μ does not reach 0', async () => {
    const r = await createReferenceEngine().run(
      gnn({ layers: 64, adjacency: 'sym', weights: { init: 'identity', gain: 1, tied: false, seed: 1 } }),
      { features: 'none' },
    );
    expect(r.layers[64].metrics.meanCosine).toBeGreaterThan(0.9999);
    expect(r.layers[64].metrics.mu).toBeGreaterThan(0.05);
  });

  it('(b) pure self-attention (no residual, no norm) collapses tokens to rank one', async () => {
    const r = await createReferenceEngine().run(attentionOnly(), { features: 'none' });
    expect(r.layers[0].metrics.effectiveRank).toBeGreaterThan(10);
    expect(r.layers[32].metrics.effectiveRank).toBeLessThan(1.05);
    expect(r.layers[32].metrics.attentionSimilarity!).toBeGreaterThan(0.999);
    expect(r.layers[0].metrics.attentionSimilarity).toBeNull();
  });

  it('(c) ContraNorm (s = 0.5, τ = 1) keeps the effective rank of a deep GCN far above the unnormalized one', async () => {
    const engine = createReferenceEngine();
    const plain = await engine.run(gnn(), { features: 'none' });
    const withCn = await engine.run(gnn({ norm: contra }), { features: 'none' });
    const withLn = await engine.run(gnn({ norm: layernorm }), { features: 'none' });
    expect(plain.layers[32].metrics.effectiveRank).toBeLessThan(1.1);
    expect(withLn.layers[32].metrics.effectiveRank).toBeLessThan(1.1); // LayerNorm alone does not help
    expect(withCn.layers[32].metrics.effectiveRank).toBeGreaterThan(3); // observed ≈ 4.8
    expect(withCn.layers[32].metrics.meanCosine).toBeLessThan(0.1);
  });

  it('(c) in a post-LN Transformer with residuals, ContraNorm in LayerNorm’s place prevents the collapse', async () => {
    const engine = createReferenceEngine();
    const ln = await engine.run(
      attentionOnly({ residual: 'residual', normPlacement: 'post', norm: layernorm }),
      { features: 'none' },
    );
    const cn = await engine.run(
      attentionOnly({ residual: 'residual', normPlacement: 'post', norm: contra }),
      { features: 'none' },
    );
    expect(ln.layers[32].metrics.effectiveRank).toBeLessThan(1.1); // observed ≈ 1.00
    expect(cn.layers[32].metrics.effectiveRank).toBeGreaterThan(8); // observed ≈ 13
    expect(cn.layers[32].metrics.attentionSimilarity!).toBeLessThan(
      ln.layers[32].metrics.attentionSimilarity!,
    );
  });
});

describe('reference engine: the Engine contract', () => {
  it('computes only new layers when only the depth grows, with identical numbers', async () => {
    const engine = createReferenceEngine();
    const c = gnn({ norm: contra, layers: 8 });
    const first = await engine.run(c);
    expect(first.computedLayers).toBe(9); // layers 0..8: computed + cached = depth + 1
    const more = await engine.run({ ...c, layers: 16 });
    expect(more.computedLayers).toBe(8);
    const fresh = await createReferenceEngine().run({ ...c, layers: 16 });
    expect(fresh.computedLayers).toBe(17);
    expect(more.layers.length).toBe(17);
    for (let l = 0; l <= 16; l++) {
      expect(Array.from(more.layers[l].features!)).toEqual(Array.from(fresh.layers[l].features!));
      expect(more.layers[l].metrics).toEqual(fresh.layers[l].metrics);
    }
    // A shallower request is served from the cache.
    const fewer = await engine.run({ ...c, layers: 4 });
    expect(fewer.computedLayers).toBe(0);
    expect(fewer.layers.length).toBe(5);
    // Any other change starts over.
    const other = await engine.run({ ...c, layers: 4, norm: { ...contra, s: 0.6 } });
    expect(other.computedLayers).toBe(5);
  });

  it('returns features as asked: all, last only, or none; still incremental', async () => {
    const engine = createReferenceEngine();
    const c = gnn({ layers: 3 });
    const none = await engine.run(c, { features: 'none' });
    expect(none.layers.every((l) => l.features === undefined)).toBe(true);
    const last = await engine.run({ ...c, layers: 5 }, { features: 'last' });
    expect(last.computedLayers).toBe(2);
    expect(last.layers.map((l) => l.features !== undefined)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    expect(last.layers[5].features!.length).toBe(200 * 16);
    expect(last.layers[0].width).toBe(16);
    // The earlier layers' features were not kept, so asking for all of them recomputes.
    const all = await engine.run({ ...c, layers: 5 }, { features: 'all' });
    expect(all.computedLayers).toBe(6);
    expect(all.layers.every((l) => l.features !== undefined)).toBe(true);
  });

  it('latest wins: a second run makes the first reject with an AbortError', async () => {
    const engine = createReferenceEngine();
    const first = engine.run(gnn({ norm: contra, layers: 64 }));
    const second = engine.run(gnn({ norm: contra, layers: 4 }));
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const r = await second;
    expect(r.layers.length).toBe(5);
  });

  it('an AbortSignal rejects the run with an AbortError', async () => {
    const engine = createReferenceEngine();
    const controller = new AbortController();
    const p = engine.run(gnn({ norm: contra, layers: 64 }), { signal: controller.signal });
    controller.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    // The engine still works afterwards.
    expect((await engine.run(gnn({ layers: 2 }))).layers.length).toBe(3);
  });

  it('rejects an invalid configuration with the validation messages', async () => {
    const engine = createReferenceEngine();
    await expect(engine.run(gnn({ layers: -1 }))).rejects.toThrow(/layers L must be an integer/);
    await expect(engine.run(gnn({ dataset: tokens }))).rejects.toThrow(/needs a graph/);
    await expect(engine.run(gnn({ dataset: { kind: 'loaded', id: 'nope' } }))).rejects.toThrow(
      /no data set is loaded under the id "nope"/,
    );
  });

  it('reports non-finite layers instead of hanging: NaN input, overflowing weights, an underflowing τ', async () => {
    const engine = createReferenceEngine();
    const base = buildDataset(csbm);
    const features = base.features.slice();
    features[5] = NaN;
    registerDataset({ ...base, id: 'test:nan-input', features });
    const nanInput = await engine.run(gnn({ dataset: { kind: 'loaded', id: 'test:nan-input' }, layers: 4 }));
    expect(nanInput.firstNonFinite).toBe(0);
    expect(nanInput.layers[0].nonFinite).toBe(1);
    expect(nanInput.warnings.some((w) => /layer 0: 1 non-finite/.test(w))).toBe(true);

    const huge = await engine.run(
      gnn({ layers: 8, weights: { init: 'gaussian', gain: 1e90, tied: false, seed: 1 } }),
    );
    expect(huge.firstNonFinite).not.toBeNull();
    expect(huge.firstNonFinite!).toBeGreaterThan(0);
    expect(huge.layers[huge.firstNonFinite! - 1].nonFinite).toBe(0);
    expect(huge.layers[huge.firstNonFinite!].nonFinite).toBeGreaterThan(0);

    const tinyTau = await engine.run(gnn({ layers: 3, norm: { ...contra, tau: 1e-310 } }));
    expect(tinyTau.firstNonFinite).toBe(1);
    expect(Number.isNaN(tinyTau.layers[3].metrics.effectiveRank)).toBe(true);

    const bigS = await engine.run(gnn({ layers: 8, norm: { ...contra, s: 50 } }));
    expect(bigS.layers.length).toBe(9); // extreme but legal: it runs, and is reported honestly
  });

  it('skips a residual across a width change and says so; Lipschitz residual stays bounded', async () => {
    const engine = createReferenceEngine();
    const r = await engine.run(gnn({ hidden: 8, residual: 'residual', layers: 3 }));
    expect(r.warnings).toContain('layer 1: residual skipped (input width 16 ≠ hidden width 8)');
    expect(r.layers[1].width).toBe(8);
    const lip = await engine.run(
      gnn({
        residual: 'lipschitz',
        layers: 32,
        weights: { init: 'gaussian', gain: 3, tied: false, seed: 2 },
      }),
      { features: 'none' },
    );
    const plain = await engine.run(
      gnn({ residual: 'residual', layers: 32, weights: { init: 'gaussian', gain: 3, tied: false, seed: 2 } }),
      { features: 'none' },
    );
    expect(lip.layers[32].metrics.frobenius).toBeLessThanOrEqual(
      lip.layers[0].metrics.frobenius * (1 + 1e-9),
    );
    expect(plain.layers[32].metrics.frobenius).toBeGreaterThan(1e3 * plain.layers[0].metrics.frobenius);
  });
});
