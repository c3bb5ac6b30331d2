// ContraNorm's coefficients (SPEC §1.3), derived from s, τ and the form in this one place for the
// reference, fast and GPU engines and both trainers, so that every implementation scales the
// same terms by the same (bit-identical) numbers.

/**
 * ContraNorm forms (SPEC §1.3):
 * - `code`:     Z' = Z − s·S Z, S = softmax(rn(Z) rn(Z)ᵀ/τ)   (the app's default)
 * - `identity`: Z' = (1+s)·Z − s·S Z                          (authors' GNN and BERT code)
 * - `mask`:     as `code`, with neighbours and self removed from the softmax (authors' GNN code)
 * - `paper`:    Z' = Z − (s/τ)·softmax(Z Zᵀ) Z on the unnormalized Z (the printed equation)
 * All are followed by a LayerNorm without affine.
 */
export type ContraNormVariant = 'code' | 'identity' | 'mask' | 'paper';

/** The settings the coefficients depend on (a NormConfig has them). */
export interface ContraNormSettings {
  /** Strength s (≥ 0). */
  s: number;
  /** Temperature τ (> 0). */
  tau: number;
  variant: ContraNormVariant;
}

/** Z' = keep·Z − pull·S Z, S = softmax(scoreScale · u uᵀ). */
export interface ContraNormCoefficients {
  /** The printed form: scores of the raw Z (u = Z) instead of rn(Z). */
  paper: boolean;
  /** The factor of the scores u_i·u_j: 1/τ, or 1 for `paper`. */
  scoreScale: number;
  /** The factor in front of S Z: s, or s/τ for `paper`. */
  pull: number;
  /** The factor in front of Z: 1, or 1+s for `identity`. */
  keep: number;
}

export function contraNormCoefficients(norm: ContraNormSettings): ContraNormCoefficients {
  const paper = norm.variant === 'paper';
  return {
    paper,
    scoreScale: paper ? 1 : 1 / norm.tau,
    pull: paper ? norm.s / norm.tau : norm.s,
    keep: norm.variant === 'identity' ? 1 + norm.s : 1,
  };
}
