// The table of compute kernels: which WGSL file, which entry point, how its uniform `Params`
// struct is laid out, and which storage buffers it binds in order (bindings 1, 2, …; the
// uniform is always binding 0). Pipelines are built once per device. The entries keep their
// literal names, so that a dispatch's params and buffers are typed from them (ParamsOf,
// BuffersOf); tests/engine/kernelTable.test.ts checks them against the shaders.
import common from '../../../shaders/common.wgsl?raw';
import spmm from '../../../shaders/spmm.wgsl?raw';
import matmul from '../../../shaders/matmul.wgsl?raw';
import matmulRows from '../../../shaders/matmul_rows.wgsl?raw';
import streamingSoftmax from '../../../shaders/streaming_softmax.wgsl?raw';
import attentionTiled from '../../../shaders/attention_tiled.wgsl?raw';
import attentionColsum from '../../../shaders/attention_colsum.wgsl?raw';
import rowwise from '../../../shaders/rowwise.wgsl?raw';
import rownorm from '../../../shaders/rownorm.wgsl?raw';
import columnStatsBody from '../../../shaders/column_stats.wgsl?raw';
import workgroupSum from '../../../shaders/workgroup_sum.wgsl?raw';
import columnNorm from '../../../shaders/column_norm.wgsl?raw';
import metricRows from '../../../shaders/metric_rows.wgsl?raw';
import metricChunks from '../../../shaders/metric_chunks.wgsl?raw';
import floatFloat from '../../../shaders/float_float.wgsl?raw';
import gramBody from '../../../shaders/gram.wgsl?raw';
import gramCooperativeBody from '../../../shaders/gram_cooperative.wgsl?raw';
import gramTiles from '../../../shaders/gram_tiles.wgsl?raw';
import project2 from '../../../shaders/project2.wgsl?raw';

/** Uniform fields in declaration order; every field is a 4-byte scalar, so offsets are 4·index. */
export type Field<Name extends string = string> = readonly [name: Name, type: 'u32' | 'f32'];

export interface KernelSpec {
  source: string;
  entry: string;
  params: readonly Field[];
  /**
   * Storage bindings 1..k in order, by the name dispatches pass them under: the shader's name of
   * the binding, or `name=shaderName` where the host's role for it differs (a binding an entry
   * point reuses for something else), with `out` standing for the shaders' `outp`. '-' marks a
   * binding the entry point does not use (auto layouts omit it). tests/engine/kernelTable.test.ts
   * checks all of this against the WGSL.
   */
  buffers: readonly string[];
  /** The override constants the host sets when it compiles variants of this kernel. */
  overrides?: readonly string[];
}

/** A kernel table: the forward engine's KERNELS, or the trainer's TRAINER_KERNELS. */
export type KernelTable = Record<string, KernelSpec>;

/** A storage binding: a whole buffer, or a range of one. */
export type Binding = GPUBuffer | { buffer: GPUBuffer; offset: number; size: number };

/** The uniform values a dispatch of `Spec` passes: exactly its `params`, by name. */
export type ParamsOf<Spec extends KernelSpec> = { readonly [K in Spec['params'][number][0]]: number };

/** The host's name of a `buffers` entry: `w` of `w=h`. */
type HostName<Entry extends string> = Entry extends `${infer Host}=${string}` ? Host : Entry;

/** The buffers a dispatch of `Spec` binds: exactly its `buffers` by host name, less the unused '-'. */
export type BuffersOf<Spec extends KernelSpec> = {
  readonly [K in Exclude<Spec['buffers'][number], '-'> as HostName<K>]: Binding;
};

/** The override constants a variant of `Spec` is compiled with: exactly its `overrides`. */
export type OverridesOf<Spec extends KernelSpec> = Record<NonNullable<Spec['overrides']>[number], number>;

/** The host names of a kernel's bindings 1..k, null where unused (the runtime side of BuffersOf). */
export function hostBufferNames(spec: KernelSpec): (string | null)[] {
  return spec.buffers.map((b) => (b === '-' ? null : b.split('=')[0]!));
}

export const u = <Name extends string>(name: Name): Field<Name> => [name, 'u32'];
export const f = <Name extends string>(name: Name): Field<Name> => [name, 'f32'];

/** One table entry; the literal names are kept, so that dispatches are checked against them. */
export function kernel<
  const P extends readonly Field[],
  const B extends readonly string[],
  const O extends readonly string[] = readonly [],
>(
  source: string,
  entry: string,
  params: P,
  buffers: B,
  overrides?: O,
): { source: string; entry: string; params: P; buffers: B; overrides: O } {
  return { source, entry, params, buffers, overrides: overrides ?? ([] as unknown as O) };
}

/** column_stats.wgsl finishes with workgroup_sum.wgsl's reduction, prepended to it. */
const columnStats = `${workgroupSum}\n${columnStatsBody}`;
/**
 * The Gram kernels take their float-float arithmetic from float_float.wgsl, and their record
 * layout and tile-pair product from gram_tiles.wgsl, prepended to them.
 */
const gram = `${floatFloat}\n${gramTiles}\n${gramBody}`;
const gramCooperative = `${floatFloat}\n${gramTiles}\n${gramCooperativeBody}`;

const nd = [u('n'), u('d')] as const;
const mkn = [u('m'), u('k'), u('n')] as const;
const abc = ['a', 'b', 'c'] as const;
/** Rows n of width d reduced in chunks of METRIC_CHUNK rows, from row `offset` on. */
const chunked = [...nd, u('chunks'), u('offset')] as const;
/** The cooperative Gram kernels split each chunk's rows into `slices` partial sums. */
const sliced = [...chunked, u('slices')] as const;
const projectParams = [...nd, u('uOffset'), u('axesOffset'), u('outOffset')] as const;
/** Bound as arrays of vec4 (u4, axes4) that `rows` reads single floats out of. */
const projectBuffers = ['u=u4', 'axes=axes4', 'out'] as const;
const attentionBuffers = ['q', 'k', 'v', 'rowPtr', 'colIdx', 'out', 'stats'] as const;
const attentionParams = [u('n'), u('dk'), u('dv'), u('mask'), u('writeStats'), f('scale')] as const;
const tiledParams = [
  ...attentionParams,
  f('fixedMax'),
  u('splits'),
  u('keysPerSplit'),
  u('rowBlockOffset'),
] as const;

// Laid out by hand: one kernel per line, its buffer list on the next where the line is full.
// prettier-ignore
export const KERNELS = {
  spmm: kernel(spmm, 'main', nd, ['rowPtr', 'colIdx', 'vals', 'h', 'out']),
  matmulRows: kernel(matmulRows, 'main', mkn, abc),
  matmul: kernel(matmul, 'main', mkn, abc),
  streamingSoftmax: kernel(streamingSoftmax, 'main', [...attentionParams, f('fixedMax')], attentionBuffers),
  attentionTiled: kernel(attentionTiled, 'main', tiledParams, attentionBuffers,
    ['DKQ', 'DVQ', 'TJ', 'KTILE', 'VTILE']),
  attentionCombine: kernel(attentionTiled, 'combine', [u('n'), u('dv'), u('splits'), u('writeStats')],
    ['partAcc', 'partStats', 'combined', 'combinedStats']),
  attentionColsum: kernel(attentionColsum, 'main', [u('n'), u('dk'), u('offset'), f('scale')],
    ['q', 'k', 'stats', 'out']),
  rowwise: kernel(rowwise, 'main', [...nd, u('useY'), u('layernorm'), u('act'), f('a'), f('b'), f('scale')],
    ['x', 'y', 'out']),
  rownorm: kernel(rownorm, 'main', nd, ['h', 'out']),
  columnStatsPartial: kernel(columnStats, 'partial', [...nd, u('chunks')], ['h', 'partials']),
  columnStatsFinalize: kernel(columnStats, 'finalize', [...nd, u('chunks')], ['-', 'partials', 'stats']),
  columnNorm: kernel(columnNorm, 'main', [...nd, u('mode'), f('pairnormScale')], ['z', 'stats', 'out']),
  metricRows: kernel(metricRows, 'main', [...nd, u('hasGraph')], ['h', 'rowPtr', 'colIdx', 'rows']),
  metricChunks: kernel(metricChunks, 'main', chunked, ['h', 'rows', 'out']),
  gramMeans: kernel(gram, 'means', chunked, ['h', 'out']),
  gramRows: kernel(gram, 'gramRows', chunked, ['h', 'out']),
  gram: kernel(gram, 'gram', chunked, ['h', 'out']),
  metricRowsCoop: kernel(metricRows, 'cooperative', [...nd, u('hasGraph')], ['h', 'rowPtr', 'colIdx', 'rows']),
  metricChunksCoop: kernel(metricChunks, 'cooperative', chunked, ['h', 'rows', 'out']),
  gramMeansCoop: kernel(gramCooperative, 'meansCooperative', sliced, ['h', 'out']),
  gramSlices: kernel(gramCooperative, 'gramSlices', sliced, ['h', 'out', 'parts']),
  gramFold: kernel(gramCooperative, 'gramFold', sliced, ['-', 'out', 'parts']),
  projectRows4: kernel(project2, 'rows4', projectParams, projectBuffers),
  projectRows: kernel(project2, 'rows', projectParams, projectBuffers),
} as const satisfies KernelTable;

export type ForwardKernels = typeof KERNELS;
export type KernelName = keyof ForwardKernels;

/** Rows per chunk of the metric reductions (gram.wgsl, metric_chunks.wgsl) and of column_stats.wgsl. */
export const METRIC_CHUNK = 1024;
export const COLUMN_CHUNK = 256;
/** Query rows per workgroup of streaming_softmax.wgsl (RB there). */
export const STREAM_ROWS = 16;

/**
 * Compile every kernel, concurrently (createComputePipelineAsync lets the implementation use its
 * own threads: several seconds saved at start-up on CPU-emulated adapters).
 */
export function buildPipelines(device: GPUDevice): Promise<Record<KernelName, GPUComputePipeline>> {
  return compilePipelines(device, KERNELS);
}

/** Compile a kernel table (the forward's, or the trainer's), one shader module per source. */
export async function compilePipelines<Name extends string>(
  device: GPUDevice,
  specs: Record<Name, KernelSpec>,
): Promise<Record<Name, GPUComputePipeline>> {
  const modules = new Map<string, GPUShaderModule>();
  const entries = Object.entries(specs) as [Name, KernelSpec][];
  const pipelines = await Promise.all(
    entries.map(([name, spec]) => {
      let module = modules.get(spec.source);
      if (!module) {
        module = device.createShaderModule({ label: name, code: `${common}\n${spec.source}` });
        modules.set(spec.source, module);
      }
      return device.createComputePipelineAsync({
        label: name,
        layout: 'auto',
        compute: { module, entryPoint: spec.entry },
      });
    }),
  );
  return Object.fromEntries(entries.map(([name], i) => [name, pipelines[i]!])) as Record<
    Name,
    GPUComputePipeline
  >;
}

/** Writes a kernel's params into a 256-byte uniform slot, by the declared field order. */
export function packParams(
  spec: KernelSpec,
  values: Record<string, number>,
  view: DataView,
  byteOffset: number,
): void {
  spec.params.forEach(([name, type], i) => {
    const v = values[name];
    if (v === undefined) throw new Error(`kernel param ${name} missing`);
    if (type === 'u32') {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
        throw new Error(`kernel param ${name}=${v} is not a u32`);
      view.setUint32(byteOffset + 4 * i, v, true);
    } else {
      view.setFloat32(byteOffset + 4 * i, v, true);
    }
  });
}
