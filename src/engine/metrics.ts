// The finishing formulas of SPEC §2, shared by both engines. Each engine reduces a layer
// H (N×d) to a few sums (on the GPU: in float32, in shaders; in the reference: in float64)
// and hands them to `finishMetrics`, which does the rest in float64. So the two engines
// differ only in how the sums were accumulated, never in the formulas.

import type { LayerMetrics } from './types';
import { effectiveRank, singularValuesFromGram } from '../math/spectrum';

/** Float32 features resolve singular values down to about this fraction of σ₁ (SPEC §2). */
export const FEATURE_FLOOR = 1e-6;
/**
 * Through the GPU's float32 metric reductions, singular values below this fraction of σ₁ are
 * noise. Measured, not assumed: on exact-rank inputs (N×16 made of 4 distinct float32 rows for
 * N = 4 … 100,000, and 10–20 distinct rows at d = 64 and 130, centred and not, both Gram kernels)
 * every σ_k/σ₁ that is 0 in float64 came out ≤ 2.6e-6 (tests/engine/gramAccuracy.test.ts, which
 * holds it under this constant). 1e-5 leaves a margin of ~4. SPEC §2's 3e-4 was the floor of the
 * former plain float32 sums (measured up to 1.2e-3); the Gram is now summed as a float-float pair
 * (gram.wgsl). The float32 forward pass adds noise of its own.
 */
export const GRAM_FLOOR = 1e-5;

/** The noise floor under which singular values are not data: σ₁·GRAM_FLOOR through a float32 Gram, else σ₁·FEATURE_FLOOR. */
export function float32Floor(sigma1: number, throughGram = true): number {
  return sigma1 * (throughGram ? GRAM_FLOOR : FEATURE_FLOOR);
}

/** Row normalization of SPEC: rn(h) = h / max(‖h‖, 1e-12). */
export const ROW_NORM_EPS = 1e-12;

/** Everything `finishMetrics` needs about one layer H (N×d). */
export interface LayerSums {
  n: number;
  d: number;
  /**
   * Gram matrix for the spectrum, row-major and square: HᵀH (d×d), or HHᵀ (N×N; the
   * same nonzero eigenvalues, cheaper when N < d). Of the column-centered H when the
   * centered spectrum is asked for, computed from the centered rows (not by a rank-one
   * correction, which cancels exactly where rows have nearly collapsed).
   */
  gram: Float64Array;
  /** Σ_i H_i (length d). */
  colSum: Float64Array;
  /** Σ_i rn(H_i) (length d). */
  unitColSum: Float64Array;
  /** Σ_i ‖rn(H_i)‖²: the number of nonzero rows (a row shorter than 1e-12 counts less than 1). */
  unitRowCount: number;
  /** ‖H‖_F². */
  sumSq: number;
  /** Σ_i ‖H_i − γ‖², γ = colSum/N, computed with γ known (two passes), never as sumSq − N‖γ‖². */
  centeredSumSq: number;
  /** Σ_i Σ_{j∈N(i)} ‖H_i − H_j‖² over the graph without self loops (each edge counted twice); null without a graph. */
  dirichletSum: number | null;
  /** For the attention map P (N×N, rows sum to 1) that produced H; null for layer 0 and GNNs. */
  attention: null | {
    /** c_j = Σ_i P_ij / ‖P_i‖ (length N). */
    unitColSum: Float64Array;
    /** Σ_i ‖P_i/‖P_i‖‖²: N when every row is nonzero. */
    unitRowCount: number;
  };
}

/**
 * Mean cosine over the distinct ordered pairs i ≠ j of unit rows u_i, from their sum:
 * Σ_{i≠j} ⟨u_i, u_j⟩ = ‖Σ u_i‖² − Σ ‖u_i‖². Same value as the mean over pairs i < j.
 * A zero row has u_i = 0, so it enters every one of its pairs with cosine 0. NaN for N < 2.
 */
export function meanPairCosine(unitColSum: Float64Array, unitRowCount: number, n: number): number {
  if (n < 2) return NaN;
  let sq = 0;
  for (let j = 0; j < unitColSum.length; j++) sq += unitColSum[j] * unitColSum[j];
  return (sq - unitRowCount) / (n * (n - 1));
}

/**
 * Consensus distance μ = ‖H − 1γᵀ‖_F / ‖H‖_F from the two sums.
 * Convention: μ = 0 for H = 0 (0/0): the zero matrix has all rows equal, i.e. consensus.
 * NaN or ±Inf sums give NaN.
 */
export function consensusDistance(centeredSumSq: number, sumSq: number): number {
  if (!Number.isFinite(centeredSumSq) || !Number.isFinite(sumSq)) return NaN;
  if (sumSq === 0) return 0;
  return Math.sqrt(Math.max(centeredSumSq, 0)) / Math.sqrt(sumSq);
}

/**
 * All metrics of SPEC §2 for one layer, in float64.
 * `centeredSpectrum` says which Gram `s.gram` holds (the engine centers before reducing);
 * either way min(N, d) singular values are reported, as the types promise.
 */
export function finishMetrics(
  s: LayerSums,
  centeredSpectrum: boolean,
  /** Another way to the same singular values (the fast engine's eigensolver in WebAssembly). */
  singularValuesOf: typeof singularValuesFromGram = singularValuesFromGram,
): LayerMetrics {
  void centeredSpectrum; // the count and the formulas are the same for both spectra
  const side = Math.round(Math.sqrt(s.gram.length));
  if (side * side !== s.gram.length)
    throw new Error(`finishMetrics: the Gram matrix is not square (${s.gram.length} entries)`);
  const count = Math.min(s.n, s.d);
  const singularValues = singularValuesOf(s.gram, side, count);
  return {
    singularValues,
    effectiveRank: effectiveRank(singularValues),
    meanCosine: meanPairCosine(s.unitColSum, s.unitRowCount, s.n),
    mu: consensusDistance(s.centeredSumSq, s.sumSq),
    dirichlet: s.dirichletSum === null ? null : s.dirichletSum / s.n,
    attentionSimilarity:
      s.attention === null ? null : meanPairCosine(s.attention.unitColSum, s.attention.unitRowCount, s.n),
    frobenius: Math.sqrt(s.sumSq),
  };
}
