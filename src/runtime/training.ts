// What the training view's trainers returned, and the functions that start and stop them. The
// results live outside React (a zustand store), so switching panes or views never loses a run
// in progress. One worker per part of the view (gradients, training, sweep), so that one part's
// long job never waits on another's; each worker is latest-wins.
import { create } from 'zustand';
import type { NormKind } from '../engine/types';
import type { RanOn } from '../training/protocol';
import { createWorkerTrainer, type WorkerTrainer } from '../training/workerTrainer';
import type { EpochStats, GradientLayerStats, TrainConfig, TrainResult } from '../training/types';
import { STACKS, type StackId, type SweepRunSpec } from '../state/training';
import type { RunTiming } from './sweepEta';

export type Status = 'idle' | 'running' | 'done' | 'error' | 'stopped';

export interface TrainerInfo {
  kind: 'gpu' | 'cpu';
  fallbackReason: string | null;
}

export interface GradientRun {
  status: Status;
  /** JSON of the configurations these statistics are for. */
  key: string;
  configs: TrainConfig[];
  stacks: Record<StackId, GradientLayerStats[] | null>;
  /** Which trainer computed each stack. */
  ranOn: Partial<Record<StackId, RanOn>>;
  error: string | null;
  timeMs: number | null;
}

export interface Snapshot {
  epoch: number;
  embeddings: Float32Array;
}

export interface TrainRun {
  status: Status;
  ranOn: RanOn | null;
  config: TrainConfig | null;
  epochs: EpochStats[];
  snapshots: Snapshot[];
  /** Gradient statistics of the latest epoch that carried them. */
  gradients: { epoch: number; stats: GradientLayerStats[] } | null;
  /** The first gradient statistics of the run (until the result brings those at initialization). */
  firstGradients: { epoch: number; stats: GradientLayerStats[] } | null;
  result: TrainResult | null;
  error: string | null;
}

export interface SweepPoint {
  norm: NormKind;
  depth: number;
  seed: number;
  testAccAtBestVal: number;
  bestValEpoch: number;
  finalLoss: number;
}

export interface SweepRun {
  status: Status;
  runs: SweepRunSpec[];
  points: SweepPoint[];
  /** The run in progress (index into runs), its last epoch, and the milliseconds to it. */
  current: number;
  currentEpoch: number;
  currentMs: number;
  /** Every run finished on this page so far, earlier sweeps' too: what the time estimate rests on. */
  timings: RunTiming[];
  error: string | null;
  /** Runs that failed (a divergence, say), with why: they are not points. */
  failures: { norm: NormKind; depth: number; seed: number; message: string }[];
}

export interface TrainingRuns {
  trainer: Partial<Record<Slot, TrainerInfo>>;
  gradients: GradientRun;
  train: TrainRun;
  sweep: SweepRun;
}

type Slot = 'gradients' | 'train' | 'sweep';

const emptyStacks = (): Record<StackId, GradientLayerStats[] | null> => ({
  plain: null,
  residual: null,
  lipschitz: null,
});

/** A training run with nothing yet: the store's start and what a new run begins from. */
const NO_TRAINING: TrainRun = {
  status: 'idle',
  ranOn: null,
  config: null,
  epochs: [],
  snapshots: [],
  gradients: null,
  firstGradients: null,
  result: null,
  error: null,
};

export const useTrainingRuns = create<TrainingRuns>()(() => ({
  trainer: {},
  gradients: {
    status: 'idle',
    key: '',
    configs: [],
    stacks: emptyStacks(),
    ranOn: {},
    error: null,
    timeMs: null,
  },
  train: { ...NO_TRAINING },
  sweep: {
    status: 'idle',
    runs: [],
    points: [],
    current: 0,
    currentEpoch: 0,
    currentMs: 0,
    timings: [],
    error: null,
    failures: [],
  },
}));

const trainers = new Map<Slot, Promise<WorkerTrainer>>();

function trainerFor(slot: Slot): Promise<WorkerTrainer> {
  let t = trainers.get(slot);
  if (!t) {
    t = createWorkerTrainer().then((trainer) => {
      useTrainingRuns.setState((s) => ({
        trainer: { ...s.trainer, [slot]: { kind: trainer.kind, fallbackReason: trainer.fallbackReason } },
      }));
      return trainer;
    });
    // A worker that failed to start is not cached: the next request tries again.
    t.catch(() => trainers.delete(slot));
    trainers.set(slot, t);
  }
  return t;
}

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function patch<K extends keyof TrainingRuns>(key: K, p: Partial<TrainingRuns[K]>): void {
  useTrainingRuns.setState((s) => ({ [key]: { ...s[key], ...p } }) as Pick<TrainingRuns, K>);
}

let gradientController: AbortController | null = null;

/** Gradient statistics at initialization of the three stacks (latest wins). */
export async function computeGradients(configs: TrainConfig[]): Promise<void> {
  const key = JSON.stringify(configs);
  const g = useTrainingRuns.getState().gradients;
  if (g.key === key && (g.status === 'running' || g.status === 'done')) return;
  gradientController?.abort();
  const controller = new AbortController();
  gradientController = controller;
  const started = performance.now();
  patch('gradients', {
    status: 'running',
    key,
    configs,
    stacks: emptyStacks(),
    ranOn: {},
    error: null,
    timeMs: null,
  });
  try {
    const trainer = await trainerFor('gradients');
    if (controller.signal.aborted) return;
    await trainer.gradients(
      configs,
      (index, stats, ranOn) => {
        const id = STACKS[index].id;
        const g = useTrainingRuns.getState().gradients;
        patch('gradients', { stacks: { ...g.stacks, [id]: stats }, ranOn: { ...g.ranOn, [id]: ranOn } });
      },
      controller.signal,
    );
    patch('gradients', { status: 'done', timeMs: performance.now() - started });
  } catch (err) {
    if (isAbort(err) || controller.signal.aborted) return;
    patch('gradients', { status: 'error', error: message(err) });
  }
}

let trainController: AbortController | null = null;

/** Train the panel's model; progress per epoch, embeddings when the trainer sends them. */
export async function startTraining(config: TrainConfig): Promise<void> {
  trainController?.abort();
  const controller = new AbortController();
  trainController = controller;
  patch('train', { ...NO_TRAINING, status: 'running', config });
  try {
    const trainer = await trainerFor('train');
    if (controller.signal.aborted) return;
    const result = await trainer.train(
      config,
      (p) => {
        if (controller.signal.aborted) return;
        const t = useTrainingRuns.getState().train;
        const next: Partial<TrainRun> = { epochs: [...t.epochs, p.epoch] };
        if (p.embeddings)
          next.snapshots = [...t.snapshots, { epoch: p.epoch.epoch, embeddings: p.embeddings }];
        if (p.gradients) {
          next.gradients = { epoch: p.epoch.epoch, stats: p.gradients };
          if (!t.firstGradients) next.firstGradients = next.gradients;
        }
        patch('train', next);
      },
      controller.signal,
      // A restart on the CPU (the GPU trainer failed) begins the curves again.
      (ranOn) => patch('train', { ranOn, epochs: [], snapshots: [], gradients: null, firstGradients: null }),
    );
    patch('train', { status: 'done', result, epochs: result.epochs });
  } catch (err) {
    if (controller.signal.aborted && trainController !== controller) return;
    if (isAbort(err)) patch('train', { status: 'stopped' });
    else patch('train', { status: 'error', error: message(err) });
  }
}

export function stopTraining(): void {
  trainController?.abort();
  if (useTrainingRuns.getState().train.status === 'running') patch('train', { status: 'stopped' });
}

let sweepController: AbortController | null = null;

/** Train every run of the sweep in turn; a failed run is reported and skipped, not plotted. */
export async function startSweep(runs: SweepRunSpec[]): Promise<void> {
  sweepController?.abort();
  const controller = new AbortController();
  sweepController = controller;
  patch('sweep', {
    status: 'running',
    runs,
    points: [],
    current: 0,
    currentEpoch: 0,
    currentMs: 0,
    error: null,
    failures: [],
  });
  let trainer: WorkerTrainer;
  try {
    trainer = await trainerFor('sweep');
  } catch (err) {
    patch('sweep', { status: 'error', error: message(err) });
    return;
  }
  for (let i = 0; i < runs.length; i++) {
    if (controller.signal.aborted) return;
    patch('sweep', { current: i, currentEpoch: 0, currentMs: 0 });
    const run = runs[i];
    const started = performance.now();
    try {
      const result = await trainer.train(
        run.config,
        (p) => {
          // A few updates per run are enough for the progress line (epochs count from 0).
          const done = p.epoch.epoch + 1;
          if (done % 10 === 0 || done === 5)
            patch('sweep', { currentEpoch: done, currentMs: performance.now() - started });
        },
        controller.signal,
      );
      const timing: RunTiming = {
        norm: run.norm,
        depth: run.depth,
        epochs: run.config.epochs,
        ms: performance.now() - started,
      };
      patch('sweep', { timings: [...useTrainingRuns.getState().sweep.timings, timing] });
      const last = result.epochs[result.epochs.length - 1];
      const point: SweepPoint = {
        norm: run.norm,
        depth: run.depth,
        seed: run.seed,
        testAccAtBestVal: result.testAccAtBestVal,
        bestValEpoch: result.bestValEpoch,
        finalLoss: last ? last.loss : NaN,
      };
      if (!Number.isFinite(point.testAccAtBestVal)) throw new Error('the test accuracy is not a number');
      patch('sweep', { points: [...useTrainingRuns.getState().sweep.points, point] });
    } catch (err) {
      if (controller.signal.aborted) return;
      const f = { norm: run.norm, depth: run.depth, seed: run.seed, message: message(err) };
      patch('sweep', { failures: [...useTrainingRuns.getState().sweep.failures, f] });
    }
  }
  patch('sweep', { status: 'done', current: runs.length });
}

export function stopSweep(): void {
  sweepController?.abort();
  if (useTrainingRuns.getState().sweep.status === 'running') patch('sweep', { status: 'stopped' });
}
