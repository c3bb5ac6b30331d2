// Colours and names of the two losses, shared by every plot of the SimSiam/BYOL view: the two
// Okabe–Ito colours the rest of the page uses for its two compared configurations.
import type { LossKind } from '../../noncontrastive/model';

export const LOSS_COLORS: Record<LossKind, string> = { euclidean: '#D55E00', cosine: '#0072B2' };
export const LOSS_SHORT: Record<LossKind, string> = { euclidean: 'Euclidean', cosine: 'Cosine' };
export const ODE_COLOR = '#1d2433';
export const COLLAPSE_FILL = '#f6d7c3';

/** Plot type size: the page's one floor (projected slides need larger type than a laptop screen). */
export { plotFont } from '../plot/theme';
