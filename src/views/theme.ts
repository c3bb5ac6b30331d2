// Colours shared by every view. Labels use the Okabe–Ito palette (colour-blind safe); the
// two compared configurations use two of its colours that stay distinct in grey scale too.
import type { NormKind, RunResult } from '../engine/types';
import type { PanelId } from '../state/store';
import { NORM_LABELS, NORM_VALUES } from '../state/properties';

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
