// Forward (with what the backward needs saved) and backward of the normalizations of SPEC §1.3 on
// the GPU, on explicit buffers: used by the trainer's network and, directly, by the kernel tests.
import type { NormConfig } from '../../engine/types';
import { contraNormCoefficients } from '../../math/contranorm';
import { fold, type Binding } from '../../engine/gpu/recorder';
import { COLUMN_CHUNK } from '../../engine/gpu/kernels';
import { encodeRowwise } from '../../engine/gpu/layers';
import { COLUMN_GRAD_CHUNK } from './kernels';
import type { TrainRecorder } from './recorder';
import { CONTRA_CHUNK, widthVariant } from './variants';
import type { PipelineVariant } from '../../engine/gpu/recorder';

/** What the forward of one normalization saves: input z, output nrm, and per kind extras. */
export interface NormTape {
  z: GPUBuffer;
  /** norm(z) (= z for `none`). */
  nrm: GPUBuffer;
  /** ContraNorm: U = rn(Z) (Z itself for `paper`), S·Z, softmax row statistics (n×4). */
  u: GPUBuffer | null;
  sz: GPUBuffer | null;
  stats: GPUBuffer | null;
  /** BatchNorm / PairNorm: column statistics of z (column_stats.wgsl layout, 2d+1 floats). */
  colStats: GPUBuffer | null;
}

export interface NormScratch {
  /** Six buffers of at least n×d floats. */
  s: GPUBuffer[];
  /** ⌈n/256⌉ × d × 2 floats. */
  colPartials: GPUBuffer;
  /** 2d + 1 floats. */
  gColStats: GPUBuffer;
  /** CSR of A (no self loops), for the `mask` variant; dummies without a graph. */
  graph: { rowPtr: Binding; colIdx: Binding };
  /** Its transposed pattern (variants.ts's transposedPattern; A itself when A is symmetric). */
  graphT: { rowPtr: Binding; colIdx: Binding };
}

/** Allocation plan of a NormTape for `norm` (true: needs its own n×d buffer). */
export function tapeNeeds(norm: NormConfig): { nrm: boolean; u: boolean; contra: boolean; col: boolean } {
  const contra = norm.kind === 'contranorm';
  return {
    nrm: norm.kind !== 'none',
    u: contra && norm.variant !== 'paper',
    contra,
    col: norm.kind === 'batchnorm' || norm.kind === 'pairnorm',
  };
}

/**
 * Where contranorm_train.wgsl's forward starts its running max. Rows of U = rn(Z) have norm ≤ 1,
 * so every score is at most `scale`: starting there, the max never moves and no rescaling is
 * done, exact while exp(s − m) ≥ exp(−2·scale) stays far from float32's underflow (e^−80 ≈
 * 1.8e−35). The `paper` form (U = Z) and very small τ track the max.
 */
export const MAX_FIXED_SPAN = 80;
export function fixedMaximum(norm: NormConfig): number {
  const scale = contraNormCoefficients(norm).scoreScale;
  return norm.variant !== 'paper' && 2 * scale <= MAX_FIXED_SPAN ? scale : -3.0e38;
}

/** One invocation per row (or key) and CONTRA_CHUNK output columns, 64 to a workgroup. */
function contraGroups(rec: TrainRecorder, n: number, d: number): [number, number, number] {
  return fold(
    Math.ceil((n * Math.ceil(d / CONTRA_CHUNK)) / 64),
    rec.session.ctx.limits.maxComputeWorkgroupsPerDimension,
  );
}

/**
 * ContraNorm kernel `base` for width d: rows of one chunk (d ≤ CONTRA_CHUNK, the trainer's hidden
 * widths) take the tiled entry point, whose workgroup stages the other side's rows once for its
 * 64 invocations instead of each invocation reading them from storage (2–3× less time on
 * SwiftShader, where every storage load is a per-lane gather); wider rows the chunked one.
 */
function contraKernel<Base extends 'contranormForward' | 'contranormRows' | 'contranormCols'>(
  rec: TrainRecorder,
  base: Base,
  d: number,
): { name: Base | `${Base}Tiled`; variant: PipelineVariant } {
  const name: Base | `${Base}Tiled` = d <= CONTRA_CHUNK ? `${base}Tiled` : base;
  return { name, variant: widthVariant(rec.session.ctx.device, name, d) };
}

/** Column statistics of h (n×d) into `stats`, by the forward's column_stats.wgsl. */
export function encodeColumnStats(
  rec: TrainRecorder,
  n: number,
  d: number,
  h: Binding,
  partials: GPUBuffer,
  stats: Binding,
): void {
  const chunks = Math.ceil(n / COLUMN_CHUNK);
  rec.dispatch1d('columnStatsPartial', { n, d, chunks }, { h, partials }, chunks * d);
  rec.dispatch('columnStatsFinalize', { n, d, chunks }, { partials, stats }, [1, 1, 1]);
}

export function encodeNormForward(
  rec: TrainRecorder,
  n: number,
  d: number,
  norm: NormConfig,
  t: NormTape,
  scratch: NormScratch,
): void {
  const rowwise = (x: GPUBuffer, y: GPUBuffer | null, out: GPUBuffer, a: number, b: number) =>
    encodeRowwise(rec, n, d, x, y, out, { a, b, layernorm: true });
  switch (norm.kind) {
    case 'none':
      return;
    case 'layernorm':
      rowwise(t.z, null, t.nrm, 1, 0);
      return;
    case 'batchnorm':
    case 'pairnorm':
      encodeColumnStats(rec, n, d, t.z, scratch.colPartials, t.colStats!);
      rec.dispatch1d(
        'columnNorm',
        { n, d, mode: norm.kind === 'batchnorm' ? 0 : 1, pairnormScale: norm.pairnormScale },
        { z: t.z, stats: t.colStats!, out: t.nrm },
        n * d,
      );
      return;
    case 'contranorm': {
      if (norm.variant !== 'paper') rec.dispatch1d('rownorm', { n, d }, { h: t.z, out: t.u! }, n);
      const { scoreScale: scale, pull, keep } = contraNormCoefficients(norm);
      const k = contraKernel(rec, 'contranormForward', d);
      rec.dispatch(
        k.name,
        { n, d, mask: norm.variant === 'mask' ? 1 : 0, scale, m0: fixedMaximum(norm) },
        {
          u: t.u!,
          z: t.z,
          rowPtr: scratch.graph.rowPtr,
          colIdx: scratch.graph.colIdx,
          out: t.sz!,
          stats: t.stats!,
        },
        contraGroups(rec, n, d),
        k.variant,
      );
      rowwise(t.z, t.sz, t.nrm, keep, -pull);
      return;
    }
  }
}

/**
 * ∂L/∂z from g = ∂L/∂nrm. Returns the buffer holding it: g itself for `none`, else scratch.s[1].
 * Overwrites scratch.s[0] and s[2..5] (g may be s[0]), and slot 3 of t.stats (ContraNorm's D_i).
 */
export function encodeNormBackward(
  rec: TrainRecorder,
  n: number,
  d: number,
  norm: NormConfig,
  t: NormTape,
  g: GPUBuffer,
  scratch: NormScratch,
): GPUBuffer {
  const s = scratch.s;
  const out = s[1]!;
  switch (norm.kind) {
    case 'none':
      return g;
    case 'layernorm':
      rec.dispatch1d(
        'layernormBackward',
        { n, d, contra: 0, a: 1, b: 0 },
        { x: t.z, v: t.z, g, out, go: s[2]!, stats: s[3]! },
        n,
      );
      return out;
    case 'batchnorm':
    case 'pairnorm': {
      const chunks = Math.ceil(n / COLUMN_GRAD_CHUNK);
      const p = { n, d, chunks, mode: norm.kind === 'batchnorm' ? 0 : 1, pairnormScale: norm.pairnormScale };
      rec.dispatch1d(
        'columnNormPartial',
        p,
        { z: t.z, g, stats: t.colStats!, partials: scratch.colPartials },
        chunks * d,
      );
      rec.dispatch(
        'columnNormFinalize',
        p,
        { partials: scratch.colPartials, gstats: scratch.gColStats },
        [1, 1, 1],
      );
      rec.dispatch1d(
        'columnNormApply',
        p,
        { z: t.z, g, stats: t.colStats!, gstats: scratch.gColStats, out },
        n * d,
      );
      return out;
    }
    case 'contranorm': {
      const { paper, scoreScale: scale, pull, keep } = contraNormCoefficients(norm);
      const direct = s[2]!;
      const go = s[3]!;
      const rowsTerm = s[4]!;
      const valueTerm = s[5]!;
      const colsTerm = s[0]!; // g (possibly s[0]) is dead once the LayerNorm backward has read it
      rec.dispatch1d(
        'layernormBackward',
        { n, d, contra: 1, a: keep, b: -pull },
        { x: t.z, v: t.sz!, g, out: direct, go, stats: t.stats! },
        n,
      );
      const p = { n, d, mask: norm.variant === 'mask' ? 1 : 0, scale, m0: 0 };
      const shared = { u: t.u!, z: t.z, go, stats: t.stats! };
      const groups = contraGroups(rec, n, d);
      const rows = contraKernel(rec, 'contranormRows', d);
      rec.dispatch(rows.name, p, { ...shared, ...scratch.graph, outA: rowsTerm }, groups, rows.variant);
      const cols = contraKernel(rec, 'contranormCols', d);
      rec.dispatch(
        cols.name,
        p,
        { ...shared, ...scratch.graphT, outA: valueTerm, outB: colsTerm },
        groups,
        cols.variant,
      );
      rec.dispatch1d(
        'contranormFinish',
        { n, d, rn: paper ? 0 : 1, scale },
        { z: t.z, direct, rowsTerm, valueTerm, colsTerm, out },
        n,
      );
      return out;
    }
  }
}
