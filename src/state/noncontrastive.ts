// URL-backed state of the SimSiam / BYOL view. Its properties join the one property
// table in src/state/page.ts, so links reproduce this view too. Keys start with "nc". No
// preset id is stored: a preset is its settings, and the view names the one they match.
import { defineEnum, defineNumber, type PropOf } from './schema';
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
  defineNumber('ncEta', 'ncEta', 'Weight decay η', [0, 1, 0.005], { continuous: true }),
  defineNumber('ncSigma', 'ncSig', 'Augmentation σ', [0, 2, 0.05], { continuous: true }),
  defineNumber('ncAlphaP', 'ncAp', 'Predictor lr ratio α_p', [0.1, 10, 0.01], {
    log: true,
    continuous: true,
  }),
  defineNumber('ncLr', 'ncLr', 'Learning rate', [0.001, 1, 0.001], { log: true, continuous: true }),
  defineEnum(
    'ncTarget',
    'ncTgt',
    'Target network',
    ['simsiam', 'byol'],
    ['SimSiam: W_a = W', 'BYOL: W_a = EMA of W'],
  ),
  defineNumber('ncBeta', 'ncBeta', 'EMA rate β (BYOL)', [0, 0.999, 0.001], { continuous: true }),
  defineNumber('ncInit', 'ncInit', 'Init scale', [0.1, 3, 0.05], { continuous: true }),
  defineEnum(
    'ncPredInit',
    'ncPi',
    'Predictor init',
    ['identity', 'random'],
    ['W_p = I', 'random N(0, scale²/d_out)'],
  ),
  { name: 'ncSymPred', key: 'ncSym', label: 'Symmetric predictor (ODE assumption)', type: 'bool' },
  defineNumber('ncDIn', 'ncDi', 'Input dim d_in', [2, 64, 1], { integer: true, continuous: true }),
  defineNumber('ncDOut', 'ncDo', 'Output dim d_out', [1, 64, 1], { integer: true, continuous: true }),
  defineNumber('ncBatch', 'ncB', 'Batch size', [8, 1024, 1], { integer: true, log: true, continuous: true }),
  defineNumber('ncSeed', 'ncSeed', 'Seed', [0, 99999, 1], { integer: true }),
  defineNumber('ncSteps', 'ncT', 'Training steps', [100, 20000, 100], {
    integer: true,
    log: true,
    continuous: true,
  }),
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
