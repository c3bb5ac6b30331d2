// URL-backed state of the SimSiam / BYOL view. Its properties join the one property
// table in src/state/page.ts, so links reproduce this view too. Keys start with "nc". No
// preset id is stored: a preset is its settings, and the view names the one they match.
import type { PropOf } from './schema';
import type { NcConfig, PredictorInit, TargetKind } from '../noncontrastive/model';

export interface NonContrastiveState {
  ncEta: number;
  ncSigma: number;
  ncAlphaP: number;
  ncLr: number;
  ncTarget: TargetKind;
  ncBeta: number;
  ncInit: number;
  ncPredInit: PredictorInit;
  ncSymPred: boolean;
  ncDIn: number;
  ncDOut: number;
  ncBatch: number;
  ncSeed: number;
  ncSteps: number;
}

/** The defaults are the "strong weight decay" preset: the two losses part ways at once. */
export const NONCONTRASTIVE_DEFAULTS: NonContrastiveState = {
  ncEta: 0.3,
  ncSigma: 0.5,
  ncAlphaP: 1,
  ncLr: 0.05,
  ncTarget: 'simsiam',
  ncBeta: 0.99,
  ncInit: 1,
  ncPredInit: 'identity',
  ncSymPred: true,
  ncDIn: 16,
  ncDOut: 8,
  ncBatch: 256,
  ncSeed: 1,
  ncSteps: 2000,
};

export const NONCONTRASTIVE_PROPS: readonly PropOf<NonContrastiveState>[] = [
  {
    name: 'ncEta',
    key: 'ncEta',
    label: 'Weight decay η',
    type: 'number',
    min: 0,
    max: 1,
    step: 0.005,
    continuous: true,
  },
  {
    name: 'ncSigma',
    key: 'ncSig',
    label: 'Augmentation σ',
    type: 'number',
    min: 0,
    max: 2,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'ncAlphaP',
    key: 'ncAp',
    label: 'Predictor lr ratio α_p',
    type: 'number',
    min: 0.1,
    max: 10,
    step: 0.01,
    log: true,
    continuous: true,
  },
  {
    name: 'ncLr',
    key: 'ncLr',
    label: 'Learning rate',
    type: 'number',
    min: 0.001,
    max: 1,
    step: 0.001,
    log: true,
    continuous: true,
  },
  {
    name: 'ncTarget',
    key: 'ncTgt',
    label: 'Target network',
    type: 'enum',
    values: ['simsiam', 'byol'],
    labels: ['SimSiam: W_a = W', 'BYOL: W_a = EMA of W'],
  },
  {
    name: 'ncBeta',
    key: 'ncBeta',
    label: 'EMA rate β (BYOL)',
    type: 'number',
    min: 0,
    max: 0.999,
    step: 0.001,
    continuous: true,
  },
  {
    name: 'ncInit',
    key: 'ncInit',
    label: 'Init scale',
    type: 'number',
    min: 0.1,
    max: 3,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'ncPredInit',
    key: 'ncPi',
    label: 'Predictor init',
    type: 'enum',
    values: ['identity', 'random'],
    labels: ['W_p = I', 'random N(0, scale²/d_out)'],
  },
  { name: 'ncSymPred', key: 'ncSym', label: 'Symmetric predictor (ODE assumption)', type: 'bool' },
  {
    name: 'ncDIn',
    key: 'ncDi',
    label: 'Input dim d_in',
    type: 'number',
    min: 2,
    max: 64,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'ncDOut',
    key: 'ncDo',
    label: 'Output dim d_out',
    type: 'number',
    min: 1,
    max: 64,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'ncBatch',
    key: 'ncB',
    label: 'Batch size',
    type: 'number',
    min: 8,
    max: 1024,
    step: 1,
    integer: true,
    log: true,
    continuous: true,
  },
  {
    name: 'ncSeed',
    key: 'ncSeed',
    label: 'Seed',
    type: 'number',
    min: 0,
    max: 99999,
    step: 1,
    integer: true,
  },
  {
    name: 'ncSteps',
    key: 'ncT',
    label: 'Training steps',
    type: 'number',
    min: 100,
    max: 20000,
    step: 100,
    integer: true,
    log: true,
    continuous: true,
  },
];

/** The simulation's configuration from the URL-backed state. */
export function ncConfigOf(s: NonContrastiveState): NcConfig {
  return {
    dIn: s.ncDIn,
    dOut: s.ncDOut,
    batch: s.ncBatch,
    sigma: s.ncSigma,
    eta: s.ncEta,
    alphaP: s.ncAlphaP,
    lr: s.ncLr,
    target: s.ncTarget,
    beta: s.ncBeta,
    initScale: s.ncInit,
    predictorInit: s.ncPredInit,
    symmetricPredictor: s.ncSymPred,
    seed: s.ncSeed,
    steps: s.ncSteps,
  };
}
