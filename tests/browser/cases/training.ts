// Training-kernel cases: each backward kernel of src/training/gpu runs on seeded inputs
// of awkward shape, and its gradient is checked against central finite differences of the
// float64 forward (src/engine/reference/ops.ts): for a random projection loss L = ⟨f(X), R⟩ and a
// random direction V, ⟨∂L/∂X_gpu, V⟩ against (L(X + εV) − L(X − εV)) / 2ε. The test files state
// and assert the tolerances. Inputs are rounded to float32 first, so both sides see one X.
import { acquireGpu, type GpuContext } from '../../../src/engine/gpu/device';
import { propagationCsr } from '../../../src/engine/gpu/graphBuffers';
import { Rng } from '../../../src/math/random';
import * as ref from '../../../src/engine/reference/ops';
import type { Activation, Adjacency, DatasetSpec, NormConfig } from '../../../src/engine/types';
import { BufferSet, submitAndRead } from '../../../src/training/gpu/buffers';
import { buildTrainerPipelines, LOSS_CHUNK, type TrainerKernelName } from '../../../src/training/gpu/kernels';
import { GpuNetwork, transposedPropagationCsr } from '../../../src/training/gpu/network';
import {
  encodeNormBackward,
  encodeNormForward,
  tapeNeeds,
  type NormTape,
} from '../../../src/training/gpu/norms';
import { TrainRecorder } from '../../../src/training/gpu/recorder';
import { transposedPattern } from '../../../src/training/gpu/variants';
import { createGpuTrainer, normAndMu } from '../../../src/training/gpu/trainer';
import { prepareTrainingData } from '../../../src/training/data';
import { dropoutKey, dropoutMask, dropoutThreshold, initTrainingWeights } from '../../../src/training/model';
import { adamStep, createAdamState } from '../../../src/training/reference/adam';
import { backward, forward } from '../../../src/training/reference/network';
import { softmaxCrossEntropy } from '../../../src/training/reference/loss';
import { gradientStats, layerStats } from '../../../src/training/reference/gradients';
import { trainReference } from '../../../src/training/reference/trainer';
import type { TrainConfig } from '../../../src/training/types';
import { makeGraph, type GraphRecipe } from './kernels';

interface Env {
  ctx: GpuContext;
  pipelines: Record<TrainerKernelName, GPUComputePipeline>;
}
let envP: Promise<Env> | null = null;
function env(): Promise<Env> {
  envP ??= (async () => {
    const ctx = await acquireGpu();
    return { ctx, pipelines: await buildTrainerPipelines(ctx.device) };
  })();
  return envP;
}

async function session() {
  const { ctx, pipelines } = await env();
  const rec = new TrainRecorder(ctx, pipelines);
  const bufs = new BufferSet(ctx.device);
  const f32 = (x: ArrayLike<number>) => bufs.upload(Float32Array.from(x));
  const read = async (...ranges: { buffer: GPUBuffer; floats: number }[]) =>
    submitAndRead(
      ctx.device,
      rec,
      ranges.map((r) => ({ ...r, offsetFloats: 0 })),
    );
  return { ctx, rec, bufs, f32, read };
}

function gaussian(count: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed, 5150);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * rng.normal();
  return out;
}

/** Float32 rounding, so that the GPU and the float64 reference start from identical numbers. */
const round32 = (x: Float64Array): Float64Array => Float64Array.from(Float32Array.from(x));

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Directional checks of `grad` (∂⟨f(x), r⟩/∂x from the GPU) against central differences of the
 * float64 `f` in `probes` random directions V ~ N(0, I). Per probe: err = |⟨grad, V⟩ − fd| less
 * the float64 rounding floor of the difference quotient (1e-15·Σ|f(x)_i r_i|/ε), relative to
 * ‖grad‖₂: for an error vector e in grad, ⟨e, V⟩ has standard deviation ‖e‖₂, so the figure
 * estimates ‖e‖/‖grad‖, the relative error of the whole gradient.
 */
export interface FdFigures {
  worstRel: number;
  worstErr: number;
  worstScale: number;
  floor: number;
  probes: number;
  nonFinite: number;
}

function fdCheck(
  f: (x: Float64Array) => Float64Array,
  x: Float64Array,
  r: Float64Array,
  grad: ArrayLike<number>,
  seed: number,
  probes = 3,
  eps = 1e-6,
): FdFigures {
  let worstRel = 0;
  let worstErr = 0;
  let worstScale = 0;
  let nonFinite = 0;
  const base = f(x);
  let mag = 0;
  for (let i = 0; i < base.length; i++) mag += Math.abs(base[i]! * r[i]!);
  const floor = (1e-15 * mag) / eps; // float64 rounding of ⟨f, r⟩ (≈1e-16·mag, 10× margin) over 2ε
  for (let p = 0; p < probes; p++) {
    const v = gaussian(x.length, seed * 31 + p);
    const plus = x.map((xi, i) => xi + eps * v[i]!);
    const minus = x.map((xi, i) => xi - eps * v[i]!);
    const fd = (dot(f(plus), r) - dot(f(minus), r)) / (2 * eps);
    const an = dot(grad, v);
    let scale = 0;
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(grad[i]!)) nonFinite++;
      scale += grad[i]! * grad[i]!;
    }
    scale = Math.sqrt(scale);
    const err = Math.abs(an - fd);
    const rel = Math.max(0, err - floor) / Math.max(scale, 1e-30);
    if (!Number.isFinite(an) || !Number.isFinite(fd)) nonFinite++;
    if (rel >= worstRel) {
      worstRel = rel;
      worstErr = err;
      worstScale = scale;
    }
  }
  return { worstRel, worstErr, worstScale, floor, probes, nonFinite };
}

/** Largest |a − b| against the largest |b|. */
function compare(a: ArrayLike<number>, b: ArrayLike<number>) {
  let maxAbsErr = 0;
  let scale = 0;
  let nonFinite = 0;
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) {
      nonFinite++;
      continue;
    }
    maxAbsErr = Math.max(maxAbsErr, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { maxAbsErr, scale, nonFinite, length: b.length };
}

// ---- dense product ----

export async function trainDenseBackward(args: { n: number; k: number; m: number; seed: number }) {
  const { n, k, m, seed } = args;
  const s = await session();
  const x = round32(gaussian(n * k, seed));
  const w = round32(gaussian(k * m, seed + 1));
  const r = round32(gaussian(n * m, seed + 2));
  const chunks = Math.ceil(n / 256);
  const dW = s.bufs.create(k * m);
  const dX = s.bufs.create(n * k);
  const partials = s.bufs.create(chunks * k * m);
  const [xb, wb, rb] = [s.f32(x), s.f32(w), s.f32(r)];
  const p = { n, k, m, chunks };
  s.rec.dispatch1d('weightPartial', p, { h: xb, g: rb, partials }, chunks * k * Math.ceil(m / 4));
  s.rec.dispatch1d('weightFinalize', p, { partials, out: dW }, k * m);
  s.rec.dispatch1d('matmulNT', { ...p, chunks: 0 }, { w: wb, g: rb, out: dX }, n * Math.ceil(k / 4));
  const [gW, gX] = await s.read({ buffer: dW, floats: k * m }, { buffer: dX, floats: n * k });
  s.bufs.dispose();
  return {
    dW: fdCheck((ww) => ref.matmul(x, n, k, ww, m), w, r, gW!, seed),
    dX: fdCheck((xx) => ref.matmul(xx, n, k, w, m), x, r, gX!, seed + 7),
  };
}

// ---- sparse propagation ----

export async function trainSpmmBackward(args: {
  n: number;
  d: number;
  graph: GraphRecipe;
  adjacency: Adjacency;
  seed: number;
}) {
  const { n, d, adjacency, seed } = args;
  const s = await session();
  const graph = makeGraph(n, args.graph)!;
  const x = round32(gaussian(n * d, seed));
  const r = round32(gaussian(n * d, seed + 1));
  const csr =
    adjacency === 'sym' ? propagationCsr(graph, n, adjacency) : transposedPropagationCsr(graph, n, adjacency);
  const out = s.bufs.create(n * d);
  s.rec.dispatch1d(
    'spmm',
    { n, d },
    {
      rowPtr: s.bufs.upload(csr.rowPtr),
      colIdx: s.bufs.upload(csr.colIdx),
      vals: s.bufs.upload(csr.vals),
      h: s.f32(r),
      out,
    },
    n * d,
  );
  const [g] = await s.read({ buffer: out, floats: n * d });
  s.bufs.dispose();
  return fdCheck((xx) => ref.propagate(graph, xx, n, d, adjacency), x, r, g!, seed);
}

// ---- activation and dropout ----

export async function trainActBackward(args: {
  count: number;
  act: Activation;
  alpha: number;
  seed: number;
}) {
  const { count, act, alpha, seed } = args;
  const s = await session();
  const x = round32(gaussian(count, seed, 2));
  const r = round32(gaussian(count, seed + 1));
  const out = s.bufs.create(count);
  s.rec.dispatch1d(
    'actBackward',
    { count, act: { none: 0, relu: 1, tanh: 2 }[act], alpha },
    { pre: s.f32(x), g: s.f32(r), out },
    count,
  );
  const [g] = await s.read({ buffer: out, floats: count });
  s.bufs.dispose();
  const f = (xx: Float64Array) => ref.activate(xx.slice(), act).map((v) => alpha * v);
  // relu's kink: a probe step crossing 0 would make the difference quotient meaningless there;
  // |x| < 1e-5 has probability ~1e-5 per entry for these inputs, and ε·|V| ≈ 1e-6.
  if (count <= 100_000) return fdCheck(f, x, r, g!, seed);
  // Large (dispatch-folding) case: compare every entry with the float64 derivative instead.
  const expect = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const xi = x[i]!;
    const dv = act === 'relu' ? (xi > 0 ? 1 : 0) : act === 'tanh' ? 1 - Math.tanh(xi) ** 2 : 1;
    expect[i] = alpha * r[i]! * dv;
  }
  return { elementwise: compare(g!, expect) };
}

/**
 * dropout.wgsl against src/training/model.ts: the mask drawn in the shader from (key, threshold)
 * must be dropoutMask's entry for entry (counted as `maskMismatches`), and m·x + β·y elementwise.
 */
export async function trainDropout(args: { count: number; p: number; beta: number; seed: number }) {
  const { count, p, beta, seed } = args;
  const s = await session();
  const x = round32(gaussian(count, seed));
  const y = round32(gaussian(count, seed + 1));
  const epoch = 3;
  const site = 1;
  const key = dropoutKey(seed, epoch, site);
  const { threshold, keep } = dropoutThreshold(p);
  const mask = Float32Array.from(dropoutMask(seed, epoch, site, count, p));
  const out = s.bufs.create(count);
  const drawn = s.bufs.create(count);
  const params = { count, useMask: 1, key, threshold, keep };
  s.rec.dispatch1d('dropout', { ...params, useY: 1, beta }, { x: s.f32(x), y: s.f32(y), out }, count);
  const ones = s.f32(new Float32Array(count).fill(1));
  s.rec.dispatch1d('dropout', { ...params, useY: 0, beta: 0 }, { x: ones, y: ones, out: drawn }, count);
  const [g, m] = await s.read({ buffer: out, floats: count }, { buffer: drawn, floats: count });
  s.bufs.dispose();
  const expect = x.map((xi, i) => xi * mask[i]! + beta * y[i]!);
  let dropped = 0;
  let maskMismatches = 0;
  for (let i = 0; i < count; i++) {
    if (mask[i] === 0) dropped++;
    if (m![i] !== mask[i]) maskMismatches++;
  }
  return { ...compare(g!, expect), dropped, maskMismatches };
}

// ---- normalizations (LayerNorm, BatchNorm, PairNorm, ContraNorm) ----

export async function trainNormBackward(args: {
  n: number;
  d: number;
  norm: NormConfig;
  graph: GraphRecipe;
  seed: number;
  scale?: number;
}) {
  const { n, d, norm, seed } = args;
  const s = await session();
  const graph = makeGraph(n, args.graph);
  const z = round32(gaussian(n * d, seed, args.scale ?? 1));
  const r = round32(gaussian(n * d, seed + 1));
  const need = tapeNeeds(norm);
  const zb = s.f32(z);
  const tape: NormTape = {
    z: zb,
    nrm: need.nrm ? s.bufs.create(n * d) : zb,
    u: need.u ? s.bufs.create(n * d) : need.contra ? zb : null,
    sz: need.contra ? s.bufs.create(n * d) : null,
    stats: need.contra ? s.bufs.create(n * 4) : null,
    colStats: need.col ? s.bufs.create(2 * d + 1) : null,
  };
  const scratch = {
    s: Array.from({ length: 6 }, () => s.bufs.create(n * d)),
    colPartials: s.bufs.create(Math.ceil(n / 256) * d * 2),
    gColStats: s.bufs.create(2 * d + 1),
    graph: graph
      ? { rowPtr: s.bufs.upload(graph.rowPtr), colIdx: s.bufs.upload(graph.colIdx) }
      : { rowPtr: s.bufs.upload(new Uint32Array(n + 1)), colIdx: s.bufs.create(4) },
    graphT: graph
      ? uploadPattern(s.bufs, transposedPattern(graph.rowPtr, graph.colIdx, n))
      : { rowPtr: s.bufs.upload(new Uint32Array(n + 1)), colIdx: s.bufs.create(4) },
  };
  encodeNormForward(s.rec, n, d, norm, tape, scratch);
  const g = scratch.s[0]!;
  s.bufs.write(g, Float32Array.from(r));
  const out = encodeNormBackward(s.rec, n, d, norm, tape, g, scratch);
  const [fwd, grad] = await s.read({ buffer: tape.nrm, floats: n * d }, { buffer: out, floats: n * d });
  s.bufs.dispose();
  const f = (zz: Float64Array) => ref.normalize(zz, n, d, norm, graph);
  return { forward: compare(fwd!, f(z)), fd: fdCheck(f, z, r, grad!, seed) };
}

// ---- read-out loss ----

export async function trainCrossEntropy(args: {
  n: number;
  classes: number;
  trainEvery: number;
  seed: number;
}) {
  const { n, classes, trainEvery, seed } = args;
  const s = await session();
  const logits = round32(gaussian(n * classes, seed, 3));
  const rng = new Rng(seed, 3);
  const labels = new Int32Array(n).map(() => rng.int(classes));
  const role = new Uint32Array(n).map((_, i) => (i % trainEvery === 0 ? 1 : 1 + (i % 3)));
  const train = Uint32Array.from(Array.from(role.keys()).filter((i) => role[i] === 1));
  const chunks = Math.ceil(n / LOSS_CHUNK);
  const p = { n, classes, chunks, invTrain: 1 / train.length };
  const grad = s.bufs.create(n * classes);
  const rowOut = s.bufs.create(n * 4);
  const partials = s.bufs.create(chunks * 4);
  const totals = s.bufs.create(4);
  s.rec.dispatch1d(
    'crossEntropyRows',
    p,
    { logits: s.f32(logits), labels: s.bufs.upload(labels), role: s.bufs.upload(role), grad, rowOut },
    n,
  );
  s.rec.dispatch1d('crossEntropySumPartial', p, { rowOut, partials }, chunks * 4);
  s.rec.dispatch('crossEntropySumFinalize', p, { partials, totals }, [1, 1, 1]);
  const [g, t] = await s.read({ buffer: grad, floats: n * classes }, { buffer: totals, floats: 4 });
  s.bufs.dispose();
  const expected = softmaxCrossEntropy(logits, classes, labels, train);
  const correct = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
    if (best === labels[i]) correct[role[i]! - 1]!++;
  }
  const lossOf = (l: Float64Array) => Float64Array.of(softmaxCrossEntropy(l, classes, labels, train).loss);
  return {
    loss: t![0]! / train.length,
    expectedLoss: expected.loss,
    counts: [t![1]!, t![2]!, t![3]!],
    expectedCounts: correct,
    grad: compare(g!, expected.grad),
    fd: fdCheck(lossOf, logits, Float64Array.of(1), g!, seed, 2),
  };
}

// ---- Adam ----

export async function trainAdam(args: {
  count: number;
  steps: number;
  lr: number;
  weightDecay: number;
  seed: number;
}) {
  const { count, steps, lr, weightDecay, seed } = args;
  const s = await session();
  const w0 = round32(gaussian(count, seed));
  const wb = s.f32(w0);
  const gb = s.bufs.create(count);
  const m = s.bufs.create(count);
  const v = s.bufs.create(count);
  const params = [w0.slice()];
  const state = createAdamState(params);
  for (let t = 1; t <= steps; t++) {
    // Gradients of very different sizes, so that the eps and the bias corrections matter.
    const g = round32(gaussian(count, seed + t, 10 ** ((t % 5) - 3)));
    s.bufs.write(gb, Float32Array.from(g));
    s.rec.dispatch1d(
      'adam',
      {
        count,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay,
        stepSize: lr / (1 - 0.9 ** t),
        invSqrtBc2: 1 / Math.sqrt(1 - 0.999 ** t),
      },
      { w: wb, g: gb, m, v },
      count,
    );
    s.rec.submit();
    adamStep(params, [g], state, { lr, weightDecay });
  }
  const [w] = await s.read({ buffer: wb, floats: count });
  s.bufs.dispose();
  // Compare the displacement w − w0, which is what Adam computes (w0 itself would dominate).
  const moved = Float64Array.from(w!, (wi, i) => wi - w0[i]!);
  const expect = params[0]!.map((wi, i) => wi - w0[i]!);
  return compare(moved, expect);
}

// ---- the whole network ----

export function csbmConfig(over: Partial<TrainConfig> = {}): TrainConfig {
  const dataset: DatasetSpec = {
    kind: 'csbm',
    n: 90,
    classes: 3,
    avgDegree: 4,
    homophily: 0.7,
    featureDim: 12,
    separation: 1.5,
    seed: 4,
  };
  return {
    dataset,
    layers: 3,
    hidden: 8,
    adjacency: 'rw',
    norm: { kind: 'none', s: 0.5, tau: 0.5, variant: 'code', pairnormScale: 1 },
    activation: 'relu',
    residual: 'none',
    alpha: 1,
    dropout: 0,
    lr: 0.01,
    weightDecay: 5e-4,
    epochs: 20,
    seed: 11,
    weights: { init: 'gaussian', gain: 1 },
    featureNorm: 'l1',
    ...over,
  };
}

/**
 * One eval-mode (or dropout-epoch) forward + loss + backward of the GPU network at the initial
 * weights, against the reference trainer's float64 forward/backward: the loss, every weight
 * gradient (elementwise), a finite-difference check of the reference loss in weight space, and
 * the per-layer gradient statistics.
 */
export async function trainNetworkGradients(args: { config: TrainConfig; dropoutEpoch?: number }) {
  const { config } = args;
  const s = await session();
  const data = prepareTrainingData(config);
  const weights = initTrainingWeights(config, data.inDim, data.classes);
  const net = new GpuNetwork(s.rec, s.ctx.device, config, data, weights);
  const totals = net.bufs.create(4);
  const withMasks = args.dropoutEpoch !== undefined;
  net.setDropout(withMasks ? args.dropoutEpoch! : null);
  net.encodeForward();
  net.encodeLoss(totals);
  net.encodeBackward(true);
  const [t, grad, stats] = await s.read(
    { buffer: totals, floats: 4 },
    { buffer: net.grad, floats: net.paramFloats },
    { buffer: net.layerStats, floats: net.layerStats.size / 4 },
  );
  net.dispose();
  s.bufs.dispose();
  const masks = withMasks
    ? weights.dims.map((d, site) =>
        dropoutMask(config.seed, args.dropoutEpoch!, site, data.n * d, config.dropout),
      )
    : null;
  const arch = { ...config };
  // The Lipschitz divisor 1 + α‖W‖₂ is a constant to the backward (a stop-gradient, as in the
  // reference): the finite differences freeze it at the unperturbed weights' norms too.
  // Set once below, after the closure that reads it is made.
  // eslint-disable-next-line prefer-const
  let frozen: number[] | undefined;
  const run = (w: typeof weights) => {
    const fwd = forward(arch, w, data.graph, data.features, data.n, { masks, lipschitzNorms: frozen });
    return { fwd, ...softmaxCrossEntropy(fwd.logits, w.classes, data.labels, data.split.train) };
  };
  const base = run(weights);
  frozen = base.fwd.lipschitzNorms;
  const g = backward(arch, weights, data.graph, data.n, base.fwd, base.grad, 'all');
  const mats = [...weights.layers, weights.out];
  const refGrads = [...g.layers, g.out];
  const perMatrix = refGrads.map((rg, i) =>
    compare(grad!.subarray(net.offsets[i]!, net.offsets[i]! + rg.length), rg),
  );
  // Finite differences of the reference loss along a random direction in weight space.
  const flatGpu = new Float64Array(mats.reduce((a, m) => a + m.length, 0));
  let at = 0;
  mats.forEach((m, i) => {
    flatGpu.set(grad!.subarray(net.offsets[i]!, net.offsets[i]! + m.length), at);
    at += m.length;
  });
  const flatW = new Float64Array(flatGpu.length);
  at = 0;
  mats.forEach((m) => {
    flatW.set(m, at);
    at += m.length;
  });
  const lossAt = (flat: Float64Array) => {
    let o = 0;
    const w = {
      ...weights,
      layers: weights.layers.map((m) => flat.slice(o, (o += m.length))),
      out: new Float64Array(0),
    };
    w.out = flat.slice(o, o + weights.out.length);
    return Float64Array.of(run(w).loss);
  };
  const refStats = layerStats(base.fwd.hs, g.hs ?? [], weights.dims, data.n);
  return {
    loss: t![0]! / data.split.train.length,
    refLoss: base.loss,
    perMatrix,
    fd: fdCheck(lossAt, flatW, Float64Array.of(1), flatGpu, 5, 2, 1e-5),
    refStats,
    gpuNormMu: weights.dims.map((d, l) => {
      const g = normAndMu(stats!.subarray(2 * l * net.statSlot), data.n, d);
      const h = normAndMu(stats!.subarray((2 * l + 1) * net.statSlot), data.n, d);
      return { gradNorm: g.norm, gradMu: g.mu, repMu: h.mu };
    }),
  };
}

/** The GPU trainer and the reference trainer on one configuration: loss curves and timings. */
export async function trainCompareTrainers(args: { config: TrainConfig }) {
  const { ctx } = await env(); // pipelines compiled once per device, before the timing
  const gpu = createGpuTrainer(ctx);
  const stamps = (list: number[]) => () => list.push(performance.now());
  const gpuStamps: number[] = [];
  const refStamps: number[] = [];
  const t0 = performance.now();
  const g = await gpu.train(args.config, stamps(gpuStamps));
  const t1 = performance.now();
  const r = await trainReference(args.config, stamps(refStamps));
  const t2 = performance.now();
  // Steady-state epoch time: between the first and the last progress report.
  const perEpoch = (s: number[]) => (s.length > 1 ? (s[s.length - 1]! - s[0]!) / (s.length - 1) : NaN);
  const gg = await gpu.gradients(args.config);
  const data = prepareTrainingData(args.config);
  const rg = gradientStats(
    args.config,
    data,
    initTrainingWeights(args.config, data.inDim, data.classes),
  ).stats;
  gpu.dispose();
  return {
    gpu: g.epochs,
    ref: r.epochs,
    gpuInitial: g.initialGradients,
    refInitial: r.initialGradients,
    gpuGradients: gg,
    refGradients: rg,
    gpuMs: t1 - t0,
    refMs: t2 - t1,
    gpuEpochMs: perEpoch(gpuStamps),
    refEpochMs: perEpoch(refStamps),
    engine: g.engine,
  };
}

function uploadPattern(
  bufs: BufferSet,
  p: { rowPtr: Uint32Array; colIdx: Uint32Array },
): { rowPtr: GPUBuffer; colIdx: GPUBuffer } {
  return { rowPtr: bufs.upload(p.rowPtr), colIdx: bufs.upload(p.colIdx) };
}
