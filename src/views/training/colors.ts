// Colours of the training view (Okabe–Ito, colour-blind safe): one per normalization, one per
// stack of the gradient view, one per accuracy split.
import type { NormKind } from '../../engine/types';
import type { StackId } from '../../state/training';

export const NORM_COLORS: Record<NormKind, string> = {
  none: '#D55E00',
  layernorm: '#009E73',
  batchnorm: '#CC79A7',
  pairnorm: '#E69F00',
  contranorm: '#0072B2',
};

export const STACK_COLORS: Record<StackId, string> = {
  plain: '#D55E00',
  residual: '#E69F00',
  lipschitz: '#0072B2',
};

export const SPLIT_COLORS = { train: '#999999', val: '#E69F00', test: '#0072B2', loss: '#1d2433' } as const;

/** Representation curves are drawn in grey beside the gradient's colour. */
export const REP_COLOR = '#6b7385';
