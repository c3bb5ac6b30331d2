// The SimSiam/BYOL training thread: both losses step here in time slices, so the page never
// freezes however large the batch; the page receives the new spectra about 5 times a second.
/// <reference lib="webworker" />
import { LOSS_KINDS, type LossKind } from './model';
import { integrateModes } from './ode';
import type { FromNcWorker, NcUpdate, ToNcWorker } from './protocol';
import { PairedTrainer } from './trainer';

declare const self: DedicatedWorkerGlobalScope;

/** Work per slice before yielding to incoming messages (pause, a new configuration). */
const SLICE_MS = 30;
/** Minimum time between updates to the page. */
const POST_MS = 200;

let trainer: PairedTrainer | null = null;
let runId = 0;
let playing = false;
/** Steps still to take for a 'step' request (Infinity while playing). */
let budget = 0;
let sent: Record<LossKind, number> = { euclidean: 0, cosine: 0 };
let firstUpdate = true;
let lastPost = 0;
let rate = 0;
let scheduled = false;

function post(msg: FromNcWorker): void {
  self.postMessage(msg);
}

function sendUpdate(): void {
  if (!trainer) return;
  const t = trainer;
  const msg: NcUpdate = {
    type: 'update',
    id: runId,
    step: t.step,
    playing: playing && budget > 0 && !t.done,
    records: {
      euclidean: t.runs.euclidean.records.slice(sent.euclidean),
      cosine: t.runs.cosine.records.slice(sent.cosine),
    },
    divergedAt: { euclidean: t.runs.euclidean.divergedAt, cosine: t.runs.cosine.divergedAt },
    projections: { euclidean: t.projection('euclidean'), cosine: t.projection('cosine') },
    stepsPerSecond: rate,
  };
  if (firstUpdate) {
    const grid: number[] = [];
    for (let s = 0; s < t.cfg.steps; s += t.every) grid.push(s);
    grid.push(t.cfg.steps);
    msg.ode = integrateModes(t.initialModes, t.cfg, grid);
    msg.initialModes = t.initialModes;
    firstUpdate = false;
  }
  for (const k of LOSS_KINDS) sent[k] = t.runs[k].records.length;
  lastPost = performance.now();
  post(msg);
}

function loop(): void {
  scheduled = false;
  const t = trainer;
  if (!t || !playing) return;
  const start = performance.now();
  let taken = 0;
  while (performance.now() - start < SLICE_MS && budget > 0 && !t.done) {
    const n = t.advance(1);
    taken += n;
    budget -= n;
  }
  const elapsed = performance.now() - start;
  rate = elapsed > 0 ? (taken / elapsed) * 1000 : 0;
  const finished = budget <= 0 || t.done;
  if (finished) {
    playing = false;
    rate = 0;
  }
  if (finished || performance.now() - lastPost >= POST_MS) sendUpdate();
  if (!finished) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // A macrotask between slices lets 'pause' and 'reset' messages in.
  setTimeout(loop, 0);
}

self.onmessage = (event: MessageEvent<ToNcWorker>) => {
  const msg = event.data;
  try {
    if (msg.type === 'reset') {
      runId = msg.id;
      trainer = new PairedTrainer(msg.cfg);
      sent = { euclidean: 0, cosine: 0 };
      firstUpdate = true;
      playing = msg.play;
      budget = msg.play ? Infinity : 0;
      rate = 0;
      sendUpdate();
      if (playing) schedule();
    } else if (msg.type === 'play') {
      playing = true;
      budget = Infinity;
      schedule();
    } else if (msg.type === 'pause') {
      playing = false;
      budget = 0;
      sendUpdate();
    } else if (msg.type === 'step') {
      playing = true;
      budget = msg.n;
      schedule();
    }
  } catch (err) {
    post({ type: 'error', id: runId, message: err instanceof Error ? err.message : String(err) });
  }
};
