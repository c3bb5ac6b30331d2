// Tian, Chen & Ganguli's (2021) eigenmode dynamics of the Euclidean loss (SPEC §3), integrated
// with classical RK4. With W_p symmetric and sharing its eigenvectors with F = W X Wᵀ (X = E[xxᵀ]
// = I here, so F = W Wᵀ), each mode j decouples into
//   ṗ = α_p s [τ − (1+σ²) p] − η p
//   ṡ = 2 p s [τ − (1+σ²) p] − 2 η s
//   τ̇ = β_T (1 − τ) − τ ṡ / (2s)      (BYOL only; SimSiam has τ ≡ 1)
// where s = eigenvalue of W Wᵀ, p = W_p's eigenvalue on the same eigenvector, and τ = the
// target's amplitude relative to W's on that mode (W_a = τ W along the mode).
//
// Mapping onto the simulation (src/noncontrastive/model.ts): time t = steps × lr, since one SGD
// step moves W by lr·(−∇ − ηW), an Euler step of length lr of the flow above. BYOL's per-step EMA
// W_a ← βW_a + (1−β)W is, per unit of that time, the rate β_T = (1−β)/lr. Initial modes come from
// the simulation's W(0), W_p(0): s_j(0) the eigenvalues of W Wᵀ, p_j(0) = u_jᵀ W_p u_j on their
// eigenvectors u_j (exact when W_p(0) commutes with W Wᵀ, e.g. W_p(0) = I), τ_j(0) = 1.
import type { NcConfig } from './model';

export interface OdeModes {
  s: number[];
  p: number[];
}

export interface OdeTrajectory {
  /** Training steps at which the solution is sampled. */
  steps: number[];
  /** s[k][j], p[k][j]: mode j at steps[k]. */
  s: number[][];
  p: number[][];
}

type ModeState = [number, number, number]; // p, s, τ

function deriv(y: ModeState, cfg: NcConfig, byol: boolean, betaT: number): ModeState {
  const [p, s, tau] = y;
  const k = 1 + cfg.sigma * cfg.sigma;
  const gap = tau - k * p;
  const dp = cfg.alphaP * s * gap - cfg.eta * p;
  const sRate = 2 * p * gap - 2 * cfg.eta; // ṡ / s
  const ds = sRate * s;
  const dtau = byol ? betaT * (1 - tau) - (tau * sRate) / 2 : 0;
  return [dp, ds, dtau];
}

function rk4(y: ModeState, h: number, cfg: NcConfig, byol: boolean, betaT: number): ModeState {
  const add = (a: ModeState, b: ModeState, f: number): ModeState => [
    a[0] + f * b[0],
    a[1] + f * b[1],
    a[2] + f * b[2],
  ];
  const k1 = deriv(y, cfg, byol, betaT);
  const k2 = deriv(add(y, k1, h / 2), cfg, byol, betaT);
  const k3 = deriv(add(y, k2, h / 2), cfg, byol, betaT);
  const k4 = deriv(add(y, k3, h), cfg, byol, betaT);
  return [
    y[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]),
    y[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1]),
    y[2] + (h / 6) * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2]),
  ];
}

/** Largest RK4 step in ODE time; the rates are O(1) for the slider ranges, so this is accurate to ~1e-8. */
const MAX_DT = 0.01;

/** Integrate every mode from `init` and sample it at the given training steps (ascending). */
export function integrateModes(init: OdeModes, cfg: NcConfig, steps: readonly number[]): OdeTrajectory {
  const byol = cfg.target === 'byol';
  const betaT = (1 - cfg.beta) / cfg.lr;
  const n = init.s.length;
  const ys: ModeState[] = init.s.map((s, j) => [init.p[j], s, 1]);
  const out: OdeTrajectory = { steps: [...steps], s: [], p: [] };
  let t = 0;
  for (const step of steps) {
    const target = step * cfg.lr;
    const span = target - t;
    if (span > 0) {
      const m = Math.ceil(span / MAX_DT);
      const h = span / m;
      for (let j = 0; j < n; j++) {
        let y = ys[j];
        for (let i = 0; i < m && Number.isFinite(y[1]); i++) y = rk4(y, h, cfg, byol, betaT);
        ys[j] = y;
      }
      t = target;
    }
    out.s.push(ys.map((y) => y[1]));
    out.p.push(ys.map((y) => y[0]));
  }
  return out;
}

/**
 * Tian et al.'s condition for a non-collapsed equilibrium of the Euclidean dynamics: a fixed
 * point with s > 0 needs p[1 − (1+σ²)p] = η, and the left side is at most 1/(4(1+σ²)); then
 * s = p²/α_p. So such equilibria exist only when 4η(1+σ²) ≤ 1, for any α_p.
 */
export function euclideanCanSurvive(eta: number, sigma: number): boolean {
  return 4 * eta * (1 + sigma * sigma) <= 1;
}

/** The stable non-collapsed equilibrium (p*, s*) of a SimSiam mode, or null past the boundary. */
export function euclideanEquilibrium(cfg: NcConfig): { p: number; s: number } | null {
  const k = 1 + cfg.sigma * cfg.sigma;
  const disc = 1 - 4 * cfg.eta * k;
  if (disc < 0) return null;
  const p = (1 + Math.sqrt(disc)) / (2 * k);
  return { p, s: (p * p) / cfg.alphaP };
}
