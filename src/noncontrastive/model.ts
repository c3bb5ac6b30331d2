// The linear non-contrastive model of SPEC §3 (Tian, Chen & Ganguli 2021): online encoder W
// (d_out×d_in), linear predictor W_p (d_out×d_out), target W_a (SimSiam: W itself; BYOL: an EMA
// of W). Two views of x ~ N(0, I): x₁ = x + σε₁, x₂ = x + σε₂. Per sample, u = W_p W x₁ (online
// prediction) and v = W_a x₂ (target, stop-gradient). Gradients are derived by hand below.
//
// Everything runs on the CPU in float64: at these sizes (d ≤ 64, batch ≤ 1024) a step is a few
// small matrix products (≤ 25 Mflop), far less than the latency of one GPU dispatch + readback,
// and the eigenvalue plots need float64 to show modes decaying to 10⁻¹² honestly.
import { Rng } from '../math/random';
import { matMulAB, matMulABt, matMulAtB, symmetricPart } from './linalg';

export type LossKind = 'euclidean' | 'cosine';
export const LOSS_KINDS: readonly LossKind[] = ['euclidean', 'cosine'];
export type TargetKind = 'simsiam' | 'byol';
export type PredictorInit = 'identity' | 'random';

export interface NcConfig {
  dIn: number;
  dOut: number;
  batch: number;
  /** Augmentation noise σ_aug (the ODE's σ² is its square). */
  sigma: number;
  /** Weight decay η on W and W_p. */
  eta: number;
  /** Predictor learning-rate ratio α_p. */
  alphaP: number;
  lr: number;
  target: TargetKind;
  /** BYOL's EMA rate: W_a ← β W_a + (1−β) W after every step. */
  beta: number;
  /** W entries are N(0, initScale²/d_in), so E[W Wᵀ] = initScale² I. */
  initScale: number;
  /** W_p(0) = I, or entries N(0, initScale²/d_out). */
  predictorInit: PredictorInit;
  /** Symmetrize W_p's gradient (and random init): the ODE's "W_p symmetric" assumption. */
  symmetricPredictor: boolean;
  seed: number;
  /** Training length shown (the plots' x range). */
  steps: number;
}

export interface Params {
  w: Float64Array;
  wp: Float64Array;
  /** BYOL's EMA target; for SimSiam unused (the target is W). */
  wa: Float64Array;
}

export interface Batch {
  /** Both views, batch×d_in, row-major. */
  x1: Float64Array;
  x2: Float64Array;
  size: number;
}

export interface LossGrads {
  /** Mean loss over the batch. */
  loss: number;
  /** ∂loss/∂W (d_out×d_in) and ∂loss/∂W_p (d_out×d_out), weight decay not included. */
  gw: Float64Array;
  gwp: Float64Array;
}

/** Initial parameters, drawn from stream (seed, 0): W row by row, then W_p when random. */
export function initParams(cfg: NcConfig): Params {
  const rng = new Rng(cfg.seed, 0);
  const { dIn, dOut } = cfg;
  const w = new Float64Array(dOut * dIn);
  rng.fillNormal(w, cfg.initScale / Math.sqrt(dIn));
  let wp: Float64Array = new Float64Array(dOut * dOut);
  if (cfg.predictorInit === 'identity') for (let i = 0; i < dOut; i++) wp[i * dOut + i] = 1;
  else {
    rng.fillNormal(wp, cfg.initScale / Math.sqrt(dOut));
    if (cfg.symmetricPredictor) wp = symmetricPart(wp, dOut);
  }
  return { w, wp, wa: Float64Array.from(w) };
}

/** One batch from the data stream: per row, d_in draws of x, then of ε₁, then of ε₂. */
export function sampleBatch(rng: Rng, size: number, dIn: number, sigma: number): Batch {
  const x1 = new Float64Array(size * dIn);
  const x2 = new Float64Array(size * dIn);
  const x = new Float64Array(dIn);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < dIn; j++) x[j] = rng.normal();
    for (let j = 0; j < dIn; j++) x1[i * dIn + j] = x[j] + sigma * rng.normal();
    for (let j = 0; j < dIn; j++) x2[i * dIn + j] = x[j] + sigma * rng.normal();
  }
  return { x1, x2, size };
}

/** The target map: W for SimSiam, the EMA W_a for BYOL. */
export function targetOf(p: Params, target: TargetKind): Float64Array {
  return target === 'simsiam' ? p.w : p.wa;
}

/**
 * Loss and gradients for one batch, the target `wa` held constant (stop-gradient).
 *
 * With z = W x₁, u = W_p z, v = W_a x₂ and g_u = ∂ℓ/∂u per sample, the chain rule gives
 *   ∂L/∂W_p = (1/B) Σ g_u zᵀ        ∂L/∂W = (1/B) Σ (W_pᵀ g_u) x₁ᵀ.
 * Euclidean, ℓ = ½‖u − v‖²:              g_u = u − v.
 * Cosine,    ℓ = −⟨u, v⟩ / (‖u‖ ‖v‖):    g_u = −(v̂ − (û·v̂) û) / ‖u‖,  û = u/‖u‖, v̂ = v/‖v‖
 * (the component of −v̂ orthogonal to u, over ‖u‖: the loss cannot change with ‖u‖).
 * Norms are floored at 1e-12 (as SPEC's rn) so that a collapsed sample gives a zero gradient, not NaN.
 */
export function lossAndGrads(
  kind: LossKind,
  w: Float64Array,
  wp: Float64Array,
  wa: Float64Array,
  batch: Batch,
  dIn: number,
  dOut: number,
): LossGrads {
  const B = batch.size;
  const z = matMulABt(batch.x1, w, B, dIn, dOut); // B×d_out
  const u = matMulABt(z, wp, B, dOut, dOut);
  const v = matMulABt(batch.x2, wa, B, dIn, dOut);
  const gu = new Float64Array(B * dOut);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    const o = i * dOut;
    if (kind === 'euclidean') {
      for (let j = 0; j < dOut; j++) {
        const r = u[o + j] - v[o + j];
        gu[o + j] = r / B;
        loss += 0.5 * r * r;
      }
    } else {
      let uu = 0;
      let vv = 0;
      let uv = 0;
      for (let j = 0; j < dOut; j++) {
        uu += u[o + j] * u[o + j];
        vv += v[o + j] * v[o + j];
        uv += u[o + j] * v[o + j];
      }
      const nu = Math.max(Math.sqrt(uu), 1e-12);
      const nv = Math.max(Math.sqrt(vv), 1e-12);
      const c = uv / (nu * nv);
      loss -= c;
      for (let j = 0; j < dOut; j++) {
        const uh = u[o + j] / nu;
        const vh = v[o + j] / nv;
        gu[o + j] = -(vh - c * uh) / (nu * B);
      }
    }
  }
  const gwp = matMulAtB(gu, z, B, dOut, dOut);
  // W_pᵀ g_u per sample is the row vector g_uᵀ W_p: gz = gu · W_p (B×d_out).
  const gz = matMulAB(gu, wp, B, dOut, dOut);
  const gw = matMulAtB(gz, batch.x1, B, dOut, dIn);
  return { loss: loss / B, gw, gwp };
}

/**
 * One SGD step in place, the discrete form of Tian et al.'s flow (their Eq. 4–6):
 *   W   ← W   − lr (∂L/∂W + η W)
 *   W_p ← W_p − lr (α_p ∂L/∂W_p + η W_p)     (α_p scales the gradient only, as in the ODE)
 *   W_a ← β W_a + (1−β) W                    (BYOL; SimSiam's target is W itself)
 * Returns the batch loss before the step.
 */
export function sgdStep(kind: LossKind, p: Params, batch: Batch, cfg: NcConfig): number {
  const { dIn, dOut, lr, eta, alphaP } = cfg;
  const g = lossAndGrads(kind, p.w, p.wp, targetOf(p, cfg.target), batch, dIn, dOut);
  const gwp = cfg.symmetricPredictor ? symmetricPart(g.gwp, dOut) : g.gwp;
  for (let i = 0; i < p.w.length; i++) p.w[i] -= lr * (g.gw[i] + eta * p.w[i]);
  for (let i = 0; i < p.wp.length; i++) p.wp[i] -= lr * (alphaP * gwp[i] + eta * p.wp[i]);
  if (cfg.target === 'byol')
    for (let i = 0; i < p.wa.length; i++) p.wa[i] = cfg.beta * p.wa[i] + (1 - cfg.beta) * p.w[i];
  return g.loss;
}

/** A plain-language reason the configuration cannot run, or null. */
export function configProblem(cfg: NcConfig): string | null {
  const values = [
    cfg.eta,
    cfg.sigma,
    cfg.alphaP,
    cfg.lr,
    cfg.beta,
    cfg.initScale,
    cfg.dIn,
    cfg.dOut,
    cfg.batch,
  ];
  if (!values.every(Number.isFinite)) return 'a setting is not a number';
  if (cfg.lr * cfg.eta >= 1)
    return `lr·η = ${(cfg.lr * cfg.eta).toFixed(2)} ≥ 1: weight decay alone would flip the weights' sign each step`;
  return null;
}
