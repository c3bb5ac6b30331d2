// What the training worker has computed for the current configuration (not URL state: it is
// a function of the URL state and of how far the run has gone). The views read it and draw.
import { create } from 'zustand';
import type { LossKind, NcConfig } from './model';
import type { OdeModes, OdeTrajectory } from './ode';
import type { Projection, SpectrumRecord } from './trainer';

export interface NcRun {
  /** The configuration these results belong to (null before the first reset). */
  cfg: NcConfig | null;
  id: number;
  step: number;
  playing: boolean;
  records: Record<LossKind, SpectrumRecord[]>;
  divergedAt: Record<LossKind, number | null>;
  projections: Record<LossKind, Projection> | null;
  ode: OdeTrajectory | null;
  initialModes: OdeModes | null;
  stepsPerSecond: number;
  error: string | null;
}

export const EMPTY_RUN: NcRun = {
  cfg: null,
  id: 0,
  step: 0,
  playing: false,
  records: { euclidean: [], cosine: [] },
  divergedAt: { euclidean: null, cosine: null },
  projections: null,
  ode: null,
  initialModes: null,
  stepsPerSecond: 0,
  error: null,
};

export const useNcRun = create<NcRun>()(() => ({ ...EMPTY_RUN }));
