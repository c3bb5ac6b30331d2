// Checks shared by both trainers (src/training/reference, src/training/gpu): a configuration
// either trainer would refuse is refused with the same words, before any work starts.
import type { TrainConfig } from './types';

/** Throw a readable Error naming the first field of `c` that no trainer can run. */
export function checkTrainConfig(c: TrainConfig): void {
  const bad = (what: string): never => {
    throw new Error(`training config: ${what}`);
  };
  if (!Number.isInteger(c.layers) || c.layers < 1) bad(`layers L must be an integer ≥ 1 (got ${c.layers})`);
  if (!Number.isInteger(c.hidden) || c.hidden < 1) bad(`hidden must be an integer ≥ 1 (got ${c.hidden})`);
  if (!Number.isInteger(c.epochs) || c.epochs < 0) bad(`epochs must be an integer ≥ 0 (got ${c.epochs})`);
  if (!(c.dropout >= 0 && c.dropout < 1)) bad(`dropout must be in [0, 1) (got ${c.dropout})`);
  if (!(c.lr > 0)) bad(`lr must be positive (got ${c.lr})`);
  if (!(c.weightDecay >= 0)) bad(`weightDecay must be ≥ 0 (got ${c.weightDecay})`);
}

/** The error a trainer rejects with when its AbortSignal fires (callers test `name`). */
export function trainingAbortError(): Error {
  const e = new Error('training aborted');
  e.name = 'AbortError';
  return e;
}
