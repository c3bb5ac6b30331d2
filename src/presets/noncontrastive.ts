// The view's two presets, found by experiment (tests/noncontrastive/regimes.test.ts checks both).
// Both use σ = 0.5, so Tian et al.'s boundary 4η(1+σ²) = 1 sits at η = 0.2.
import { NONCONTRASTIVE_DEFAULTS, type NonContrastiveState } from '../state/noncontrastive';

export interface NcPreset {
  id: string;
  title: string;
  /** What the reader should see, in a sentence or two. */
  explanation: string;
  settings: Partial<NonContrastiveState>;
}

export const NC_PRESETS: readonly NcPreset[] = [
  {
    id: 'nc-strong-decay',
    title: 'Strong weight decay: Euclidean collapses, cosine survives',
    explanation:
      'η = 0.3, σ = 0.5: 4η(1+σ²) = 1.5 > 1, past Tian et al.’s boundary. With the Euclidean loss every ' +
      'eigenvalue of W Wᵀ decays to zero (the ODE predicts it, mode by mode); with the cosine loss the ' +
      'same weights, data and decay keep every mode alive.',
    settings: { ...NONCONTRASTIVE_DEFAULTS, ncEta: 0.3, ncSigma: 0.5 },
  },
  {
    id: 'nc-weak-decay',
    title: 'Weak weight decay: both survive',
    explanation:
      'η = 0.05, σ = 0.5: 4η(1+σ²) = 0.25 < 1. The Euclidean loss settles on the ODE’s stable equilibrium ' +
      'p* = [1 + √(1 − 4η(1+σ²))] / (2(1+σ²)) ≈ 0.75, s* = p*²/α_p ≈ 0.56; the cosine loss survives too.',
    settings: { ...NONCONTRASTIVE_DEFAULTS, ncEta: 0.05, ncSigma: 0.5 },
  },
];

export function ncPresetById(id: string): NcPreset | undefined {
  return NC_PRESETS.find((p) => p.id === id);
}

/** The preset whose settings the state has now, if any (a moved slider makes it "custom"). */
export function matchingPreset(state: NonContrastiveState): NcPreset | undefined {
  return NC_PRESETS.find((p) =>
    (Object.keys(p.settings) as (keyof NonContrastiveState)[]).every((k) => p.settings[k] === state[k]),
  );
}
