// The simulated Euclidean-loss spectra against Tian et al.'s eigenmode ODE (src/noncontrastive/
// ode.ts), in the regime of its assumptions: W_p symmetric and starting at I (so it commutes with
// W Wᵀ), isotropic data, small learning rate (0.01) and a large batch (1024).
//
// Tolerance: every eigenvalue of W Wᵀ within 5% (relative) of the ODE's s_j at every recorded
// step, every eigenvalue of W_p within 0.02 of the ODE's p_j (sorted alike). Measured: ≤ 2.3%
// and ≤ 0.005 for both settings below; what remains is batch noise and the O(lr) Euler error.
import { describe, expect, it } from 'vitest';
import type { NcConfig } from '../../src/noncontrastive/model';
import { euclideanCanSurvive, euclideanEquilibrium, integrateModes } from '../../src/noncontrastive/ode';
import { PairedTrainer } from '../../src/noncontrastive/trainer';

const base: NcConfig = {
  dIn: 8,
  dOut: 4,
  batch: 1024,
  sigma: 0.5,
  eta: 0.05,
  alphaP: 1,
  lr: 0.01,
  target: 'simsiam',
  beta: 0.99,
  initScale: 1,
  predictorInit: 'identity',
  symmetricPredictor: true,
  seed: 1,
  steps: 1500,
};

interface Comparison {
  sRel: number;
  pAbs: number;
  firstSim: number[];
  lastSim: number[];
  lastOde: number[];
}

function compare(cfg: NcConfig): Comparison {
  const t = new PairedTrainer(cfg);
  t.advance(cfg.steps);
  const recs = t.runs.euclidean.records;
  const ode = integrateModes(
    t.initialModes,
    cfg,
    recs.map((r) => r.step),
  );
  let sRel = 0;
  let pAbs = 0;
  recs.forEach((r, k) => {
    const pOde = [...ode.p[k]].sort((a, b) => b - a);
    r.eigW.forEach((v, j) => {
      sRel = Math.max(sRel, Math.abs(v - ode.s[k][j]) / ode.s[k][j]);
      pAbs = Math.max(pAbs, Math.abs(r.eigP[j] - pOde[j]));
    });
  });
  return {
    sRel,
    pAbs,
    firstSim: recs[0].eigW,
    lastSim: recs[recs.length - 1].eigW,
    lastOde: ode.s[ode.s.length - 1],
  };
}

describe('Euclidean loss: simulation vs the eigenmode ODE', () => {
  it('weak weight decay (η = 0.05): modes settle on the ODE’s equilibrium', () => {
    const r = compare(base);
    expect(r.sRel).toBeLessThan(0.05);
    expect(r.pAbs).toBeLessThan(0.02);
    // Not a trivial agreement: the spread of the modes (a factor > 4 at init) shrank towards the
    // common equilibrium s* ≈ 0.56.
    const spread = (v: number[]) => Math.max(...v) / Math.min(...v);
    expect(spread(r.firstSim)).toBeGreaterThan(4);
    expect(spread(r.lastSim)).toBeLessThan(0.5 * spread(r.firstSim));
    const eq = euclideanEquilibrium(base)!;
    expect(Math.min(...r.lastOde)).toBeLessThan(eq.s * 1.6);
    expect(Math.max(...r.lastOde)).toBeGreaterThan(eq.s / 1.6);
  });

  it('strong weight decay (η = 0.3): modes decay as the ODE says', () => {
    const cfg = { ...base, eta: 0.3, steps: 1000 };
    const r = compare(cfg);
    expect(r.sRel).toBeLessThan(0.05);
    expect(r.pAbs).toBeLessThan(0.02);
    expect(Math.max(...r.lastSim)).toBeLessThan(0.2);
  });
});

describe('BYOL: simulation vs the ODE with the EMA target', () => {
  // Tian et al.'s third variable τ (W_a = τW along a mode), τ̇ = β_T(1 − τ) − τṡ/(2s) with
  // β_T = (1−β)/lr: same tolerance as SimSiam (measured 1.4% on s).
  it('β = 0.99, weak weight decay', () => {
    const r = compare({ ...base, target: 'byol', beta: 0.99, steps: 1000 });
    expect(r.sRel).toBeLessThan(0.05);
    expect(r.pAbs).toBeLessThan(0.02);
  });
});

describe('the ODE itself', () => {
  it('converges to the closed-form equilibrium p* = [1 + √(1 − 4η(1+σ²))] / (2(1+σ²)), s* = p*²/α_p', () => {
    const cfg = { ...base, alphaP: 2, eta: 0.1 };
    const eq = euclideanEquilibrium(cfg)!;
    const out = integrateModes({ s: [1, 0.5], p: [1, 0.5] }, cfg, [100_000]); // t = 1000
    for (let j = 0; j < 2; j++) {
      expect(out.p[0][j]).toBeCloseTo(eq.p, 6);
      expect(out.s[0][j]).toBeCloseTo(eq.s, 6);
    }
  });

  it('past the boundary 4η(1+σ²) > 1 every mode decays to zero', () => {
    const cfg = { ...base, eta: 0.25 };
    expect(euclideanCanSurvive(cfg.eta, cfg.sigma)).toBe(false);
    expect(euclideanEquilibrium(cfg)).toBeNull();
    const out = integrateModes({ s: [3, 1], p: [1, 1] }, cfg, [10_000]);
    for (const s of out.s[0]) expect(s).toBeLessThan(1e-6);
  });
});
