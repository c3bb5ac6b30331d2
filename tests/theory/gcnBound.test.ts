// The GCN oversmoothing bound against the float64 reference engine: λ against a dense
// eigen-solve, and d(H_ℓ)/d(H_0) ≤ ∏ s_W·λ^ℓ on every layer where the theory's assumptions hold.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config';
import type { DatasetSpec, EngineConfig, NormConfig } from '../../src/engine/types';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { buildDataset } from '../../src/data/datasets';
import { symmetricEigenvalues } from '../../src/math/spectrum';
import {
  limitSubspace,
  offSubspaceSpectrum,
  projectOff,
  applySym,
} from '../../src/engine/theory/spectralGap';
import { gcnAssumptionsBroken, gcnTheory } from '../../src/engine/theory/gcnBound';

const none: NormConfig = { kind: 'none', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 };
const csbm: DatasetSpec = {
  kind: 'csbm',
  n: 200,
  classes: 3,
  avgDegree: 6,
  homophily: 0.8,
  featureDim: 16,
  separation: 2,
  seed: 1,
};

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

/** λ by brute force: all eigenvalues of the dense (I − Π_U) Â_sym (I − Π_U). */
function denseLambda(spec: DatasetSpec): number {
  const ds = buildDataset(spec);
  const graph = ds.graph!;
  const n = ds.n;
  const u = limitSubspace(graph, n);
  const a = new Float64Array(n * n);
  const col = new Float64Array(n);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    projectOff(u, col);
    applySym(graph, u, col, out);
    projectOff(u, out);
    for (let i = 0; i < n; i++) a[i * n + j] = out[i];
  }
  const ev = symmetricEigenvalues(a, n);
  return Math.max(Math.abs(ev[0]), Math.abs(ev[n - 1]));
}

const graphs: [string, DatasetSpec][] = [
  ['cSBM', csbm],
  ['karate club', { kind: 'karate' }],
  [
    'ring (slow mixing, clustered spectrum)',
    { kind: 'ring', n: 300, classes: 3, avgDegree: 4, featureDim: 8, seed: 1 },
  ],
  ['grid', { kind: 'grid', n: 256, classes: 2, featureDim: 8, seed: 1 }],
  [
    'geometric (several components)',
    { kind: 'geometric', n: 200, classes: 2, radius: 0.08, featureDim: 8, seed: 3 },
  ],
];

describe('λ of Â off the limit subspace', () => {
  it.each(graphs)('matches a dense eigen-solve on the %s', (_, spec) => {
    const ds = buildDataset(spec);
    const got = offSubspaceSpectrum(ds.graph!, ds.n);
    const want = denseLambda(spec);
    expect(want).toBeGreaterThan(0.3);
    expect(want).toBeLessThan(1);
    expect(Math.abs(got.lambda - want)).toBeLessThan(1e-8);
  });

  it('counts one limit direction per connected component', () => {
    const ds = buildDataset(graphs[4][1]);
    const u = limitSubspace(ds.graph!, ds.n);
    expect(u.scale.length).toBeGreaterThan(1);
  });
});

describe('measured distance against the bound (reference engine)', () => {
  const orthogonal = { init: 'orthogonal', gain: 1, tied: false, seed: 5 } as const;
  // [name, patch, whether the bound ends below 0.05: s_W·λ well under 1 on average]
  const cases: [string, Partial<EngineConfig>, boolean][] = [
    ['linear, rw', { adjacency: 'rw' }, false],
    ['linear, sym, orthogonal weights', { adjacency: 'sym', weights: orthogonal }, true],
    ['ReLU, rw, orthogonal weights', { adjacency: 'rw', activation: 'relu', weights: orthogonal }, true],
    [
      'ReLU, sym, gain 2',
      { adjacency: 'sym', activation: 'relu', weights: { init: 'gaussian', gain: 2, tied: false, seed: 3 } },
      false,
    ],
    [
      'ReLU, rw, gain 0.5, geometric graph with several components',
      {
        adjacency: 'rw',
        activation: 'relu',
        dataset: graphs[4][1],
        weights: { init: 'gaussian', gain: 0.4, tied: false, seed: 5 },
      },
      true,
    ],
  ];
  it.each(cases)('%s: d(H_ℓ)/d(H_0) ≤ ∏ s_W·λ^ℓ at every layer', async (_, patch, decays) => {
    const config = gnn(patch);
    expect(gcnAssumptionsBroken(config)).toEqual([]);
    const ds = buildDataset(config.dataset);
    const result = await createReferenceEngine().run(config, { features: 'all' });
    const t = gcnTheory(config, ds.graph!, ds.n, result.layers);
    expect(t.measured[0]).toBe(1);
    for (let l = 1; l <= config.layers; l++) {
      expect(t.measured[l]).not.toBeNull();
      expect(t.measured[l]!).toBeLessThanOrEqual(t.bound[l] * (1 + 1e-9));
    }
    // Where the bound decays, it forces oversmoothing: the distance falls by orders of magnitude.
    expect(t.bound[config.layers] < 0.05).toBe(decays);
    if (decays) expect(t.measured[config.layers]!).toBeLessThan(0.05);
  });

  it('is tight for pure propagation (identity weights): the distance shrinks by λ per layer', async () => {
    for (const adjacency of ['rw', 'sym'] as const) {
      const config = gnn({
        adjacency,
        layers: 48,
        weights: { init: 'identity', gain: 1, tied: false, seed: 1 },
      });
      const ds = buildDataset(config.dataset);
      const result = await createReferenceEngine().run(config, { features: 'all' });
      const t = gcnTheory(config, ds.graph!, ds.n, result.layers);
      expect(t.weightNorms.slice(1).every((s) => Math.abs(s - 1) < 1e-12)).toBe(true);
      const rate = t.measured[48]! / t.measured[47]!;
      expect(rate).toBeLessThanOrEqual(t.lambda * (1 + 1e-9));
      expect(rate).toBeGreaterThan(t.lambda * 0.99);
    }
  });

  it('names what breaks the assumptions, and the bound then fails where it says so', async () => {
    // Orthogonal weights (s_W = 1), so the bound is λ^ℓ; PairNorm rescales every layer's spread.
    const config = gnn({ norm: { ...none, kind: 'pairnorm' }, weights: orthogonal });
    expect(gcnAssumptionsBroken(config)).toEqual(['a normalization rescales the rows after each layer']);
    expect(gcnAssumptionsBroken(gnn({ activation: 'tanh', residual: 'residual' }))).toHaveLength(2);
    const ds = buildDataset(config.dataset);
    const result = await createReferenceEngine().run(config, { features: 'all' });
    const t = gcnTheory(config, ds.graph!, ds.n, result.layers);
    expect(t.measured.some((m, l) => m !== null && m > t.bound[l])).toBe(true);
  });
});
