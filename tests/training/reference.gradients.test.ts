// The gradient view on the float64 reference (SPEC §2 "gradient similarity"; Park & Kim 2024):
// G_ℓ = ∂loss/∂H_ℓ at initialization, on a 200-node contextual SBM, depth 64, width 16.
// Numbers measured for seeds 1–3 (node v20, this code) are quoted beside each assertion.

import { describe, expect, it } from 'vitest';
import type { Adjacency, Activation, Residual } from '../../src/engine/types';
import type { GradientLayerStats, TrainConfig } from '../../src/training/types';
import { buildDataset } from '../../src/data/datasets';
import { referenceGradients } from '../../src/training/reference/trainer';
import { consensusMu } from '../../src/training/reference/gradients';

const DEPTH = 64;
const base: TrainConfig = {
  // Homophily 0.5 mixes fast, so the deep layers reach their limit well within 64 layers.
  dataset: {
    kind: 'csbm',
    n: 200,
    classes: 3,
    avgDegree: 6,
    homophily: 0.5,
    featureDim: 16,
    separation: 2,
    seed: 1,
  },
  layers: DEPTH,
  hidden: 16,
  adjacency: 'rw',
  norm: { kind: 'none', s: 1, tau: 1, variant: 'code', pairnormScale: 1 },
  activation: 'none',
  residual: 'none',
  alpha: 1,
  dropout: 0,
  lr: 0.01,
  weightDecay: 5e-4,
  epochs: 0,
  seed: 1,
  weights: { init: 'gaussian', gain: 1 },
  featureNorm: 'none',
};

function run(
  seed: number,
  adjacency: Adjacency,
  residual: Residual,
  activation: Activation,
): GradientLayerStats[] {
  return referenceGradients({ ...base, seed, adjacency, residual, activation });
}

/** ‖G_{ℓ−1}‖/‖G_ℓ‖ for ℓ = 1..L: how much one layer's backward scales the gradient. */
const layerRatios = (s: GradientLayerStats[]): number[] =>
  s.slice(1).map((x, i) => s[i].gradNorm / x.gradNorm);

/**
 * The limit of μ(G_0) in a deep linear GCN. Backward applies Âᵀ once per layer (W acts on the
 * columns), and Âᵀᴸ → π 1ᵀ with π ∝ d̃ for `rw` (Âᵀ = ÃD̃⁻¹), π ∝ √d̃ for `sym`: every node's
 * gradient becomes the same vector up to the scalar π_i, so μ(G_0) → μ(π) = ‖π − π̄‖/‖π‖,
 * set only by the degree spread.
 */
function oversmoothedFloor(adjacency: Adjacency): number {
  const ds = buildDataset(base.dataset);
  const g = ds.graph!;
  const pi = new Float64Array(ds.n);
  for (let i = 0; i < ds.n; i++) {
    const deg = 1 + g.rowPtr[i + 1] - g.rowPtr[i];
    pi[i] = adjacency === 'rw' ? deg : Math.sqrt(deg);
  }
  return consensusMu(pi, ds.n, 1);
}

describe('training reference: gradient oversmoothing and expansion (Park & Kim)', () => {
  for (const adjacency of ['rw', 'sym'] as Adjacency[])
    it(`plain linear GCN (${adjacency}): gradient similarity decays with depth to the degree-set floor`, () => {
      const floor = oversmoothedFloor(adjacency); // measured 0.300 (rw), 0.163 (sym)
      expect(floor).toBeLessThan(0.35);
      for (const seed of [1, 2, 3]) {
        const s = run(seed, adjacency, 'none', 'none');
        // At the read-out only the 60 training rows carry gradient: μ ≈ 1 (measured 1.000).
        expect(s[DEPTH].gradMu).toBeGreaterThan(0.99);
        // 32+ layers below the read-out every node receives the same gradient direction
        // (measured |μ − floor| ≤ 0.005 for ℓ ≤ 32).
        for (let l = 0; l <= 32; l++) expect(Math.abs(s[l].gradMu - floor)).toBeLessThan(0.02);
        // Monotone decay from the output towards the input, up to small wiggles.
        for (let l = 1; l <= DEPTH; l++) expect(s[l - 1].gradMu).toBeLessThan(s[l].gradMu + 0.02);
      }
    });

  it('residual GCN: gradient expansion (the norm grows layer after layer towards the input)', () => {
    const floor = oversmoothedFloor('rw');
    for (const seed of [1, 2, 3]) {
      const s = run(seed, 'rw', 'residual', 'relu');
      // ‖G_0‖/‖G_64‖ measured 3.6e9, 9.1e8, 1.2e9: G_{ℓ−1} = G_ℓ + α ÂᵀG_ℓWᵀ adds up.
      expect(s[0].gradNorm / s[DEPTH].gradNorm).toBeGreaterThan(1e6);
      // Per layer the norm never shrinks much (measured min 0.99, max 2.0).
      for (const r of layerRatios(s)) expect(r).toBeGreaterThan(0.9);
      // ... and in diverse directions: μ(G_0) stays well above the oversmoothed floor
      // (measured 0.55, 0.46, 0.69 against 0.30).
      expect(s[0].gradMu).toBeGreaterThan(floor + 0.1);
    }
  });

  it('Lipschitz-bounded residual: each layer scales ‖G‖ by a factor in a fixed band below 1', () => {
    for (const adjacency of ['rw', 'sym'] as Adjacency[])
      for (const activation of ['none', 'relu'] as Activation[])
        for (const seed of [1, 2]) {
          const ratios = layerRatios(run(seed, adjacency, 'lipschitz', activation));
          // Theory (sym, ‖Â‖₂ = 1, 1-Lipschitz activations): each layer's Jacobian has norm
          // ≤ (1 + α‖W‖₂)/(1 + α‖W‖₂) = 1, so no expansion. For rw, ‖Âᵀ‖₂ may exceed 1 a little,
          // but measured ratios stay far below (max 0.61 rw, 0.66 sym).
          for (const r of ratios) expect(r).toBeLessThanOrEqual(adjacency === 'sym' ? 1 + 1e-12 : 0.8);
          // The divisor overshoots on random weights: a typical direction gains ~√(1+α²σ̄²) ≈ √2,
          // not 1 + α‖W‖₂ ≈ 3, so each layer shrinks the gradient (measured 0.31–0.66): with
          // SPEC's bound, 64 layers vanish the gradient (‖G_0‖/‖G_64‖ ≈ 1e-23) instead of
          // exploding it. The band [0.25, 0.8] holds the measured range with margin.
          for (const r of ratios) expect(r).toBeGreaterThan(0.25);
        }
  });
});
