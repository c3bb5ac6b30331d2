// The fast engine's `LayerOps`: the products in float32 WebAssembly (./kernels.ts), the O(N²·d)
// softmax products split into row blocks over the worker threads (./pool.ts), and the O(N·d)
// steps from the reference's type-generic code (so they round to float32, but read the same).
import type { Csr } from '../../data/graph';
import type { LayerOps } from '../reference/layers';
import { contraNormCoefficients } from '../../math/contranorm';
import {
  layerNorm,
  normalize as referenceNormalize,
  rowNormalize,
  type AttentionSums,
  type Mat,
} from '../reference/ops';
import type { NormConfig } from '../types';
import type { FastKernels, SoftmaxBlock, SoftmaxOp } from './kernels';

/** Runs a softmax op over all n rows, in as many blocks as there are threads. */
export type SoftmaxRunner = (op: SoftmaxOp) => Promise<SoftmaxBlock[]>;

/**
 * The fixed maximum m = 1/τ is exact for rows of unit norm (every score ≤ 1/τ) and needs no
 * rescaling; it is used only while the smallest score, −1/τ, stays 2/τ ≤ 80 below it, so that no
 * exp(s − m) underflows float32 (whose exp gives 0 below −87).
 */
const FIXED_MAX_TAU = 2 / 80;

/** The keys ContraNorm's `mask` form leaves out of row i: its graph neighbours (weight ≠ 0). */
const exclusions = new WeakMap<Csr, { rowPtr: Uint32Array; col: Uint32Array }>();
function maskedNeighbours(graph: Csr, n: number): { rowPtr: Uint32Array; col: Uint32Array } {
  let ex = exclusions.get(graph);
  if (ex) return ex;
  if (!graph.weights) ex = { rowPtr: graph.rowPtr, col: graph.colIdx };
  else {
    const rowPtr = new Uint32Array(n + 1);
    const col: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++)
        if (graph.weights[k] !== 0) col.push(graph.colIdx[k]);
      rowPtr[i + 1] = col.length;
    }
    ex = { rowPtr, col: Uint32Array.from(col) };
  }
  exclusions.set(graph, ex);
  return ex;
}

/** Stitch the row blocks' outputs into one n×dv matrix. */
function gatherRows(blocks: SoftmaxBlock[], n: number, dv: number): Float32Array {
  if (blocks.length === 1 && blocks[0].r0 === 0 && blocks[0].r1 === n) return blocks[0].o;
  const out = new Float32Array(n * dv);
  for (const b of blocks) out.set(b.o, b.r0 * dv);
  return out;
}

/** A symmetric op's partial sums, added up and divided by the row sums. */
function addPartials(blocks: SoftmaxBlock[], n: number, dv: number): Float32Array {
  const acc = blocks[0].o;
  const l = blocks[0].stats;
  for (const b of blocks.slice(1)) {
    for (let i = 0; i < acc.length; i++) acc[i] += b.o[i];
    for (let i = 0; i < n; i++) l[i] += b.stats[i];
  }
  for (let i = 0; i < n; i++) {
    const inv = 1 / l[i];
    for (let t = 0; t < dv; t++) acc[i * dv + t] *= inv;
  }
  return acc;
}

/**
 * `splits(op)`: whether runSoftmax would spread the op over threads; ops that stay on this
 * thread may run as one call into the kernels with their operands resident there.
 */
export function fastOps(
  kernels: FastKernels,
  runSoftmax: SoftmaxRunner,
  splits: (op: Pick<SoftmaxOp, 'n' | 'dk' | 'dv' | 'symmetric'>) => boolean = () => false,
): LayerOps {
  const f32 = (x: Mat): Float32Array => (x instanceof Float32Array ? x : Float32Array.from(x));

  async function contraNorm(z: Float32Array, n: number, d: number, norm: NormConfig, graph?: Csr) {
    const { paper, scoreScale, pull, keep } = contraNormCoefficients(norm);
    const mask = norm.variant === 'mask';
    const fixedMax = !paper && norm.tau >= FIXED_MAX_TAU ? scoreScale : Infinity;
    const symmetric = !mask && Number.isFinite(fixedMax);
    if (symmetric && !splits({ n, dk: d, dv: d, symmetric }))
      return kernels.contraNormLocal(z, n, d, scoreScale, keep, pull);
    const u = paper ? z : rowNormalize(z, n, d);
    const op: SoftmaxOp = {
      n,
      dk: d,
      dv: d,
      q: u,
      k: u,
      v: z,
      scale: scoreScale,
      fixedMax,
      maskSelf: mask,
      exclude: mask && graph ? maskedNeighbours(graph, n) : null,
      colSums: false,
      symmetric,
    };
    const blocks = await runSoftmax(op);
    const sz = blocks[0]?.partial ? addPartials(blocks, n, d) : gatherRows(blocks, n, d);
    const out = new Float32Array(n * d);
    for (let i = 0; i < out.length; i++) out[i] = keep * z[i] - pull * sz[i];
    return layerNorm(out, n, d);
  }

  return {
    matmul: (x, n, k, w, m) => kernels.matmul(x, n, k, w, m),
    propagate: (graph, x, n, d, adjacency) => kernels.propagate(graph, x, n, d, adjacency),
    normalize: (x, n, d, norm, graph) =>
      norm.kind === 'contranorm'
        ? contraNorm(f32(x), n, d, norm, graph)
        : referenceNormalize(f32(x), n, d, norm),
    async attention(x, n, k, head, m) {
      const local = !splits({ n, dk: m, dv: m, symmetric: false });
      const blocks = local
        ? [kernels.attentionLocal(x, n, k, head, m)]
        : await runSoftmax({
            n,
            dk: m,
            dv: m,
            q: kernels.matmul(x, n, k, head.wq, m),
            k: kernels.matmul(x, n, k, head.wk, m),
            v: kernels.matmul(x, n, k, head.wv, m),
            scale: 1 / Math.sqrt(m),
            fixedMax: Infinity,
            maskSelf: false,
            exclude: null,
            colSums: true,
          });
      // The attention-map sums of the reference (ops.attention), from the kernels' per-row stats
      // and per-block column sums, added in float64.
      const unitColSum = new Float64Array(n);
      let unitRowCount = 0;
      for (const b of blocks) {
        for (let j = 0; j < n; j++) unitColSum[j] += b.colSum![j];
        for (let r = 0; r < b.r1 - b.r0; r++) {
          const l = b.stats[r * 3 + 1];
          const sq = b.stats[r * 3 + 2] / (l * l);
          const inv = 1 / Math.max(Math.sqrt(sq), 1e-12);
          unitRowCount += sq * inv * inv;
        }
      }
      const sums: AttentionSums = { unitColSum, unitRowCount };
      return { pv: gatherRows(blocks, n, m), sums };
    },
  };
}
