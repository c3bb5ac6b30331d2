// The training workload's runner side: "time for 200 epochs of the 2-layer and of the
// 16-layer ContraNorm GCN on Cora", our WGSL trainer beside the same training in TensorFlow.js
// (bench/tfjsTrainPeer.ts), both in the bench page on the same adapter (bench/trainBench.ts).
//
// Per configuration and peer: a fresh model, a warm-up epoch 0, then K timed epochs (K = 2 with
// --quick, else 5). When 200 epochs are predicted (200 × the per-epoch time) to take at most
// BENCH_MAX_RUN_S, or with --full, a second fresh run times 200 epochs after its warm-up epoch and
// that is the figure; otherwise the figure is 200 × the per-epoch time, marked "~".
// On a slow adapter (software WebGPU) even the short run of the 16-layer model can take many
// minutes: when it is predicted (from this peer's per-epoch time at the smaller depth, scaled by
// depth, for the K + 3 epochs a sample costs: setup pass, warm-up, timed, ours' trailing epoch) to
// exceed BENCH_MAX_RUN_S, the sample is taken at a reduced depth L' (halved until it fits, down
// to the smaller configuration's own sample) and the per-epoch time scaled by L/L', as the
// forward workloads do (bench/run.ts); the table says at which depth. Per-layer work dominates
// (ContraNorm's O(N²d)), so the scaling overestimates slightly: the read-out, loss and Adam are
// counted L/L' times too.
// The float64 CPU reference trainer is not a peer here: with ContraNorm on Cora each layer costs
// several seconds an epoch (O(N²d) in single-threaded float64; one 16-layer epoch with two
// gradient-statistics passes took 215 s on the 2-core development machine), so it would dominate
// the bench; bench/trainCora.ts times it on its own, and bench/crosscheck/ has the long runs.
import type { Page } from 'playwright-core';
import type { TrainInfo, TrainKernelTime, TrainPeerName, TrainPeerResult } from './trainTypes';

export const TRAIN_EPOCHS = 200;
export const TRAIN_DEPTHS = [2, 16] as const;

export interface TrainPeerReport {
  /** The short run (warm-up + K epochs) and, when it fit the budget, the full run. */
  sample: TrainPeerResult;
  full: TrainPeerResult | null;
  msPerEpoch: number;
  /** The depth the sample ran at (< the configuration's depth: per-epoch time scaled by depth). */
  measuredDepth: number;
  /** Seconds for 200 epochs: measured (full run) or extrapolated from the sample. */
  seconds200: number;
  extrapolated: boolean;
  error?: string;
}

export interface TrainConfigReport {
  depth: number;
  peers: Partial<Record<TrainPeerName, TrainPeerReport>>;
  /** tfjs time / our time for 200 epochs (>1: ours is faster). */
  ratioTfjs: number | null;
  /** BENCH_TRAIN_PROFILE=1, smallest depth only: our kernels' GPU times over one profiled short run. */
  kernels?: TrainKernelTime[];
}

export interface TrainReport {
  info: TrainInfo;
  epochs: number;
  timedEpochs: number;
  configs: TrainConfigReport[];
}

export interface TrainOptions {
  coraJson: string | null;
  quick: boolean;
  full: boolean;
  maxRunMs: number;
  skipTfjs: boolean;
  /** Timed epochs per sample (BENCH_TRAIN_EPOCHS); default 2 with --quick, else 5. */
  timedEpochs?: number;
  /** (default: BENCH_TRAIN_PROFILE=1 or only) after the timings, one more run of ours at the smallest depth with per-kernel GPU times. */
  profile?: boolean;
  log: (s: string) => void;
}

const fmtS = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '—');

/** Epochs' worth of time a sample costs beyond its K timed epochs (setup pass, warm-up, ours' trailing epoch). */
const SAMPLE_OVERHEAD_EPOCHS = 3;

async function measure(
  page: Page,
  peer: TrainPeerName,
  depth: number,
  opts: TrainOptions,
  K: number,
  smaller: TrainPeerReport | null,
): Promise<TrainPeerReport> {
  const label = `${peer === 'gpu' ? 'ours' : 'tfjs'} L=${depth}`;
  let at = depth;
  if (!opts.full && smaller && !smaller.error && smaller.measuredDepth < depth) {
    const d0 = smaller.measuredDepth;
    const perLayer = smaller.sample.timedMs / K / d0;
    while (at > d0 && perLayer * at * (K + SAMPLE_OVERHEAD_EPOCHS) > opts.maxRunMs)
      at = Math.max(d0, at >> 1);
  }
  const call = (d: number, timedEpochs: number) =>
    page.evaluate((a) => window.bench.trainPeer(a), { peer, depth: d, timedEpochs });
  if (at < depth)
    opts.log(
      `  ${label}: a sample at full depth is predicted to exceed ${opts.maxRunMs / 1000} s: ` +
        `timed at L'=${at}${smaller && at === smaller.measuredDepth ? ' (the sample above)' : ''} and scaled by ${depth}/${at}`,
    );
  const sample = smaller && at === smaller.measuredDepth && at < depth ? smaller.sample : await call(at, K);
  if (sample.error) {
    opts.log(`  ${label}: FAILED: ${sample.error}`);
    return {
      sample,
      full: null,
      msPerEpoch: NaN,
      measuredDepth: at,
      seconds200: NaN,
      extrapolated: false,
      error: sample.error,
    };
  }
  const msPerEpoch = ((sample.timedMs / K) * depth) / at;
  if (at < depth)
    return {
      sample,
      full: null,
      msPerEpoch,
      measuredDepth: at,
      seconds200: (msPerEpoch * TRAIN_EPOCHS) / 1000,
      extrapolated: true,
    };
  opts.log(
    `  ${label}: warm-up (setup + epoch 0) ${fmtS(sample.warmupMs)}, ${msPerEpoch.toFixed(0)} ms/epoch over ${K} epochs; ` +
      `loss ${sample.firstLoss.toFixed(3)} → ${sample.finalLoss.toFixed(3)}, val acc ${(100 * sample.finalValAcc).toFixed(1)}%` +
      (sample.notes.length ? ` (${sample.notes.join('; ')})` : ''),
  );
  const predicted = msPerEpoch * TRAIN_EPOCHS;
  if (opts.full || predicted <= opts.maxRunMs) {
    const full = await call(depth, TRAIN_EPOCHS);
    if (!full.error) {
      opts.log(
        `  ${label}: ${TRAIN_EPOCHS} epochs in ${fmtS(full.timedMs)}; loss ${full.firstLoss.toFixed(3)} → ${full.finalLoss.toFixed(3)}, ` +
          `train acc ${(100 * full.finalTrainAcc).toFixed(1)}%, val acc ${(100 * full.finalValAcc).toFixed(1)}%`,
      );
      return {
        sample,
        full,
        msPerEpoch,
        measuredDepth: depth,
        seconds200: full.timedMs / 1000,
        extrapolated: false,
      };
    }
    opts.log(
      `  ${label}: the ${TRAIN_EPOCHS}-epoch run FAILED (${full.error}); extrapolating from the sample`,
    );
  }
  return {
    sample,
    full: null,
    msPerEpoch,
    measuredDepth: depth,
    seconds200: predicted / 1000,
    extrapolated: true,
  };
}

export async function runTrainBench(page: Page, opts: TrainOptions): Promise<TrainReport> {
  const K = opts.timedEpochs ?? (opts.quick ? 2 : 5);
  const info = await page.evaluate((a) => window.bench.trainPrepare(a), { coraJson: opts.coraJson });
  opts.log(
    `\nTraining: ${TRAIN_EPOCHS} epochs of the GCN + ContraNorm (mask, s = 0.5, τ = 1) + LN + ReLU, hidden 32, ` +
      `Adam lr 0.005, wd 5e-4, dropout 0.6, rw, L1 features; L = ${TRAIN_DEPTHS.join(' and ')}`,
  );
  opts.log(
    `  data: ${info.dataNote}: N = ${info.n}, d_in = ${info.inputDim}, ${info.classes} classes, nnz(A) = ${info.nnzA}, ` +
      `split ${info.split.train}/${info.split.val}/${info.split.test}`,
  );
  // BENCH_TRAIN_PROFILE=1 adds a profiled run of ours; =only runs nothing else (no timings, no ratio).
  const profileEnv = process.env.BENCH_TRAIN_PROFILE;
  const profile = opts.profile ?? (profileEnv === '1' || profileEnv === 'only');
  const profileOnly = profileEnv === 'only';
  const configs: TrainConfigReport[] = [];
  for (const depth of TRAIN_DEPTHS) {
    const c: TrainConfigReport = { depth, peers: {}, ratioTfjs: null };
    const prev = configs[configs.length - 1]?.peers;
    if (profileOnly) {
      if (depth === TRAIN_DEPTHS[0]) c.kernels = await profileKernels(page, depth, opts);
      configs.push(c);
      continue;
    }
    // tfjs first: on a slow adapter a failure of the peer then shows minutes earlier.
    if (!opts.skipTfjs) c.peers.tfjs = await measure(page, 'tfjs', depth, opts, K, prev?.tfjs ?? null);
    c.peers.gpu = await measure(page, 'gpu', depth, opts, K, prev?.gpu ?? null);
    const g = c.peers.gpu;
    const t = c.peers.tfjs;
    if (g && t && Number.isFinite(g.seconds200) && Number.isFinite(t.seconds200))
      c.ratioTfjs = t.seconds200 / g.seconds200;
    if (profile && depth === TRAIN_DEPTHS[0]) c.kernels = await profileKernels(page, depth, opts);
    configs.push(c);
  }
  return { info, epochs: TRAIN_EPOCHS, timedEpochs: K, configs };
}

/**
 * One short run of ours (setup pass, warm-up epoch, one timed epoch, the trailing detail epoch)
 * with timestamp queries around every dispatch: where the GPU time goes, printed as a table.
 */
async function profileKernels(
  page: Page,
  depth: number,
  opts: TrainOptions,
): Promise<TrainKernelTime[] | undefined> {
  const r = await page.evaluate((a) => window.bench.trainPeer(a), {
    peer: 'gpu' as const,
    depth,
    timedEpochs: 1,
    profile: true,
  });
  if (r.error || !r.kernels) {
    opts.log(`  ours L=${depth}: kernel profile FAILED: ${r.error ?? 'no timestamp-query on this adapter'}`);
    return undefined;
  }
  const total = r.kernels.reduce((a, k) => a + k.ms, 0);
  opts.log(
    `  ours L=${depth}: GPU time by kernel over a profiled run (4 epochs' worth of passes), ${fmtS(total)} in all:`,
  );
  for (const k of r.kernels.filter((x) => x.share >= 0.001))
    opts.log(
      `    ${k.kernel.padEnd(26)} ${k.ms.toFixed(0).padStart(8)} ms ${String(k.dispatches).padStart(5)}× ${(100 * k.share).toFixed(1).padStart(5)} %`,
    );
  return r.kernels;
}

/** The table of seconds for 200 epochs per peer, and the notes under it. */
export function trainTable(r: TrainReport): string[] {
  const cell = (p: TrainPeerReport | undefined, depth: number): string =>
    !p
      ? 'skipped'
      : p.error
        ? 'failed'
        : `${p.extrapolated ? '~' : ''}${p.seconds200.toFixed(1)} s${p.measuredDepth < depth ? ` (L'=${p.measuredDepth})` : ''}`;
  const loss = (p: TrainPeerReport | undefined, depth: number): string => {
    const x = p?.full ?? p?.sample;
    if (!p || !x || x.error) return '—';
    return `${x.finalLoss.toFixed(3)} after ${x.timedEpochs + 1}${p.measuredDepth < depth ? ` (L'=${p.measuredDepth})` : ''}`;
  };
  const header = ['config', 'ours', 'tfjs', 'tfjs/ours', 'final loss ours', 'final loss tfjs'];
  const rows = r.configs.map((c) => [
    `L=${c.depth}`,
    cell(c.peers.gpu, c.depth),
    cell(c.peers.tfjs, c.depth),
    c.ratioTfjs !== null ? `${c.ratioTfjs.toFixed(2)}×` : '—',
    loss(c.peers.gpu, c.depth),
    loss(c.peers.tfjs, c.depth),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `Training, seconds for ${r.epochs} epochs (${r.info.n} nodes):`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    `~: ${r.epochs} × the mean epoch time over ${r.timedEpochs} epochs after a warm-up epoch (a full run was predicted to exceed BENCH_MAX_RUN_S);`,
    "  (L'=x): that epoch time was measured at depth x and scaled linearly to the configuration's depth.",
    'Final loss: training cross-entropy (dropout on) after that many epochs (warm-up included); dropout masks differ between the peers.',
    "Ours: short samples leave out the trainer's forced detail pass of its last epoch; a full 200-epoch window includes its 20 every-10th-epoch detail passes.",
  ];
}
