// The glue between the store and the training worker: a new configuration (any URL-backed
// setting of this view) resets the worker and plays; play/pause/step/reset are commands.
// Started by the view when it mounts, stopped when it unmounts.
import { useLecture } from '../state/store';
import type { FromNcWorker, ToNcWorker } from '../noncontrastive/protocol';
import { EMPTY_RUN, useNcRun } from '../noncontrastive/runStore';
import { ncConfigOf } from '../state/noncontrastive';
import { configProblem } from '../noncontrastive/model';

declare global {
  interface Window {
    /** The SimSiam/BYOL run, for tests and the console. */
    ncRun?: typeof useNcRun;
  }
}

export interface NcController {
  play: () => void;
  pause: () => void;
  step: (n: number) => void;
  /** Back to step 0 with the current configuration, paused. */
  reset: () => void;
  dispose: () => void;
}

export function startNcClient(): NcController {
  window.ncRun = useNcRun;
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
