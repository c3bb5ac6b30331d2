// `npm run bench`: starts a Vite dev server on the repo root, opens bench/bench.html in the
// headless Chromium of the browser tests (WebGPU; SwiftShader when there is no GPU), runs the
// workloads of bench/workloads.ts on the GPU engine and its peers (the float64 CPU reference
// engine and TensorFlow.js on WebGPU) in that page, prints a table and writes
// bench/results.json.
//
// How a peer is measured on a workload of depth L:
//   1. calibration / warm-up: one run at depth 2 (compiles shaders, allocates buffers, warms
//      the JIT) with the alternate weights seed, so no incremental cache can answer later;
//   2. timed runs at the full depth L (median of 3, or 2 or 1 when one run is predicted to take
//      over 15 or 40 s; the CPU reference runs once), alternating weights seeds so every run
//      is a full recompute.
//   On a slow adapter (software WebGPU), a run predicted from the calibration to take longer
//   than BENCH_MAX_RUN_S (default 90 s) is timed at a reduced depth L' (L halved until it
//   fits) and its full-depth time extrapolated linearly, T(L) ≈ T(L')·L/L' (every layer does
//   the same work); the table marks such figures with "~" and says at which depth they were
//   measured. --full runs everything at full depth, however long. The GPU engine on W3 always
//   runs at full depth (its target is to complete).
//
// Options (flags or environment):
//   --quick / BENCH_QUICK=1     one timed run per peer (CPU: one anyway), one plain-matmul rep
//   --full / BENCH_FULL=1       never extrapolate: every timed run at full depth
//   BENCH_MAX_RUN_S=90          the longest a timed run may be predicted to take before extrapolation
//   BENCH_CORA=path             Cora's Planetoid JSON (default ../shared/datasets/planetoid/cora.json)
//   --skip-peers                GPU engine only (no CPU reference, no tfjs)
//   --skip-fast                 without the fast CPU engine
//   --skip-gpu                  without the GPU engine (and its plain-matmul probe): the CPU engines
//                               alone, e.g. `--only=W1,W2 --skip-gpu --skip-tfjs` for the fast engine's
//                               ratio to the reference (the SwiftShader GPU peer takes > 10 min on W1)
//   --skip-cpu, --skip-tfjs     leave out one peer
//   --tfjs-w3                   also run the (optional, slow) tfjs peer on W3
//   --only=W1,W3                run only these workloads; `latency` names the page-latency benchmark
//                               (bench/latency.ts), which by default runs after the workloads
//   --skip-latency              leave out the page-latency benchmark
//   `train` in --only           the training workload (bench/trainRunner.ts: 200 epochs of the 2- and 16-layer
//                               ContraNorm GCN on Cora, ours vs tfjs), run after the workloads by default
//   --skip-train                leave out the training workload
//   `host` in --only            the GPU engine's per-layer float64 finishing (bench/hostSolve.ts): a
//                               16-layer group at d = 64 on one thread vs shared with the solver
//                               threads; run after the workloads by default
//   --skip-host                 leave out the host-finishing measurement
//   BENCH_TRAIN_EPOCHS=5        training: epochs timed after the warm-up epoch (default 5, 2 with --quick)
//   BENCH_LATENCY_STEP_MS=100   pause between two mouse moves of its scripted drag
//   BENCH_LATENCY_TIMEOUT_S=600 the longest it waits for the page to show a result
//   --latency-dev               the latency benchmark on the dev server instead of the built page
//   --layers=N                  override every workload's depth L, and the latency scenarios' (quick trials; targets then do not apply)
//   --reps=N                    timed runs of the GPU engine and tfjs (default 3, fewer for long runs)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import type { ViteDevServer } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { forwardPageErrors, launchChromium } from '../tests/browser/chromium';
import { startDevServer } from '../tests/browser/devServer';
import type { EngineConfig } from '../src/engine/types';
import { countFlops, totalFlops } from './flops';
import type { PageInfo, PeerName, PeerResult, PlainMatmulResult, WorkloadInfo, WorkloadName } from './types';
import { latencyTable, runLatency, type LatencyResult } from './latency';
import { serveBuiltSite } from './builtSite';
import { runTrainBench, trainTable, type TrainReport } from './trainRunner';
import type { HostSolveResult } from './hostSolve';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sharedDir = resolve(repoRoot, '../shared');
const coraPath = process.env.BENCH_CORA ?? resolve(sharedDir, 'datasets/planetoid/cora.json');
const resultsPath = resolve(repoRoot, 'bench/results.json');

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const known = [
  'quick',
  'full',
  'skip-peers',
  'skip-fast',
  'skip-gpu',
  'skip-cpu',
  'skip-tfjs',
  'tfjs-w3',
  'only',
  'skip-latency',
  'latency-dev',
  'skip-train',
  'skip-host',
  'layers',
  'reps',
  'help',
];
for (const a of argv) {
  const name = a.replace(/^--/, '').split('=')[0]!;
  if (!a.startsWith('--') || !known.includes(name)) {
    console.error(`unknown argument ${a}; known: ${known.map((k) => `--${k}`).join(' ')}`);
    process.exit(2);
  }
}
const flag = (name: string): boolean => argv.includes(`--${name}`);
const value = (name: string): string | undefined =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (flag('help')) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.log(
    text
      .slice(
        0,
        text.findIndex((l) => l.startsWith('import')),
      )
      .join('\n'),
  );
  process.exit(0);
}
const quick = flag('quick') || process.env.BENCH_QUICK === '1';
const full = flag('full') || process.env.BENCH_FULL === '1';
const maxRunMs = 1000 * Number(process.env.BENCH_MAX_RUN_S ?? 90);
const skipCpu = flag('skip-peers') || flag('skip-cpu');
const skipTfjs = flag('skip-peers') || flag('skip-tfjs');
const skipGpu = flag('skip-gpu');
if (skipGpu && flag('skip-peers')) {
  console.error('--skip-gpu with --skip-peers leaves nothing to measure');
  process.exit(2);
}
const tfjsW3 = flag('tfjs-w3');
const onlyArg = value('only')?.split(',') ?? ['W1', 'W2', 'W3', 'train', 'latency'];
const runLatencyBench = onlyArg.includes('latency') && !flag('skip-latency');
const runTrain = onlyArg.includes('train') && !flag('skip-train');
const runHost = (onlyArg.includes('host') || !value('only')) && !flag('skip-host');
const only = onlyArg.filter((w) => w !== 'latency' && w !== 'train' && w !== 'host') as WorkloadName[];
const timedEpochs =
  process.env.BENCH_TRAIN_EPOCHS !== undefined ? Number(process.env.BENCH_TRAIN_EPOCHS) : undefined;
const latencyStepMs = Number(process.env.BENCH_LATENCY_STEP_MS ?? 100);
const latencyTimeoutMs = 1000 * Number(process.env.BENCH_LATENCY_TIMEOUT_S ?? 600);
const depthOverride = value('layers') !== undefined ? Number(value('layers')) : null;
const repsOverride = value('reps') !== undefined ? Number(value('reps')) : null;
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
if (depthOverride !== null && !(Number.isInteger(depthOverride) && depthOverride >= 1))
  fail('--layers must be a positive integer');
if (repsOverride !== null && !(Number.isInteger(repsOverride) && repsOverride >= 1))
  fail('--reps must be a positive integer');
if (!(maxRunMs > 0)) fail('BENCH_MAX_RUN_S must be a positive number');
if (timedEpochs !== undefined && !(Number.isInteger(timedEpochs) && timedEpochs >= 1))
  fail('BENCH_TRAIN_EPOCHS must be a positive integer');
if (!(latencyStepMs >= 0)) fail('BENCH_LATENCY_STEP_MS must be a non-negative number');
if (!(latencyTimeoutMs > 0)) fail('BENCH_LATENCY_TIMEOUT_S must be a positive number');
for (const w of only) if (!['W1', 'W2', 'W3'].includes(w)) fail(`--only: unknown workload ${w}`);

const CALIBRATION_DEPTH = 2;

/** Timed runs: 3 by default, fewer when one run is long; the CPU reference runs once. */
function repsFor(peer: PeerName, predictedMs: number): number {
  if (peer === 'cpu') return 1;
  if (repsOverride !== null) return repsOverride;
  if (quick) return 1;
  if (predictedMs > 40_000) return 1;
  if (predictedMs > 15_000) return 2;
  return 3;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const log = (s: string): void => console.log(s);
const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined || !Number.isFinite(ms)
    ? '—'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
const fmtBytes = (b: number): string =>
  b >= 2 ** 30
    ? `${(b / 2 ** 30).toFixed(2)} GiB`
    : b >= 2 ** 20
      ? `${(b / 2 ** 20).toFixed(1)} MiB`
      : `${(b / 1024).toFixed(1)} KiB`;
const PEER_LABEL: Record<PeerName, string> = {
  gpu: 'GPU engine',
  fast: 'fast CPU engine',
  cpu: 'CPU reference',
  tfjs: 'tfjs WebGPU',
};

// ---------------------------------------------------------------------------------------------
// Page plumbing

function startServer(): Promise<{ server: ViteDevServer; url: string }> {
  return startDevServer({
    // The repo and ../shared (the data sets) may be served.
    allow: [sharedDir],
    warmup: ['bench/bench.ts', 'src/main.tsx'],
    optimizeDeps: {
      // The lecture page too (index.html), for the latency benchmark.
      entries: ['bench/bench.html', 'index.html'],
      include: [
        '@tensorflow/tfjs-core',
        '@tensorflow/tfjs-core/dist/register_all_gradients',
        '@tensorflow/tfjs-backend-webgpu',
      ],
    },
  });
}

async function openBench(browser: Browser, baseUrl: string): Promise<Page> {
  const page = await browser.newPage();
  forwardPageErrors(page, 'bench');
  let loadError: Error | undefined;
  page.on('pageerror', (err) => (loadError ??= err));
  await page.goto(new URL('/bench/bench.html', baseUrl).href, { waitUntil: 'load', timeout: 120_000 });
  const deadline = Date.now() + 120_000;
  for (;;) {
    let ready = false;
    try {
      ready = await page.evaluate(() => window.benchReady === true);
    } catch (err) {
      // The dev server may reload the page once (late dependency optimization): poll again.
      if (!/context was destroyed|navigat/i.test(String(err))) throw err;
    }
    if (ready) return page;
    if (loadError) throw new Error(`bench page failed to load: ${loadError.stack ?? loadError.message}`);
    if (Date.now() > deadline) throw new Error('bench page not ready after 120 s');
    await page.waitForTimeout(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring one peer

interface PeerReport extends PeerResult {
  /** The calibration / warm-up run at a small depth. */
  calibration: { depth: number; ms: number } | null;
  fullDepth: number;
  /** The median time of a run at full depth: measured, or extrapolated from `depth`. */
  estimatedFullMs: number;
  extrapolated: boolean;
  /** Engine only: dominant-op flops of one run at the measured depth, and the rate achieved. */
  flopsAtDepth: number;
  gflops: number;
}

function failedPeer(workload: WorkloadName, peer: PeerName, depth: number, error: string): PeerReport {
  return {
    workload,
    peer,
    depth,
    timesMs: [],
    warmupMs: [],
    medianMs: NaN,
    seedsUsed: [],
    computedLayers: [],
    layers: {
      effectiveRank: [],
      mu: [],
      meanCosine: [],
      dirichlet: [],
      attentionSimilarity: [],
      frobenius: [],
      nonFinite: [],
    },
    firstNonFinite: null,
    warnings: [],
    largestBufferBytes: null,
    largestBufferLabel: null,
    method: '',
    notes: [],
    error,
    calibration: null,
    fullDepth: depth,
    estimatedFullMs: NaN,
    extrapolated: false,
    flopsAtDepth: 0,
    gflops: NaN,
  };
}

async function measurePeer(
  page: Page,
  info: WorkloadInfo,
  peer: PeerName,
  recover: () => Promise<Page>,
): Promise<{ page: Page; report: PeerReport }> {
  const L = info.depth;
  const workload = info.workload;
  const label = PEER_LABEL[peer];
  const started = performance.now();
  let report: PeerReport;
  try {
    const calDepth = Math.min(L, CALIBRATION_DEPTH);
    const cal = await page.evaluate((a) => window.bench.runPeer(a), {
      workload,
      peer,
      warmup: 1,
      reps: 0,
      depth: calDepth,
    });
    if (cal.error) throw new Error(cal.error);
    const calMs = cal.warmupMs[0]!;
    // The calibration includes compilation and first allocations, so this per-layer cost errs high.
    const perLayer = calMs / calDepth;
    const mustBeFull = full || (workload === 'W3' && peer === 'gpu');
    let depth = L;
    while (!mustBeFull && depth > 1 && perLayer * depth > maxRunMs) depth = Math.ceil(depth / 2);
    const reps = repsFor(peer, perLayer * depth);
    if (depth < L)
      log(
        `  ${label}: calibration run (L=${calDepth}) took ${fmtMs(calMs)}; a full run (L=${L}) would take about ${fmtMs(perLayer * L)}: timing at L'=${depth} and extrapolating`,
      );
    const res = await page.evaluate((a) => window.bench.runPeer(a), {
      workload,
      peer,
      warmup: 0,
      reps,
      depth,
    });
    const config = { ...(info.config as EngineConfig), depth };
    const flopsAtDepth = totalFlops(
      countFlops({ config, n: info.n, inputDim: info.inputDim, nnzProp: info.nnzProp }),
    );
    report = {
      ...res,
      warmupMs: cal.warmupMs,
      largestBufferBytes:
        res.largestBufferBytes === null && cal.largestBufferBytes === null
          ? null
          : Math.max(res.largestBufferBytes ?? 0, cal.largestBufferBytes ?? 0),
      largestBufferLabel:
        (cal.largestBufferBytes ?? 0) > (res.largestBufferBytes ?? 0)
          ? cal.largestBufferLabel
          : res.largestBufferLabel,
      calibration: { depth: calDepth, ms: calMs },
      fullDepth: L,
      estimatedFullMs: (res.medianMs * L) / depth,
      extrapolated: depth < L,
      flopsAtDepth,
      gflops: flopsAtDepth / (res.medianMs * 1e6),
    };
  } catch (err) {
    report = failedPeer(workload, peer, L, err instanceof Error ? err.message : String(err));
    page = await recover();
  }
  if (report.error) {
    log(`  ${label}: FAILED: ${report.error}`);
    return { page, report };
  }
  const last = report.layers.effectiveRank.length - 1;
  log(
    `  ${label}: median ${fmtMs(report.medianMs)} over ${report.timesMs.length} run(s) at L=${report.depth} [${report.timesMs.map(fmtMs).join(', ')}]` +
      (report.extrapolated ? ` → ~${fmtMs(report.estimatedFullMs)} at L=${L} (extrapolated)` : '') +
      `; layer ${last}: effective rank ${report.layers.effectiveRank[last]?.toFixed(3)}, μ ${report.layers.mu[last]?.toExponential(3)}` +
      (report.firstNonFinite !== null ? `; NON-FINITE from layer ${report.firstNonFinite}` : '') +
      ` (${fmtMs(performance.now() - started)} with calibration)`,
  );
  // The GPU engine counts layer 0 among the computed layers, the CPU reference does not: accept both.
  if (peer !== 'tfjs' && report.computedLayers.some((c) => c < report.depth))
    log(
      `  WARNING: ${label} computed ${report.computedLayers.join(', ')} layers per run at L=${report.depth}: a cache answered part of a run`,
    );
  return { page, report };
}

// ---------------------------------------------------------------------------------------------
// Cross-checks

interface Agreement {
  peers: string;
  /** The last layer both runs computed. */
  layer: number;
  effectiveRank: [number, number];
  tolerance: number;
  ok: boolean;
  /** Largest |Δ effective rank| over the common layers, and where. */
  maxLayerDiff: number;
  maxLayerDiffAt: number;
}

/** Loose: the peers compute the same mathematics but round differently (float32 vs float64, other orders), over many layers. */
function rankTolerance(ref: number): number {
  return Math.max(0.5, 0.1 * Math.abs(ref));
}

function agreement(a: PeerResult, b: PeerResult, names: string): Agreement | null {
  const common = Math.min(a.layers.effectiveRank.length, b.layers.effectiveRank.length);
  if (common === 0) return null;
  const ra = a.layers.effectiveRank;
  const rb = b.layers.effectiveRank;
  const last = common - 1;
  let maxLayerDiff = 0;
  let maxLayerDiffAt = 0;
  for (let l = 0; l < common; l++) {
    const diff = Math.abs(ra[l]! - rb[l]!);
    if (!(diff <= maxLayerDiff)) {
      maxLayerDiff = diff;
      maxLayerDiffAt = l;
    }
  }
  const tol = rankTolerance(ra[last]!);
  return {
    peers: names,
    layer: last,
    effectiveRank: [ra[last]!, rb[last]!],
    tolerance: tol,
    ok: Math.abs(ra[last]! - rb[last]!) <= tol,
    maxLayerDiff,
    maxLayerDiffAt,
  };
}

// ---------------------------------------------------------------------------------------------
// The run

interface WorkloadReport {
  info: WorkloadInfo;
  peers: Partial<Record<PeerName, PeerReport>>;
  plainMatmul: PlainMatmulResult | { error: string } | null;
  /** Peer time / engine time at full depth (either side possibly extrapolated). */
  ratioCpu: number | null;
  /** CPU reference time over the fast CPU engine's, in the same run. */
  ratioFast: number | null;
  ratioTfjs: number | null;
  /** Largest GPU buffer the engine created vs. the size of one N×N float32 matrix. */
  allocation: { largestBytes: number | null; largestLabel: string | null; n2Bytes: number } | null;
  agreement: Agreement[];
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  // Other work on the machine inflates every timing (software WebGPU uses all the cores it gets).
  const loadBefore = loadavg()[0]!;
  const cores = cpus().length;
  if (loadBefore > 0.5)
    log(
      `NOTE: the machine is busy before the bench starts (1-minute load average ${loadBefore.toFixed(2)} on ${cores} CPUs): timings may be inflated.`,
    );
  const coraJson = existsSync(coraPath) ? readFileSync(coraPath, 'utf8') : null;
  if (!coraJson)
    log(
      `NOTE: ${coraPath} not found: W1 runs on a generated random graph of 2,708 nodes (average degree 4) instead.`,
    );
  const { server, url } = await startServer();
  let browser: Browser | undefined;
  const reports: WorkloadReport[] = [];
  let pageInfo: PageInfo | null = null;
  let latency: LatencyResult[] | null = null;
  let training: TrainReport | null = null;
  let host: HostSolveResult | null = null;
  let browserVersion = '';
  try {
    browser = await launchChromium();
    browserVersion = browser.version();
    let page = await openBench(browser, url);
    pageInfo = await page.evaluate(() => window.bench.info());
    const ad = pageInfo.adapter;
    log(
      `Chromium ${browserVersion}, ${pageInfo.hardwareConcurrency} CPU threads; WebGPU adapter: ` +
        (ad
          ? `vendor "${ad.vendor}", architecture "${ad.architecture}"${ad.description ? ` (${ad.description})` : ''}`
          : 'NONE'),
    );
    log(
      `options: ${quick ? 'quick' : 'default'}${full ? ', full depth always' : `, extrapolate runs over ${maxRunMs / 1000} s`}` +
        `${skipGpu ? ', no GPU engine' : ''}${skipCpu ? ', no CPU peer' : ''}${skipTfjs ? ', no tfjs peer' : ''}${depthOverride ? `, L overridden to ${depthOverride}` : ''}`,
    );
    if (!ad && !skipGpu) throw new Error('this Chromium offers no WebGPU adapter: nothing to benchmark');

    for (const name of only) {
      const prepareArgs = { workload: name, coraJson: name === 'W1' ? coraJson : null, depth: depthOverride };
      const recover = async (): Promise<Page> => {
        try {
          if (!page.isClosed() && (await page.evaluate(() => window.benchReady === true))) return page;
        } catch {
          /* crashed: reopen below */
        }
        log('  (the page crashed or closed: reopening it)');
        page = await openBench(browser!, url);
        await page.evaluate((a) => window.bench.prepare(a), prepareArgs);
        return page;
      };
      const info = await page.evaluate((a) => window.bench.prepare(a), prepareArgs);
      log(`\n${info.title}`);
      log(`  data: ${info.dataNote}`);
      log(
        `  N = ${info.n}, d_in = ${info.inputDim}, d = ${info.hidden}, L = ${info.depth}, nnz(A) = ${info.nnzA}, ` +
          `features: '${info.features}'; ${(info.totalFlops / 1e9).toFixed(2)} GFLOP (dominant ops) per full run`,
      );
      const report: WorkloadReport = {
        info,
        peers: {},
        plainMatmul: null,
        ratioCpu: null,
        ratioFast: null,
        ratioTfjs: null,
        allocation: null,
        agreement: [],
      };
      const peers: PeerName[] = skipGpu ? [] : ['gpu'];
      if (!skipTfjs && (name !== 'W3' || tfjsW3)) peers.push('tfjs');
      if (!flag('skip-fast')) peers.push('fast');
      if (!skipCpu) peers.push('cpu');
      for (const peer of peers) {
        const r = await measurePeer(page, info, peer, recover);
        page = r.page;
        report.peers[peer] = r.report;
      }

      // The plain tiled matmul of the attention-scale product (N×d)·(d×N); for W3, where an
      // N×N output is out of the question, the layer's own product (N×d)·(d×d).
      const mm =
        name === 'W3'
          ? { m: info.n, k: info.hidden, n: info.hidden }
          : { m: info.n, k: info.hidden, n: info.n };
      if (!skipGpu)
        try {
          const pm = await page.evaluate((a) => window.bench.matmul(a), {
            ...mm,
            reps: quick ? 1 : 5,
            budgetMs: 20_000,
          });
          report.plainMatmul = pm;
          log(
            `  plain 16×16 tiled WGSL matmul (${mm.m}×${mm.k})·(${mm.k}×${mm.n}): median ${fmtMs(pm.medianMs)} over ${pm.timesMs.length} run(s), ` +
              `${pm.gflops.toFixed(3)} GFLOP/s (largest sampled |error| ${pm.maxSampleError.toExponential(1)})`,
          );
        } catch (err) {
          report.plainMatmul = { error: String(err) };
          log(`  plain matmul FAILED: ${String(err)}`);
          page = await recover();
        }

      const gpu = report.peers.gpu;
      const ok = (p?: PeerReport): p is PeerReport => !!p && !p.error && Number.isFinite(p.estimatedFullMs);
      {
        const fast = report.peers.fast;
        const cpu = report.peers.cpu;
        report.ratioFast = ok(fast) && ok(cpu) ? cpu.estimatedFullMs / fast.estimatedFullMs : null;
        if (report.ratioFast !== null)
          log(`  fast CPU engine: ${report.ratioFast.toFixed(1)}× the float64 reference`);
      }
      if (ok(gpu)) {
        const cpu = report.peers.cpu;
        const tfjs = report.peers.tfjs;
        report.ratioCpu = ok(cpu) ? cpu.estimatedFullMs / gpu.estimatedFullMs : null;
        report.ratioTfjs = ok(tfjs) ? tfjs.estimatedFullMs / gpu.estimatedFullMs : null;
        log(
          `  engine: ${gpu.gflops.toFixed(3)} GFLOP/s (${(gpu.flopsAtDepth / 1e9).toFixed(2)} GFLOP at L=${gpu.depth} in ${fmtMs(gpu.medianMs)})`,
        );
        report.allocation = {
          largestBytes: gpu.largestBufferBytes,
          largestLabel: gpu.largestBufferLabel,
          n2Bytes: info.n * info.n * 4,
        };
        log(
          `  largest GPU buffer the engine created: ${fmtBytes(report.allocation.largestBytes ?? 0)}` +
            `${report.allocation.largestLabel ? ` ("${report.allocation.largestLabel}")` : ''}; one N×N float32 matrix: ${fmtBytes(report.allocation.n2Bytes)}`,
        );
      }
      for (const [peer, label] of [
        ['tfjs', 'GPU engine vs tfjs'],
        ['cpu', 'GPU engine vs CPU reference'],
        ['fast', 'GPU engine vs fast CPU engine'],
      ] as const) {
        const other = report.peers[peer];
        if (!ok(gpu) || !ok(other)) continue;
        const a = agreement(gpu, other, label);
        if (!a) continue;
        report.agreement.push(a);
        const msg =
          `${label}: effective rank at layer ${a.layer} ${a.effectiveRank[0].toFixed(3)} vs ${a.effectiveRank[1].toFixed(3)} ` +
          `(tolerance ±${a.tolerance.toFixed(2)}; largest difference over layers 0..${a.layer}: ${a.maxLayerDiff.toFixed(3)} at layer ${a.maxLayerDiffAt})`;
        log(a.ok ? `  agree: ${msg}` : `  WARNING: the peers disagree: ${msg}`);
      }
      // The fast engine against the float64 oracle directly (the only check when the GPU is skipped).
      if (ok(report.peers.cpu) && ok(report.peers.fast)) {
        const a = agreement(report.peers.cpu, report.peers.fast, 'CPU reference vs fast CPU engine');
        if (a) {
          report.agreement.push(a);
          const msg =
            `${a.peers}: effective rank at layer ${a.layer} ${a.effectiveRank[0].toFixed(3)} vs ${a.effectiveRank[1].toFixed(3)} ` +
            `(tolerance ±${a.tolerance.toFixed(2)}; largest difference over layers 0..${a.layer}: ${a.maxLayerDiff.toFixed(3)} at layer ${a.maxLayerDiffAt})`;
          log(a.ok ? `  agree: ${msg}` : `  WARNING: the peers disagree: ${msg}`);
        }
      }
      reports.push(report);
      await page.evaluate(() => window.bench.release());
    }
    if (runHost) {
      const reps = quick ? 3 : 7;
      host = await page.evaluate((a) => window.bench.hostSolve(a), { layers: 16, width: 64, reps });
      log(
        `\nHost finishing of a ${host.layers}-layer group at d = ${host.width} (spectra and projection axes, float64, ` +
          `JIT warmed): ${host.inlineMs.toFixed(1)} ms on one thread, ${host.sharedMs.toFixed(1)} ms shared with ` +
          `${host.threads} solver thread(s): ${(host.inlineMs / host.sharedMs).toFixed(2)}× ` +
          `(${host.remoteLayers} of ${host.layers * reps} layers solved on the threads)`,
      );
    }
    if (runTrain) {
      try {
        training = await runTrainBench(page, { coraJson, quick, full, maxRunMs, skipTfjs, timedEpochs, log });
      } catch (err) {
        // A crashed page (e.g. out of memory) costs the training table, not the rest of the results.
        log(`  training FAILED: ${String(err)}`);
        if (page.isClosed() || !(await page.evaluate(() => window.benchReady === true).catch(() => false)))
          page = await openBench(browser, url);
      }
    }
    // The lecture page gets the adapter to itself.
    await page.close();
    if (runLatencyBench) {
      // The built page, as users get it (unless --latency-dev): the dev server transforms every
      // module on a fresh page's first visit, which is not what a lecture hall sees.
      const site = flag('latency-dev') ? null : await serveBuiltSite();
      if (site) log(`\nPage latency on the built page (vite build + vite preview at ${site.url})`);
      try {
        latency = await runLatency(browser, site?.url ?? url, {
          log,
          stepMs: latencyStepMs,
          timeoutMs: latencyTimeoutMs,
          layers: depthOverride,
        });
      } finally {
        await site?.close();
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }

  // -------------------------------------------------------------------------------------------
  // Table, targets, results.json

  const cell = (p: PeerReport | undefined): string => {
    if (!p) return 'skipped';
    if (p.error) return 'failed';
    return p.extrapolated ? `~${fmtMs(p.estimatedFullMs)} (L'=${p.depth})` : fmtMs(p.estimatedFullMs);
  };
  const rows = reports.map((r) => {
    const g = r.peers.gpu;
    return [
      r.info.workload,
      cell(g),
      cell(r.peers.fast),
      cell(r.peers.cpu),
      r.ratioCpu !== null ? `${r.ratioCpu.toFixed(2)}×` : '—',
      r.ratioFast !== null ? `${r.ratioFast.toFixed(1)}×` : '—',
      cell(r.peers.tfjs),
      r.ratioTfjs !== null ? `${r.ratioTfjs.toFixed(2)}×` : '—',
      g && !g.error ? g.gflops.toFixed(3) : '—',
      r.plainMatmul && 'gflops' in r.plainMatmul ? r.plainMatmul.gflops.toFixed(3) : '—',
    ];
  });
  const header = [
    'workload',
    'engine',
    'fast CPU',
    'CPU ref',
    'CPU/engine',
    'CPU ref/fast',
    'tfjs',
    'tfjs/engine',
    'engine GFLOP/s',
    'plain matmul GFLOP/s',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const ad = pageInfo?.adapter;
  log(
    `\nAdapter: vendor "${ad?.vendor ?? '?'}", architecture "${ad?.architecture ?? '?'}"; ${startedAt.toISOString()}`,
  );
  if (reports.length) {
    log(line(header));
    log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    rows.forEach((r) => log(line(r)));
    log(
      'Times: median wall time of one full recompute (all layers, all metrics at every layer), weights seed alternated between runs.',
    );
    log(
      "~: measured at the reduced depth L' and extrapolated linearly to the workload's L (see the header of bench/run.ts).",
    );
    log(
      'Ratios: peer time / engine time (>1: the engine is faster). GFLOP/s: dominant-op flops (bench/flops.ts) / engine time;',
    );
    log('plain matmul: a 16×16 tiled WGSL matmul of (N×d)·(d×N), for W3 (N×d)·(d×d), on the same adapter.');
  }
  if (training) {
    log('');
    trainTable(training).forEach((l) => log(l));
  }
  if (latency) {
    log('\nPage latency (slider input → first frame showing its result):');
    latencyTable(latency).forEach((l) => log(l));
    log(
      `Over a drag of ${latency[0]?.mouseSteps ?? 0} mouse moves, one every ${latencyStepMs} ms; median and p95 over the inputs that got their own frame` +
        ' (the page is latest-wins); longest task: the longest main-thread task (longtask API, ≥ 50 ms) during the drag.',
    );
  }

  interface Target {
    target: string;
    status: 'met' | 'not met' | 'not measured';
    detail: string;
  }
  const targets: Target[] = [];
  const depthNote =
    depthOverride !== null ? ` (L overridden to ${depthOverride}: not the target configuration)` : '';
  for (const name of ['W1', 'W2'] as const) {
    const r = reports.find((x) => x.info.workload === name);
    for (const [which, want] of [
      ['tfjs', 3],
      ['cpu', 30],
    ] as const) {
      const ratio = which === 'tfjs' ? r?.ratioTfjs : r?.ratioCpu;
      const target = `${name}: ≥${want}× faster than ${which === 'tfjs' ? 'TensorFlow.js WebGPU' : 'the CPU reference'}`;
      if (ratio === null || ratio === undefined) {
        targets.push({
          target,
          status: 'not measured',
          detail: r ? 'peer skipped or failed' : `${name} not run`,
        });
        continue;
      }
      const extrapolated = !!(r!.peers.gpu?.extrapolated || r!.peers[which]?.extrapolated);
      targets.push({
        target,
        status: ratio >= want ? 'met' : 'not met',
        detail: `${ratio.toFixed(2)}×${extrapolated ? ' (from extrapolated times)' : ''}${depthNote}`,
      });
    }
  }
  for (const name of ['W1', 'W2'] as const) {
    const r = reports.find((x) => x.info.workload === name);
    const target = `${name}: fast CPU engine ≥10× faster than the CPU reference`;
    if (!r || r.ratioFast === null) {
      targets.push({
        target,
        status: 'not measured',
        detail: r ? 'peer skipped or failed' : `${name} not run`,
      });
      continue;
    }
    const extrapolated = !!(r.peers.fast?.extrapolated || r.peers.cpu?.extrapolated);
    targets.push({
      target,
      status: r.ratioFast >= 10 ? 'met' : 'not met',
      detail: `${r.ratioFast.toFixed(2)}×${extrapolated ? ' (from extrapolated times)' : ''}${depthNote}`,
    });
  }
  const w3 = reports.find((x) => x.info.workload === 'W3');
  if (w3) {
    const g = w3.peers.gpu;
    const completed =
      !!g &&
      !g.error &&
      !g.extrapolated &&
      g.firstNonFinite === null &&
      g.layers.effectiveRank.length === w3.info.depth + 1;
    targets.push({
      target: `W3: completes (N = ${w3.info.n}, L = ${w3.info.depth})`,
      status: completed ? 'met' : 'not met',
      detail:
        !g || g.error
          ? (g?.error ?? 'not run')
          : `${fmtMs(g.medianMs)} per run${g.firstNonFinite !== null ? `, non-finite from layer ${g.firstNonFinite}` : ''}${depthNote}`,
    });
    const alloc = w3.allocation;
    targets.push({
      target: 'W3: no N² allocation',
      status:
        alloc && alloc.largestBytes !== null
          ? alloc.largestBytes < alloc.n2Bytes
            ? 'met'
            : 'not met'
          : 'not measured',
      detail: alloc
        ? `largest GPU buffer ${fmtBytes(alloc.largestBytes ?? 0)} vs N²·4 B = ${fmtBytes(alloc.n2Bytes)}`
        : 'the engine failed',
    });
  } else {
    targets.push({ target: 'W3: completes, no N² allocation', status: 'not measured', detail: 'W3 not run' });
  }
  if (only.length) {
    log('\nTargets:');
    for (const t of targets) log(`  [${t.status.toUpperCase()}] ${t.target}: ${t.detail}`);
  }
  const disagreements = reports.flatMap((r) =>
    r.agreement.filter((a) => !a.ok).map((a) => `${r.info.workload} ${a.peers}`),
  );
  if (disagreements.length) log(`\nWARNING: effective ranks disagree: ${disagreements.join('; ')}`);

  const results = {
    date: startedAt.toISOString(),
    durationS: (performance.now() - t0) / 1000,
    machine: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      chromium: browserVersion,
    },
    adapter: pageInfo?.adapter ?? null,
    page: pageInfo,
    options: {
      quick,
      full,
      maxRunS: maxRunMs / 1000,
      skipGpu,
      skipCpu,
      skipTfjs,
      tfjsW3,
      only,
      latency: runLatencyBench,
      train: runTrain,
      latencyStepMs,
      depthOverride,
      repsOverride,
    },
    workloads: reports,
    targets,
    latency,
    training,
    hostSolve: host,
  };
  writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  log(`\nwrote ${resultsPath} (${((performance.now() - t0) / 1000).toFixed(0)} s in all)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
