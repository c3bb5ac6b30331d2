// Kernel-level cases: each runs one GPU kernel (or one LayerEncoder step) on seeded inputs of
// awkward shape and the float64 reference operation on the same inputs, and returns the
// error figures; the test files state and assert the tolerances.
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import { encodeLayerMetrics, layerSumsFromChunks, metricLayout } from '../../../src/engine/gpu/layerMetrics';
import { buildCsr } from '../../../src/data/graph';
import { Rng } from '../../../src/math/random';
import { defaultConfig } from '../../../src/engine/config';
import { finishMetrics } from '../../../src/engine/metrics';
import * as ref from '../../../src/engine/reference/ops';
import { computeLayerSums } from '../../../src/engine/reference/layerSums';
import type { Activation, Adjacency, Dataset, EngineConfig, NormConfig } from '../../../src/engine/types';
import { GpuOps, compare } from '../support/gpuOps';
import { encodeMatmul } from '../../../src/engine/gpu/layers';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

export type GraphRecipe =
  | { kind: 'none' }
  | { kind: 'random'; avgDegree: number; seed: number }
  /** node 0 joined to every other node */
  | { kind: 'star' }
  /** every pair joined: the `mask` variant leaves no entry in any row */
  | { kind: 'complete' }
  /** random edges among the first half; the second half isolated */
  | { kind: 'half-isolated'; avgDegree: number; seed: number }
  | { kind: 'empty' };

export function makeGraph(n: number, recipe: GraphRecipe): Dataset['graph'] | undefined {
  if (recipe.kind === 'none') return undefined;
  const edges: number[] = [];
  if (recipe.kind === 'star') for (let i = 1; i < n; i++) edges.push(0, i);
  if (recipe.kind === 'complete')
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push(i, j);
  if (recipe.kind === 'random' || recipe.kind === 'half-isolated') {
    const span = recipe.kind === 'random' ? n : Math.max(1, Math.floor(n / 2));
    const rng = new Rng(recipe.seed, 77);
    const m = Math.round((span * recipe.avgDegree) / 2);
    for (let e = 0; e < m; e++) edges.push(rng.int(span), rng.int(span));
  }
  return buildCsr(n, new Uint32Array(edges)).graph;
}

function gaussian(count: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed, 4242);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * rng.normal();
  return out;
}

/** Float32 rounding of the inputs, so that both engines start from identical numbers. */
function f32(x: Float64Array): Float64Array {
  return Float64Array.from(Float32Array.from(x));
}

type ErrorFigures = ReturnType<typeof compare>;

export async function kernelMatmul(args: {
  m: number;
  k: number;
  n: number;
  seed: number;
  variant: 'rows' | 'tiled';
}): Promise<ErrorFigures> {
  const ops = new GpuOps(await gpu());
  const a = f32(gaussian(args.m * args.k, args.seed));
  const b = f32(gaussian(args.k * args.n, args.seed + 1));
  const out = ops.buffer(args.m * args.n * 4);
  const ab = ops.upload(Float32Array.from(a));
  const bb = ops.upload(Float32Array.from(b));
  encodeMatmul(ops.rec, ab, bb, out, args.m, args.k, args.n, args.variant);
  const got = await ops.read(out, args.m * args.n);
  ops.dispose();
  return compare(got, ref.matmul(a, args.m, args.k, b, args.n));
}

export async function kernelSpmm(args: {
  n: number;
  d: number;
  graph: GraphRecipe;
  adjacency: Adjacency;
  seed: number;
}): Promise<ErrorFigures & { nnz: number }> {
  const ops = new GpuOps(await gpu());
  const graph = makeGraph(args.n, args.graph)!;
  const x = f32(gaussian(args.n * args.d, args.seed));
  const cfg = defaultConfig();
  const { buffers } = ops.layerEncoder(args.n, args.d, cfg, graph, args.adjacency);
  const h = ops.upload(Float32Array.from(x));
  const out = ops.buffer(args.n * args.d * 4);
  const prop = buffers.prop!;
  ops.rec.dispatch1d(
    'spmm',
    { n: args.n, d: args.d },
    { rowPtr: prop.rowPtr, colIdx: prop.colIdx, vals: prop.vals, h, out },
    args.n * args.d,
  );
  const got = await ops.read(out, args.n * args.d);
  ops.dispose();
  return {
    ...compare(got, ref.propagate(graph, x, args.n, args.d, args.adjacency)),
    nnz: graph.colIdx.length + args.n,
  };
}

/** One normalization step (SPEC §1.3) then an activation, as the engine encodes it. */
export async function kernelNormalize(args: {
  n: number;
  d: number;
  norm: NormConfig;
  activation: Activation;
  graph: GraphRecipe;
  seed: number;
  scale?: number;
  kernelSet?: 'software' | 'hardware';
}): Promise<ErrorFigures> {
  const ops = new GpuOps(await gpu(), args.kernelSet);
  const graph = makeGraph(args.n, args.graph);
  const z = f32(gaussian(args.n * args.d, args.seed, args.scale ?? 1));
  const cfg: EngineConfig = { ...defaultConfig(), norm: args.norm, activation: args.activation };
  const { encoder } = ops.layerEncoder(args.n, args.d, cfg, graph);
  const zb = encoder.take();
  ops.device.queue.writeBuffer(zb, 0, Float32Array.from(z));
  const out = encoder.normalize(zb, args.d, args.activation);
  const got = await ops.read(out, args.n * args.d);
  ops.dispose();
  const want = ref.activate(ref.normalize(z, args.n, args.d, args.norm, graph), args.activation);
  return compare(got, want);
}

/** softmax(scale·Q Kᵀ)·V by the streaming kernel against dense rows, with the row statistics. */
export async function kernelStreamingSoftmax(args: {
  n: number;
  dk: number;
  dv: number;
  scale: number;
  seed: number;
  kernelSet?: 'software' | 'hardware';
  /** A smaller per-dispatch work budget, so that moderate N exercises the row-split dispatches. */
  maxDispatchFlops?: number;
}): Promise<{ out: ErrorFigures; rowNormErr: number }> {
  const ops = new GpuOps(await gpu(), args.kernelSet);
  const { n, dk, dv } = args;
  const q = f32(gaussian(n * dk, args.seed));
  const k = f32(gaussian(n * dk, args.seed + 1));
  const v = f32(gaussian(n * dv, args.seed + 2));
  const { encoder, buffers } = ops.layerEncoder(n, Math.max(dk, dv), defaultConfig());
  const [qb, kb, vb] = [encoder.take(), encoder.take(), encoder.take()];
  ops.device.queue.writeBuffer(qb, 0, Float32Array.from(q));
  ops.device.queue.writeBuffer(kb, 0, Float32Array.from(k));
  ops.device.queue.writeBuffer(vb, 0, Float32Array.from(v));
  const out = encoder.streamingSoftmax(
    qb,
    kb,
    vb,
    dk,
    dv,
    args.scale,
    false,
    true,
    null,
    args.maxDispatchFlops,
  );
  const got = await ops.read(out, n * dv);
  const stats = await ops.read(buffers.stats, n * 4);
  ops.dispose();
  const want = new Float64Array(n * dv);
  const scores = new Float64Array(n);
  let rowNormErr = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < dk; t++) s += q[i * dk + t]! * k[j * dk + t]!;
      scores[j] = s * args.scale;
    }
    ref.softmaxInPlace(scores);
    let sq = 0;
    for (let j = 0; j < n; j++) {
      sq += scores[j]! ** 2;
      for (let t = 0; t < dv; t++) want[i * dv + t] += scores[j]! * v[j * dv + t]!;
    }
    const gpuNorm = Math.sqrt(stats[i * 4 + 2]!) / stats[i * 4 + 1]!; // ‖P_i‖ from (m, l, l2)
    rowNormErr = Math.max(rowNormErr, Math.abs(gpuNorm - Math.sqrt(sq)) / Math.sqrt(sq));
  }
  return { out: compare(got, want), rowNormErr };
}

/** H' = scale·(H + α·Z), the residual and the Lipschitz-bounded residual. */
export async function kernelResidual(args: {
  n: number;
  d: number;
  alpha: number;
  lipschitzNorm: number;
  residual: 'residual' | 'lipschitz';
  seed: number;
}): Promise<ErrorFigures> {
  const ops = new GpuOps(await gpu());
  const h = f32(gaussian(args.n * args.d, args.seed));
  const z = f32(gaussian(args.n * args.d, args.seed + 1));
  const cfg: EngineConfig = { ...defaultConfig(), residual: args.residual, alpha: args.alpha };
  const { encoder } = ops.layerEncoder(args.n, args.d, cfg);
  const hb = encoder.take();
  const zb = encoder.take();
  ops.device.queue.writeBuffer(hb, 0, Float32Array.from(h));
  ops.device.queue.writeBuffer(zb, 0, Float32Array.from(z));
  const out = encoder.residual(hb, zb, args.d, args.lipschitzNorm);
  const got = await ops.read(out, args.n * args.d);
  ops.dispose();
  const scale = args.residual === 'lipschitz' ? 1 / (1 + args.alpha * args.lipschitzNorm) : 1;
  return compare(
    got,
    h.map((v, i) => scale * (v + args.alpha * z[i]!)),
  );
}

/** The layer metrics of an H (with zero rows and a constant block if asked) against the reference sums. */
export async function kernelMetrics(args: {
  n: number;
  d: number;
  graph: GraphRecipe;
  seed: number;
  zeroRows?: number;
  /** add this offset to every entry: rows nearly equal, μ small */
  offset?: number;
  noise?: number;
  centered: boolean;
  variant?: 'rows' | 'tiled';
}) {
  const ops = new GpuOps(await gpu());
  const { n, d } = args;
  const graph = makeGraph(n, args.graph);
  const x = gaussian(n * d, args.seed, args.noise ?? 1).map((v) => v + (args.offset ?? 0));
  for (let r = 0; r < Math.min(args.zeroRows ?? 0, n); r++) x.fill(0, r * d, (r + 1) * d);
  const h = f32(x);
  const { buffers } = ops.layerEncoder(n, d, defaultConfig(), graph);
  const layout = metricLayout(n, d, false, 0);
  const out = ops.buffer(layout.size * 4);
  const hb = ops.upload(Float32Array.from(h));
  encodeLayerMetrics(
    ops.rec,
    hb,
    n,
    d,
    layout,
    {
      rows: ops.buffer(n * 16),
      out,
      graphRowPtr: buffers.graph.rowPtr,
      graphColIdx: buffers.graph.colIdx,
      hasGraph: !!graph,
    },
    args.variant ?? 'auto',
  );
  const data = await ops.read(out, layout.size);
  ops.dispose();
  const g = layerSumsFromChunks(data, layout, n, d, !!graph, args.centered);
  const r = computeLayerSums(h, n, d, { graph, centered: args.centered, attention: null });
  const gm = finishMetrics(g.sums, args.centered);
  const rm = finishMetrics(r, args.centered);
  return {
    nonFinite: g.nonFinite,
    gpu: { ...gm, singularValues: Array.from(gm.singularValues) },
    ref: { ...rm, singularValues: Array.from(rm.singularValues) },
  };
}

/** Wall time of the engine's matmul kernel (C = A·B) and of the streaming softmax at one size, for tuning. */
export async function timeKernels(args: { n: number; d: number; reps: number }) {
  const ops = new GpuOps(await gpu());
  const { n, d } = args;
  const a = ops.upload(Float32Array.from(gaussian(n * d, 1)));
  const bT = ops.upload(Float32Array.from(gaussian(d * n, 2)));
  const c = ops.buffer(n * n * 4);
  const { encoder } = ops.layerEncoder(n, d, defaultConfig());
  const [q, k, v] = [encoder.take(), encoder.take(), encoder.take()];
  for (const b of [q, k, v]) ops.device.queue.writeBuffer(b, 0, Float32Array.from(gaussian(n * d, 3)));
  const time = async (encode: () => void) => {
    encode();
    await ops.read(c, 1);
    const t0 = performance.now();
    for (let r = 0; r < args.reps; r++) encode();
    await ops.read(c, 1);
    return (performance.now() - t0) / args.reps;
  };
  const tiles = Math.ceil(n / 64);
  const matmulMs = await time(() =>
    ops.rec.dispatch('matmul', { m: n, k: d, n }, { a, b: bT, c }, [tiles, tiles, 1]),
  );
  const softmaxMs = await time(() => {
    const out = encoder.streamingSoftmax(q, k, v, d, d, 0.1, false, false);
    encoder.give(out);
  });
  ops.dispose();
  const flops = 2 * n * n * d;
  return {
    matmulMs,
    softmaxMs,
    matmulGflops: flops / matmulMs / 1e6,
    softmaxGflops: (2 * flops) / softmaxMs / 1e6,
  };
}

/** Wall time of each kernel of a GCN + PairNorm layer with its metrics, at one size (tuning aid). */
export async function timeLayerKernels(args: { n: number; d: number; avgDegree: number }) {
  const ops = new GpuOps(await gpu());
  const { n, d } = args;
  const graph = makeGraph(n, { kind: 'random', avgDegree: args.avgDegree, seed: 1 })!;
  const cfg = { ...defaultConfig(), norm: { ...defaultConfig().norm, kind: 'pairnorm' as const } };
  const { encoder, buffers } = ops.layerEncoder(n, d, cfg, graph);
  const h = encoder.take();
  ops.device.queue.writeBuffer(h, 0, Float32Array.from(gaussian(n * d, 1)));
  const w = ops.upload(Float32Array.from(gaussian(d * d, 2)));
  const out = encoder.take();
  const layout = metricLayout(n, d, false, 0);
  const metricsOut = ops.buffer(layout.size * 4);
  const rows = ops.buffer(n * 16);
  const times: Record<string, number> = {};
  const time = async (name: string, encode: () => void) => {
    await ops.read(out, 1);
    const t0 = performance.now();
    encode();
    await ops.read(out, 1);
    times[name] = performance.now() - t0;
  };
  const tiles = Math.ceil(n / 64);
  const prop = buffers.prop!;
  await time('matmul', () =>
    ops.rec.dispatch('matmul', { m: n, k: d, n: d }, { a: h, b: w, c: out }, [Math.ceil(d / 64), tiles, 1]),
  );
  await time('matmulRows', () =>
    ops.rec.dispatch1d('matmulRows', { m: n, k: d, n: d }, { a: h, b: w, c: out }, n * Math.ceil(d / 4)),
  );
  await time('spmm', () =>
    ops.rec.dispatch1d(
      'spmm',
      { n, d },
      { rowPtr: prop.rowPtr, colIdx: prop.colIdx, vals: prop.vals, h, out },
      n * d,
    ),
  );
  await time('pairnorm', () => encoder.give(encoder.normalize(h, d, 'none')));
  const params = { n, d, chunks: layout.chunks, offset: layout.gramOffset };
  await time('gramMeans', () =>
    ops.rec.dispatch1d('gramMeans', params, { h: out, out: metricsOut }, layout.chunks * d),
  );
  await time('gram', () =>
    ops.rec.dispatch('gram', params, { h: out, out: metricsOut }, [Math.ceil(d / 64) ** 2, layout.chunks, 1]),
  );
  await time('gramRows', () =>
    ops.rec.dispatch1d('gramRows', params, { h: out, out: metricsOut }, layout.chunks * d * Math.ceil(d / 4)),
  );
  await time('metricRows', () =>
    ops.rec.dispatch1d(
      'metricRows',
      { n, d, hasGraph: 1 },
      { h: out, rowPtr: buffers.graph.rowPtr, colIdx: buffers.graph.colIdx, rows },
      n,
    ),
  );
  await time('metricChunks', () =>
    ops.rec.dispatch1d(
      'metricChunks',
      { n, d, chunks: layout.chunks, offset: layout.rowsOffset },
      { h: out, rows, out: metricsOut },
      layout.chunks * (d + 3),
    ),
  );
  await time('rowwise', () =>
    ops.rec.dispatch1d(
      'rowwise',
      { n, d, useY: 1, layernorm: 1, act: 1, a: 1, b: 1, scale: 1 },
      { x: h, y: h, out },
      n,
    ),
  );
  ops.dispose();
  return times;
}
