// The layer-metric reductions as either kernel set records them ('software': one lane per row or
// slot, gramRows or the one-pass tiled Gram; 'hardware': lanes sharing rows, a workgroup per chunk
// with a float-float tree, the Gram over row tiles folded by gramFold), against the float64
// reference sums of the same float32 matrix. The test files state the tolerances.
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import {
  encodeLayerMetrics,
  gramSlicing,
  layerSumsFromChunks,
  metricLayout,
  type GramVariant,
} from '../../../src/engine/gpu/layerMetrics';
import { defaultConfig } from '../../../src/engine/config';
import { finishMetrics } from '../../../src/engine/metrics';
import { computeLayerSums } from '../../../src/engine/reference/layerSums';
import { Rng } from '../../../src/math/random';
import { GpuOps } from '../support/gpuOps';
import { makeGraph, type GraphRecipe } from './kernels';
import { exactRankMatrix } from './exactRank';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

/** Reduce `h` with one kernel set; returns the GPU's float64-finished sums and the reference's. */
async function reduce(
  h: Float32Array,
  n: number,
  d: number,
  kernelSet: 'software' | 'hardware',
  variant: GramVariant,
  centered: boolean,
  graph?: ReturnType<typeof makeGraph>,
) {
  const ops = new GpuOps(await gpu(), kernelSet);
  const { buffers } = ops.layerEncoder(n, d, defaultConfig(), graph);
  const layout = metricLayout(n, d, false, 0);
  const out = ops.buffer(layout.size * 4);
  encodeLayerMetrics(
    ops.rec,
    ops.upload(h),
    n,
    d,
    layout,
    {
      rows: ops.buffer(n * 16),
      out,
      graphRowPtr: buffers.graph.rowPtr,
      graphColIdx: buffers.graph.colIdx,
      hasGraph: !!graph,
      gramParts: ops.buffer(gramSlicing(n, d).partFloats * 4),
    },
    variant,
  );
  const data = await ops.read(out, layout.size);
  ops.dispose();
  const g = layerSumsFromChunks(data, layout, n, d, !!graph, centered);
  const r = computeLayerSums(Float64Array.from(h), n, d, { graph, centered, attention: null });
  return { gpu: g, ref: r };
}

/** HᵀH (or the column-centred Gram) in float64, d×d whatever N. */
function denseGram(h: Float32Array, n: number, d: number, centered: boolean): Float64Array {
  const mean = new Float64Array(d);
  if (centered) for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += h[i * d + a]! / n;
  const g = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) row[a] = h[i * d + a]! - mean[a]!;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) g[a * d + b] += row[a]! * row[b]!;
  }
  return g;
}

/** kernelMetrics (kernels.ts) with the kernel set chosen: the metrics of a Gaussian H. */
export async function kernelMetricsBySet(args: {
  n: number;
  d: number;
  graph: GraphRecipe;
  seed: number;
  zeroRows?: number;
  offset?: number;
  noise?: number;
  centered: boolean;
  kernelSet: 'software' | 'hardware';
  variant?: GramVariant;
}) {
  const { n, d } = args;
  const graph = makeGraph(n, args.graph);
  const rng = new Rng(args.seed, 77);
  const h = Float32Array.from({ length: n * d }, () => (args.offset ?? 0) + (args.noise ?? 1) * rng.normal());
  for (let r = 0; r < Math.min(args.zeroRows ?? 0, n); r++) h.fill(0, r * d, (r + 1) * d);
  const { gpu: g, ref: r } = await reduce(
    h,
    n,
    d,
    args.kernelSet,
    args.variant ?? 'auto',
    args.centered,
    graph,
  );
  const gm = finishMetrics(g.sums, args.centered);
  const rm = finishMetrics(r, args.centered);
  // The raw sums too: the d×d Gram entry by entry (the reference's own may be the N×N one).
  const want = denseGram(h, n, d, args.centered);
  let gramErr = 0;
  let gramScale = 0;
  for (let i = 0; i < d * d; i++) {
    gramErr = Math.max(gramErr, Math.abs(g.sums.gram[i]! - want[i]!));
    gramScale = Math.max(gramScale, Math.abs(want[i]!));
  }
  return {
    nonFinite: g.nonFinite,
    gramRelErr: gramScale > 0 ? gramErr / gramScale : gramErr,
    gpu: { ...gm, singularValues: Array.from(gm.singularValues) },
    ref: { ...rm, singularValues: Array.from(rm.singularValues) },
  };
}

/** gramExactRank (exactRank.ts) with the kernel set chosen: σ_k/σ₁ past the exact rank. */
export async function gramExactRankBySet(args: {
  n: number;
  d: number;
  distinct: number;
  seed: number;
  offset?: number;
  centered: boolean;
  kernelSet: 'software' | 'hardware';
}) {
  const { n, d } = args;
  const h = exactRankMatrix(n, d, args.distinct, args.seed, args.offset ?? 0);
  const { gpu: g, ref: r } = await reduce(h, n, d, args.kernelSet, 'auto', args.centered);
  const gm = finishMetrics(g.sums, args.centered);
  const rm = finishMetrics(r, args.centered);
  const rank = args.distinct - (args.centered ? 1 : 0);
  const s1 = rm.singularValues[0]!;
  return {
    gpuTail: Array.from(gm.singularValues.slice(rank), (v) => v / gm.singularValues[0]!),
    headErr: Math.max(
      ...Array.from(rm.singularValues.slice(0, rank), (v, k) => Math.abs(gm.singularValues[k]! - v) / s1),
    ),
    gpuErank: gm.effectiveRank,
    refErank: rm.effectiveRank,
  };
}
