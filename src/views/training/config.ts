// From the view's URL state (src/training/state.ts) to the trainer's configurations: the one
// model of the training panel, the three stacks of the gradient view, the runs of the sweep.
import type { DatasetSpec, NormKind, Residual } from '../../engine/types';
import { BUILTIN_CSBM, sweepNorms, type TrainingState } from '../../state/training';
import type { TrainConfig } from '../../training/types';

export function datasetSpec(s: TrainingState): DatasetSpec {
  if (s.tData !== BUILTIN_CSBM) return { kind: 'loaded', id: s.tData };
  return {
    kind: 'csbm',
    n: s.tN,
    classes: s.tClasses,
    avgDegree: s.tDegree,
    homophily: s.tHomophily,
    featureDim: s.tFeatureDim,
    separation: s.tSeparation,
    seed: s.tDataSeed,
  };
}

/** The model of the training panel. */
export function trainConfig(s: TrainingState): TrainConfig {
  return {
    dataset: datasetSpec(s),
    depth: s.tDepth,
    hidden: s.tHidden,
    adjacency: 'rw',
    norm: { kind: s.tNorm, s: s.tS, tau: s.tTau, variant: s.tVariant, pairnormScale: 1 },
    activation: 'relu',
    residual: s.tResidual,
    alpha: s.tAlpha,
    dropout: s.tDropout,
    lr: s.tLr,
    weightDecay: s.tWd,
    epochs: s.tEpochs,
    seed: s.tSeed,
    weights: { init: 'gaussian', gain: s.tGain },
    featureNorm: 'l1',
  };
}

export type StackId = 'plain' | 'residual' | 'lipschitz';
export const STACKS: readonly { id: StackId; residual: Residual; title: string; short: string }[] = [
  { id: 'plain', residual: 'none', title: 'Plain GCN', short: 'plain' },
  { id: 'residual', residual: 'residual', title: 'Residual GCN  (H + α·Z)', short: 'residual' },
  {
    id: 'lipschitz',
    residual: 'lipschitz',
    title: 'Lipschitz-bounded residual',
    short: 'Lipschitz-bounded',
  },
];

/**
 * The gradient view's three stacks: the training panel's model at the gradient view's depth and
 * normalization, differing only in the residual. Dropout is off so that the statistics describe
 * the network, not one random mask.
 */
export function gradientConfigs(s: TrainingState): TrainConfig[] {
  const base = trainConfig(s);
  return STACKS.map((st) => ({
    ...base,
    depth: s.tgDepth,
    norm: { ...base.norm, kind: s.tgNorm },
    residual: st.residual,
    dropout: 0,
  }));
}

export const SWEEP_DEPTHS = [2, 4, 8, 16, 32] as const;

export interface SweepRunSpec {
  norm: NormKind;
  depth: number;
  seed: number;
  config: TrainConfig;
}

/** Every run of the depth sweep, shallow first so that the plot fills from the left. */
export function sweepRuns(s: TrainingState): SweepRunSpec[] {
  const base = trainConfig(s);
  const depths: number[] = [...SWEEP_DEPTHS, ...(s.tsw64 ? [64] : [])];
  const out: SweepRunSpec[] = [];
  for (const depth of depths)
    for (const norm of sweepNorms(s.tswNorms))
      for (let k = 0; k < s.tswSeeds; k++) {
        const seed = s.tSeed + k;
        out.push({ norm, depth, seed, config: { ...base, depth, seed, norm: { ...base.norm, kind: norm } } });
      }
  return out;
}
