// URL-backed state of the gradients-and-training view, and the trainer's configurations made from
// it. Its properties join the page's one table (state/page.ts), so links reproduce this view
// too. Every URL key starts with `t` so that it never collides with the lecture's keys.
//
// Training defaults follow the ContraNorm authors' GCN code: hidden 32, Adam lr 0.005, weight
// decay 5e-4, dropout 0.6, 200 epochs, random-walk Â, L1-normalized features, ReLU, and for
// ContraNorm (which ends in a LayerNorm, SPEC §1.3) τ = 1. The model is 16 layers without
// normalization, the case the view is there to show: on the default graph it reaches 28–65 %
// test accuracy (seeds 0–1) where 2 layers reach 90 % and ContraNorm at 16 layers 97 %; it
// trains in seconds, ContraNorm at 16 layers in minutes on the CPU trainer.
import type { ContraNormVariant, DatasetSpec, NormKind, Residual } from '../engine/types';
import type { TrainConfig } from '../training/types';
import { defineEnum, defineNumber, defineShared, NORM_VALUES, type PropOf } from './schema';

/** Which part of the view is shown. */
export type TrainingPane = 'gradients' | 'train' | 'sweep';
export const TRAINING_PANES: readonly TrainingPane[] = ['gradients', 'train', 'sweep'];
export const TRAINING_PANE_LABELS = ['Gradients at initialization', 'Train a GCN', 'Depth sweep'] as const;

/** The built-in data set of this view; any other value is the id of a loaded (registered) data set. */
export const BUILTIN_CSBM = 'csbm';

export interface TrainingState {
  tPane: TrainingPane;
  /** 'csbm', or the id of a loaded data set with labels. */
  tData: string;
  /** Contextual SBM of this view (small by default: the CPU trainer is float64 and single-threaded). */
  tN: number;
  tClasses: number;
  tDegree: number;
  tHomophily: number;
  tFeatureDim: number;
  tSeparation: number;
  tDataSeed: number;
  /** Model: tLayers is L, the number of layers (the trainer's config's `layers`). */
  tLayers: number;
  tHidden: number;
  tNorm: NormKind;
  tS: number;
  tTau: number;
  tVariant: ContraNormVariant;
  tResidual: Residual;
  tAlpha: number;
  tGain: number;
  /** Optimization. */
  tDropout: number;
  tLr: number;
  tWd: number;
  tEpochs: number;
  tSeed: number;
  /** Gradient view: layers L of the three stacks and their normalization. */
  tgLayers: number;
  tgNorm: NormKind;
  /** Depth sweep: normalizations (comma-separated NormKinds), seeds per point, whether to add depth 64. */
  tswNorms: string;
  tswSeeds: number;
  tsw64: boolean;
  /** Id of the training preset last loaded ('' for none). */
  tPreset: string;
}

export const TRAINING_DEFAULTS: TrainingState = {
  tPane: 'gradients',
  tData: BUILTIN_CSBM,
  tN: 200,
  tClasses: 3,
  tDegree: 6,
  tHomophily: 0.8,
  tFeatureDim: 16,
  tSeparation: 1,
  tDataSeed: 1,
  tLayers: 16,
  tHidden: 32,
  tNorm: 'none',
  tS: 1,
  tTau: 1,
  tVariant: 'code',
  tResidual: 'none',
  tAlpha: 1,
  tGain: 1,
  tDropout: 0.6,
  tLr: 0.005,
  tWd: 5e-4,
  tEpochs: 200,
  tSeed: 0,
  tgLayers: 64,
  tgNorm: 'none',
  tswNorms: 'none,pairnorm,layernorm,contranorm',
  tswSeeds: 3,
  tsw64: false,
  tPreset: '',
};

export const TRAINING_PROPS: readonly PropOf<TrainingState>[] = [
  defineEnum('tPane', 'tp', 'Training view part', TRAINING_PANES, TRAINING_PANE_LABELS),
  { name: 'tData', key: 'tdata', label: 'Data set', type: 'string', pattern: /^[^\n]{1,160}$/ },
  defineNumber('tN', 'tN', 'Nodes n', [20, 5000, 10], { integer: true, log: true, continuous: true }),
  { name: 'tClasses', key: 'tk', label: 'Classes', type: 'number', min: 2, max: 8, step: 1, integer: true },
  defineNumber('tDegree', 'tdeg', 'Average degree', [1, 30, 0.5], { continuous: true }),
  defineNumber('tHomophily', 'th', 'Homophily', [0, 1, 0.05], { continuous: true }),
  defineNumber('tFeatureDim', 'tfd', 'Input features', [2, 256, 1], { integer: true, continuous: true }),
  defineNumber('tSeparation', 'tsep', 'Class separation', [0, 10, 0.1], { continuous: true }),
  defineNumber('tDataSeed', 'tds', 'Data seed', [0, 99999, 1], { integer: true }),
  defineNumber('tLayers', 'tL', 'Layers L', [1, 64, 1], { integer: true, continuous: true }),
  defineNumber('tHidden', 'thid', 'Hidden width', [2, 256, 1], { integer: true, continuous: true }),
  defineShared('norm', 'tNorm', 'tn'),
  defineShared('s', 'tS', 'ts'),
  defineShared('tau', 'tTau', 'ttau'),
  defineShared('variant', 'tVariant', 'tvar'),
  defineShared('residual', 'tResidual', 'tres'),
  defineShared('alpha', 'tAlpha', 'ta'),
  defineShared('gain', 'tGain', 'tg'),
  defineNumber('tDropout', 'tdo', 'Dropout', [0, 0.9, 0.05], { continuous: true }),
  defineNumber('tLr', 'tlr', 'Learning rate (Adam)', [0.0001, 0.5, 0.0001], { log: true, continuous: true }),
  defineNumber('tWd', 'twd', 'Weight decay', [0, 0.01, 0.0001], { continuous: true }),
  defineNumber('tEpochs', 'tep', 'Epochs', [1, 1000, 1], { integer: true, continuous: true }),
  defineNumber('tSeed', 'tseed', 'Seed (weights, dropout, split)', [0, 99999, 1], { integer: true }),
  defineNumber('tgLayers', 'tgL', 'Depth of the stacks', [1, 256, 1], { integer: true, continuous: true }),
  defineShared('norm', 'tgNorm', 'tgn', 'Normalization in the stacks'),
  {
    name: 'tswNorms',
    key: 'tswn',
    label: 'Sweep normalizations',
    type: 'string',
    pattern:
      /^(?:(?:none|layernorm|batchnorm|pairnorm|contranorm)(?:,(?:none|layernorm|batchnorm|pairnorm|contranorm))*)?$/,
  },
  defineNumber('tswSeeds', 'tsws', 'Seeds per point', [1, 10, 1], { integer: true }),
  { name: 'tsw64', key: 'tsw64', label: 'Add depth 64', type: 'bool' },
  { name: 'tPreset', key: 'tpre', label: 'Training preset', type: 'string', pattern: /^[a-z0-9-]{0,40}$/ },
];

/** The sweep's normalizations, parsed from the URL string (unknown names dropped, order kept). */
export function sweepNorms(text: string): NormKind[] {
  return text
    .split(',')
    .filter((v): v is NormKind => (NORM_VALUES as readonly string[]).includes(v))
    .filter((v, i, a) => a.indexOf(v) === i);
}

/** The data set of the view: its contextual SBM, or a loaded set with labels. */
export function trainingDatasetSpec(s: TrainingState): DatasetSpec {
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
    dataset: trainingDatasetSpec(s),
    layers: s.tLayers,
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
  return STACKS.map((st): TrainConfig => ({
    ...base,
    layers: s.tgLayers,
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
        out.push({
          norm,
          depth,
          seed,
          config: { ...base, layers: depth, seed, norm: { ...base.norm, kind: norm } },
        });
      }
  return out;
}
