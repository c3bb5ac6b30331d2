// Both losses trained side by side from the same W(0), W_p(0) on the same stream of batches
// (one seeded Rng feeds both), so that any difference between the two runs is the loss's doing.
// Spectra are recorded on a fixed grid of steps; a run whose weights stop being finite is frozen
// with the step it happened at, and the view says so.
import { symmetricEigenvalues } from '../math/spectrum';
import { Rng } from '../math/random';
import { allFinite, matMulABt, symmetricEigen, symmetricPart } from './linalg';
import {
  LOSS_KINDS,
  initParams,
  sampleBatch,
  sgdStep,
  type LossKind,
  type NcConfig,
  type Params,
} from './model';
import type { OdeModes } from './ode';

/** A mode of W Wᵀ counts as collapsed below this eigenvalue (the variance of the representation
 * along it, with x ~ N(0, I): 10⁻⁴ is a standard deviation 1% of the input's). */
export const COLLAPSE_THRESHOLD = 1e-4;

/** At most this many recorded points per trajectory (the plots and exports stay small). */
export const MAX_RECORDS = 400;

/** Probe inputs whose representations the 2-D projections show. */
export const PROBE_POINTS = 300;

export interface SpectrumRecord {
  step: number;
  /** Eigenvalues of W Wᵀ, descending. */
  eigW: number[];
  /** Eigenvalues of the predictor's symmetric part (W_p + W_pᵀ)/2, descending. */
  eigP: number[];
  loss: number;
}

export interface LossRun {
  kind: LossKind;
  params: Params;
  records: SpectrumRecord[];
  /** The step at which the weights became non-finite (training stops there), or null. */
  divergedAt: number | null;
  lastLoss: number;
}

export interface Projection {
  /** PROBE_POINTS × 2 coordinates on the top two principal axes of the representations W x. */
  coords: Float64Array;
  /** Variance along those two axes. */
  variances: [number, number];
}

/** Training steps between recorded points, so that a run of `steps` gives ≤ MAX_RECORDS records. */
export function recordEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / MAX_RECORDS));
}

function recordOf(step: number, p: Params, cfg: NcConfig, loss: number): SpectrumRecord {
  const f = matMulABt(p.w, p.w, cfg.dOut, cfg.dIn, cfg.dOut);
  return {
    step,
    eigW: Array.from(symmetricEigenvalues(f, cfg.dOut)),
    eigP: Array.from(symmetricEigenvalues(symmetricPart(p.wp, cfg.dOut), cfg.dOut)),
    loss,
  };
}

export class PairedTrainer {
  readonly cfg: NcConfig;
  readonly runs: Record<LossKind, LossRun>;
  /** The ODE's initial modes, from W(0) and W_p(0) (see ode.ts for the mapping). */
  readonly initialModes: OdeModes;
  step = 0;
  private readonly data: Rng;
  private readonly probe: Float64Array;
  readonly every: number;

  constructor(cfg: NcConfig) {
    this.cfg = cfg;
    this.every = recordEvery(cfg.steps);
    const init = initParams(cfg);
    this.data = new Rng(cfg.seed, 1);
    const probeRng = new Rng(cfg.seed, 2);
    this.probe = new Float64Array(PROBE_POINTS * cfg.dIn);
    probeRng.fillNormal(this.probe);
    const make = (kind: LossKind): LossRun => {
      const params: Params = {
        w: Float64Array.from(init.w),
        wp: Float64Array.from(init.wp),
        wa: Float64Array.from(init.wa),
      };
      return { kind, params, records: [recordOf(0, params, cfg, NaN)], divergedAt: null, lastLoss: NaN };
    };
    this.runs = { euclidean: make('euclidean'), cosine: make('cosine') };
    const f = matMulABt(init.w, init.w, cfg.dOut, cfg.dIn, cfg.dOut);
    const eig = symmetricEigen(f, cfg.dOut);
    const d = cfg.dOut;
    const p: number[] = [];
    for (let j = 0; j < d; j++) {
      // p_j(0) = u_jᵀ W_p u_j on the eigenvector u_j of W Wᵀ.
      let q = 0;
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) q += eig.vectors[j * d + a] * init.wp[a * d + b] * eig.vectors[j * d + b];
      p.push(q);
    }
    this.initialModes = { s: Array.from(eig.values, (v) => Math.max(v, 0)), p };
  }

  get done(): boolean {
    return this.step >= this.cfg.steps;
  }

  /** Advance both runs by up to `n` steps (not past cfg.steps); returns the steps taken. */
  advance(n: number): number {
    const cfg = this.cfg;
    let taken = 0;
    while (taken < n && this.step < cfg.steps) {
      const batch = sampleBatch(this.data, cfg.batch, cfg.dIn, cfg.sigma);
      this.step++;
      taken++;
      for (const kind of LOSS_KINDS) {
        const run = this.runs[kind];
        if (run.divergedAt !== null) continue;
        run.lastLoss = sgdStep(kind, run.params, batch, cfg);
        if (!allFinite(run.params.w) || !allFinite(run.params.wp) || !Number.isFinite(run.lastLoss)) {
          run.divergedAt = this.step;
          continue;
        }
        if (this.step % this.every === 0 || this.step === cfg.steps) {
          const rec = recordOf(this.step, run.params, cfg, run.lastLoss);
          // Finite weights can still overflow W Wᵀ: that is divergence too, not data.
          if (rec.eigW.every(Number.isFinite) && rec.eigP.every(Number.isFinite)) run.records.push(rec);
          else run.divergedAt = this.step;
        }
      }
    }
    return taken;
  }

  /** The probe inputs' representations W x of one run, on their own top two principal axes. */
  projection(kind: LossKind): Projection {
    const { dIn, dOut } = this.cfg;
    const z = matMulABt(this.probe, this.runs[kind].params.w, PROBE_POINTS, dIn, dOut);
    const mean = new Float64Array(dOut);
    for (let i = 0; i < PROBE_POINTS; i++)
      for (let j = 0; j < dOut; j++) mean[j] += z[i * dOut + j] / PROBE_POINTS;
    for (let i = 0; i < PROBE_POINTS; i++) for (let j = 0; j < dOut; j++) z[i * dOut + j] -= mean[j];
    const cov = new Float64Array(dOut * dOut);
    for (let i = 0; i < PROBE_POINTS; i++)
      for (let a = 0; a < dOut; a++) {
        const za = z[i * dOut + a];
        for (let b = 0; b < dOut; b++) cov[a * dOut + b] += (za * z[i * dOut + b]) / PROBE_POINTS;
      }
    const eig = symmetricEigen(cov, dOut);
    const coords = new Float64Array(PROBE_POINTS * 2);
    for (let c = 0; c < Math.min(2, dOut); c++) {
      // Fix each axis's sign (its largest component positive) so the cloud does not flip between frames.
      let big = 0;
      for (let a = 0; a < dOut; a++)
        if (Math.abs(eig.vectors[c * dOut + a]) > Math.abs(big)) big = eig.vectors[c * dOut + a];
      const sign = big < 0 ? -1 : 1;
      for (let i = 0; i < PROBE_POINTS; i++) {
        let s = 0;
        for (let a = 0; a < dOut; a++) s += z[i * dOut + a] * eig.vectors[c * dOut + a];
        coords[i * 2 + c] = sign * s;
      }
    }
    return { coords, variances: [Math.max(0, eig.values[0] ?? 0), Math.max(0, eig.values[1] ?? 0)] };
  }
}

/** Modes of the last record at or above the collapse threshold. */
export function aliveModes(eigW: readonly number[]): number {
  return eigW.filter((v) => v >= COLLAPSE_THRESHOLD).length;
}
