// URL-backed state of the SimSiam / BYOL view (issue 6). Its properties join the one property
// table in src/state/properties.ts, so links reproduce this view too.
import type { Prop } from '../state/properties';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NonContrastiveState {}

export const NONCONTRASTIVE_DEFAULTS: NonContrastiveState = {};

export const NONCONTRASTIVE_PROPS: readonly Prop[] = [];
