// Messages between the SimSiam/BYOL view and its training worker (src/noncontrastive/worker.ts).
import type { LossKind, NcConfig } from './model';
import type { OdeModes, OdeTrajectory } from './ode';
import type { Projection, SpectrumRecord } from './trainer';

export type ToNcWorker =
  /** Start over from step 0 with this configuration; `play` runs on to cfg.steps at once. */
  | { type: 'reset'; id: number; cfg: NcConfig; play: boolean }
  | { type: 'play' }
  | { type: 'pause' }
  /** Advance by n steps, then pause. */
  | { type: 'step'; n: number };

export interface NcUpdate {
  type: 'update';
  /** The reset this update belongs to (older ones are dropped by the page). */
  id: number;
  step: number;
  playing: boolean;
  /** Records made since the previous update (all of them in the first update after a reset). */
  records: Record<LossKind, SpectrumRecord[]>;
  divergedAt: Record<LossKind, number | null>;
  projections: Record<LossKind, Projection>;
  /** Sent once, in the first update after a reset. */
  ode?: OdeTrajectory;
  initialModes?: OdeModes;
  /** Training steps per second over the last chunk (0 when paused). */
  stepsPerSecond: number;
}

export type FromNcWorker = NcUpdate | { type: 'error'; id: number; message: string };
