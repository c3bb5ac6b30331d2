// The SimSiam / BYOL view's runtime: the run store (what the training worker has computed for the
// current configuration; not URL state, it is a function of the URL state and of how far the run
// has gone; the views read it and draw), and the glue between the page store and the worker: a
// new configuration (any URL-backed setting of this view) resets the worker and plays;
// play/pause/step/reset are commands. Started by the view when it mounts, stopped when it unmounts.
import { create } from 'zustand';
import { useLecture } from '../state/store';
import type { FromNcWorker, ToNcWorker } from '../noncontrastive/protocol';
import { ncConfigOf } from '../state/noncontrastive';
import { configProblem, type LossKind, type NcConfig } from '../noncontrastive/model';
import type { OdeModes, OdeTrajectory } from '../noncontrastive/ode';
import type { Projection, SpectrumRecord } from '../noncontrastive/trainer';

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

export interface NcController {
  play: () => void;
  pause: () => void;
  step: (n: number) => void;
  /** Back to step 0 with the current configuration, paused. */
  reset: () => void;
  dispose: () => void;
}

export function startNcClient(): NcController {
  const worker = new Worker(new URL('../noncontrastive/worker.ts', import.meta.url), {
    type: 'module',
    name: 'noncontrastive',
  });
  let id = 0;
  let key = '';
  const send = (msg: ToNcWorker) => worker.postMessage(msg);

  worker.onmessage = (e: MessageEvent<FromNcWorker>) => {
    const msg = e.data;
    if (msg.id !== id) return; // a superseded configuration
    if (msg.type === 'error') {
      useNcRun.setState({ error: msg.message, playing: false });
      return;
    }
    useNcRun.setState((s) => ({
      step: msg.step,
      playing: msg.playing,
      records: {
        euclidean: s.records.euclidean.concat(msg.records.euclidean),
        cosine: s.records.cosine.concat(msg.records.cosine),
      },
      divergedAt: msg.divergedAt,
      projections: msg.projections,
      ode: msg.ode ?? s.ode,
      initialModes: msg.initialModes ?? s.initialModes,
      stepsPerSecond: msg.stepsPerSecond,
    }));
  };
  worker.onerror = (e) =>
    useNcRun.setState({ error: `the training worker failed: ${e.message}`, playing: false });

  const reset = (play: boolean) => {
    const cfg = ncConfigOf(useLecture.getState());
    key = JSON.stringify(cfg);
    id++;
    const problem = configProblem(cfg);
    useNcRun.setState({ ...EMPTY_RUN, cfg, id, playing: play && !problem, error: problem });
    if (!problem) send({ type: 'reset', id, cfg, play });
  };

  let timer: number | null = null;
  const unsubscribe = useLecture.subscribe((s) => {
    if (JSON.stringify(ncConfigOf(s)) === key) return;
    // Debounced: a dragged slider restarts the run once per pause, not once per pixel.
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = null;
      reset(true);
    }, 120);
  });
  reset(true);

  return {
    play: () => {
      const s = useNcRun.getState();
      if (s.error) return;
      if (s.cfg && s.step >= s.cfg.steps) reset(true);
      else {
        useNcRun.setState({ playing: true });
        send({ type: 'play' });
      }
    },
    pause: () => {
      useNcRun.setState({ playing: false });
      send({ type: 'pause' });
    },
    step: (n) => {
      if (useNcRun.getState().error) return;
      send({ type: 'step', n });
    },
    reset: () => reset(false),
    dispose: () => {
      unsubscribe();
      if (timer !== null) window.clearTimeout(timer);
      worker.terminate();
    },
  };
}
