// The one theme of every plot: type, axis colour, and the colours of what the views compare.
// Labels use the Okabe–Ito palette (colour-blind safe); the two compared configurations (and the
// two losses of the SimSiam/BYOL view) use two of its colours that stay distinct in grey scale too.
import type { NormKind, RunResult } from '../../engine/types';
import type { LossKind } from '../../noncontrastive/model';
import type { PanelId } from '../../state/store';
import { NORM_LABELS, NORM_VALUES } from '../../state/schema';
import type { StackId } from '../../state/training';

export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
export const AXIS_COLOR = '#3a4150';

export const OKABE_ITO = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

export const PANEL_COLORS: Record<PanelId, string> = { A: '#D55E00', B: '#0072B2' };
export const PANEL_DASH: Record<PanelId, string> = { A: '6 3', B: '' };

export function normLabel(kind: NormKind): string {
  return NORM_LABELS[NORM_VALUES.indexOf(kind)] ?? kind;
}

/** A panel's name in a plot legend: its normalization, or the recorded model it shows. */
export function panelLabel(result: RunResult | null, kind: NormKind): string {
  return result?.recorded ? `recorded ${result.recorded.model}` : normLabel(kind);
}

/**
 * The smallest type any plot draws, in CSS pixels: 14 px reads from the back of a lecture hall
 * on a 1280×720 projector, and presentation mode (the one a class sees) goes to 18 px. The
 * page's CSS holds the same floor in --min-text.
 */
export function plotFont(presentation: boolean): number {
  return presentation ? 18 : 14;
}

// The SimSiam/BYOL view: its two losses, the ODE's curves and the collapsed band.
export const LOSS_COLORS: Record<LossKind, string> = { euclidean: PANEL_COLORS.A, cosine: PANEL_COLORS.B };
export const LOSS_SHORT: Record<LossKind, string> = { euclidean: 'Euclidean', cosine: 'Cosine' };
export const ODE_COLOR = '#1d2433';
export const COLLAPSE_FILL = '#f6d7c3';
/** Warnings in a plot (divergence, the collapse threshold and region's edge). */
export const WARN_COLOR = '#9a3f06';

// The training view: one colour per normalization, per stack of the gradient view, per accuracy split.
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
