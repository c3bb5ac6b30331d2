// URL-backed state of the gradients-and-training view (issue 5). Its properties join the one
// property table in src/state/properties.ts, so links reproduce this view too.
import type { Prop } from '../state/properties';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TrainingState {}

export const TRAINING_DEFAULTS: TrainingState = {};

export const TRAINING_PROPS: readonly Prop[] = [];
