// The float32 floor of the GPU's metric reductions, measured: an N×d matrix made of a few distinct
// float32 rows has an exact rank, so every singular value past it is 0 in float64 and whatever the
// GPU reports there is the error of its Gram sums (the features themselves are exact here).
import { encodeLayerMetrics, layerSumsFromChunks, metricLayout } from '../../../src/engine/gpu/layerMetrics';
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import { Rng } from '../../../src/math/random';
import { defaultConfig } from '../../../src/engine/config';
import { finishMetrics } from '../../../src/engine/metrics';
import { computeLayerSums } from '../../../src/engine/reference/layerSums';
import { GpuOps } from '../support/gpuOps';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

/** N rows, each one of `distinct` seeded Gaussian float32 rows (plus `offset` in every entry). */
export function exactRankMatrix(
  n: number,
  d: number,
  distinct: number,
  seed: number,
  offset = 0,
): Float32Array {
  const rng = new Rng(seed, 515);
  const patterns = Array.from({ length: distinct }, () =>
    Float32Array.from({ length: d }, () => offset + rng.normal()),
  );
  const h = new Float32Array(n * d);
  for (let i = 0; i < n; i++) h.set(patterns[rng.int(distinct)]!, i * d);
  return h;
}

export async function gramExactRank(args: {
  n: number;
  d: number;
  distinct: number;
  seed: number;
  offset?: number;
  centered: boolean;
  variant?: 'rows' | 'tiled';
}) {
  const ops = new GpuOps(await gpu());
  const { n, d } = args;
  const h = exactRankMatrix(n, d, args.distinct, args.seed, args.offset ?? 0);
  const { buffers } = ops.layerEncoder(n, d, defaultConfig());
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
      hasGraph: false,
    },
    args.variant ?? 'auto',
  );
  const data = await ops.read(out, layout.size);
  ops.dispose();
  const g = finishMetrics(layerSumsFromChunks(data, layout, n, d, false, args.centered).sums, args.centered);
  const r = finishMetrics(
    computeLayerSums(Float64Array.from(h), n, d, { centered: args.centered, attention: null }),
    args.centered,
  );
  const rank = args.distinct - (args.centered ? 1 : 0);
  const s1 = r.singularValues[0]!;
  return {
    rank,
    /** σ_k/σ₁ of the GPU past the exact rank (0 in exact arithmetic). */
    gpuTail: Array.from(g.singularValues.slice(rank), (v) => v / g.singularValues[0]!),
    refTail: Array.from(r.singularValues.slice(rank), (v) => v / s1),
    /** Largest |σ_k^gpu − σ_k^ref|/σ₁ over the leading `rank` values. */
    headErr: Math.max(
      ...Array.from(r.singularValues.slice(0, rank), (v, k) => Math.abs(g.singularValues[k]! - v) / s1),
    ),
    gpuErank: g.effectiveRank,
    refErank: r.effectiveRank,
    gpuMu: g.mu,
    refMu: r.mu,
  };
}
