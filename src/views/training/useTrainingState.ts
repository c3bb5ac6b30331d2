// The training view's URL state (src/state/training.ts) from the page store, re-rendering only
// when one of the view's own properties changes.
import { useShallow } from 'zustand/react/shallow';
import { useLecture } from '../../state/store';
import { TRAINING_DEFAULTS, type TrainingState } from '../../state/training';

const KEYS = Object.keys(TRAINING_DEFAULTS) as (keyof TrainingState)[];

export function pickTraining(s: TrainingState): TrainingState {
  const out = {} as Record<string, unknown>;
  for (const k of KEYS) out[k] = s[k];
  return out as unknown as TrainingState;
}

export function useTrainingState(): TrainingState {
  return useLecture(useShallow((s) => pickTraining(s)));
}
