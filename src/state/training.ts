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
import {
  NORM_LABELS,
  NORM_VALUES,
  RESIDUAL_LABELS,
  RESIDUAL_VALUES,
  VARIANT_LABELS,
  VARIANT_VALUES,
  type PropOf,
} from './schema';

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
  /** Model. */
  tDepth: number;
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
  /** Gradient view: depth of the three stacks and their normalization. */
  tgDepth: number;
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
  tDepth: 16,
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
  tgDepth: 64,
  tgNorm: 'none',
  tswNorms: 'none,pairnorm,layernorm,contranorm',
  tswSeeds: 3,
  tsw64: false,
  tPreset: '',
};

export const TRAINING_PROPS: readonly PropOf<TrainingState>[] = [
  {
    name: 'tPane',
    key: 'tp',
    label: 'Training view part',
    type: 'enum',
    values: TRAINING_PANES,
    labels: TRAINING_PANE_LABELS,
  },
  { name: 'tData', key: 'tdata', label: 'Data set', type: 'string', pattern: /^[^\n]{1,160}$/ },
  {
    name: 'tN',
    key: 'tN',
    label: 'Nodes n',
    type: 'number',
    min: 20,
    max: 5000,
    step: 10,
    integer: true,
    log: true,
    continuous: true,
  },
  { name: 'tClasses', key: 'tk', label: 'Classes', type: 'number', min: 2, max: 8, step: 1, integer: true },
  {
    name: 'tDegree',
    key: 'tdeg',
    label: 'Average degree',
    type: 'number',
    min: 1,
    max: 30,
    step: 0.5,
    continuous: true,
  },
  {
    name: 'tHomophily',
    key: 'th',
    label: 'Homophily',
    type: 'number',
    min: 0,
    max: 1,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tFeatureDim',
    key: 'tfd',
    label: 'Input features',
    type: 'number',
    min: 2,
    max: 256,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'tSeparation',
    key: 'tsep',
    label: 'Class separation',
    type: 'number',
    min: 0,
    max: 10,
    step: 0.1,
    continuous: true,
  },
  {
    name: 'tDataSeed',
    key: 'tds',
    label: 'Data seed',
    type: 'number',
    min: 0,
    max: 99999,
    step: 1,
    integer: true,
  },
  {
    name: 'tDepth',
    key: 'tL',
    label: 'Layers L',
    type: 'number',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'tHidden',
    key: 'thid',
    label: 'Hidden width',
    type: 'number',
    min: 2,
    max: 256,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'tNorm',
    key: 'tn',
    label: 'Normalization',
    type: 'enum',
    values: NORM_VALUES,
    labels: NORM_LABELS,
  },
  {
    name: 'tS',
    key: 'ts',
    label: 'ContraNorm s',
    type: 'number',
    min: 0,
    max: 3,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tTau',
    key: 'ttau',
    label: 'ContraNorm τ',
    type: 'number',
    min: 0.01,
    max: 10,
    step: 0.01,
    log: true,
    continuous: true,
  },
  {
    name: 'tVariant',
    key: 'tvar',
    label: 'ContraNorm form',
    type: 'enum',
    values: VARIANT_VALUES,
    labels: VARIANT_LABELS,
  },
  {
    name: 'tResidual',
    key: 'tres',
    label: 'Residual',
    type: 'enum',
    values: RESIDUAL_VALUES,
    labels: RESIDUAL_LABELS,
  },
  {
    name: 'tAlpha',
    key: 'ta',
    label: 'Residual α',
    type: 'number',
    min: 0,
    max: 2,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tGain',
    key: 'tg',
    label: 'Weight gain g',
    type: 'number',
    min: 0.1,
    max: 4,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tDropout',
    key: 'tdo',
    label: 'Dropout',
    type: 'number',
    min: 0,
    max: 0.9,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tLr',
    key: 'tlr',
    label: 'Learning rate (Adam)',
    type: 'number',
    min: 0.0001,
    max: 0.5,
    step: 0.0001,
    log: true,
    continuous: true,
  },
  {
    name: 'tWd',
    key: 'twd',
    label: 'Weight decay',
    type: 'number',
    min: 0,
    max: 0.01,
    step: 0.0001,
    continuous: true,
  },
  {
    name: 'tEpochs',
    key: 'tep',
    label: 'Epochs',
    type: 'number',
    min: 1,
    max: 1000,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'tSeed',
    key: 'tseed',
    label: 'Seed (weights, dropout, split)',
    type: 'number',
    min: 0,
    max: 99999,
    step: 1,
    integer: true,
  },
  {
    name: 'tgDepth',
    key: 'tgL',
    label: 'Depth of the stacks',
    type: 'number',
    min: 1,
    max: 256,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'tgNorm',
    key: 'tgn',
    label: 'Normalization in the stacks',
    type: 'enum',
    values: NORM_VALUES,
    labels: NORM_LABELS,
  },
  {
    name: 'tswNorms',
    key: 'tswn',
    label: 'Sweep normalizations',
    type: 'string',
    pattern:
      /^(?:(?:none|layernorm|batchnorm|pairnorm|contranorm)(?:,(?:none|layernorm|batchnorm|pairnorm|contranorm))*)?$/,
  },
  {
    name: 'tswSeeds',
    key: 'tsws',
    label: 'Seeds per point',
    type: 'number',
    min: 1,
    max: 10,
    step: 1,
    integer: true,
  },
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
