// The table of compute kernels: which WGSL file, which entry point, how its uniform `Params`
// struct is laid out, and which storage buffers it binds in order (bindings 1, 2, …; the
// uniform is always binding 0). Pipelines are built once per device.
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
import project2 from '../../../shaders/project2.wgsl?raw';

/** Uniform fields in declaration order; every field is a 4-byte scalar, so offsets are 4·index. */
type Field = readonly [name: string, type: 'u32' | 'f32'];

export interface KernelSpec {
  source: string;
  entry: string;
  params: readonly Field[];
  /** Storage bindings 1..k in order; '-' marks a binding the entry point does not use (auto layouts omit it). */
  buffers: readonly string[];
}

const u = (name: string): Field => [name, 'u32'];
const f = (name: string): Field => [name, 'f32'];

/** column_stats.wgsl finishes with workgroup_sum.wgsl's reduction, prepended to it. */
const columnStats = `${workgroupSum}\n${columnStatsBody}`;
/** The Gram kernels take their float-float arithmetic from float_float.wgsl, prepended to them. */
const gram = `${floatFloat}\n${gramBody}`;
const gramCooperative = `${floatFloat}\n${gramCooperativeBody}`;

export const KERNELS = {
  spmm: {
    source: spmm,
    entry: 'main',
    params: [u('n'), u('d')],
    buffers: ['rowPtr', 'colIdx', 'vals', 'h', 'out'],
  },
  matmulRows: {
    source: matmulRows,
    entry: 'main',
    params: [u('m'), u('k'), u('n')],
    buffers: ['a', 'b', 'c'],
  },
  matmul: { source: matmul, entry: 'main', params: [u('m'), u('k'), u('n')], buffers: ['a', 'b', 'c'] },
  streamingSoftmax: {
    source: streamingSoftmax,
    entry: 'main',
    params: [u('n'), u('dk'), u('dv'), u('mask'), u('writeStats'), f('scale')],
    buffers: ['q', 'k', 'v', 'rowPtr', 'colIdx', 'out', 'stats'],
  },
  attentionTiled: {
    source: attentionTiled,
    entry: 'main',
    params: [
      u('n'),
      u('dk'),
      u('dv'),
      u('mask'),
      u('writeStats'),
      f('scale'),
      f('fixedMax'),
      u('splits'),
      u('keysPerSplit'),
      u('rowBlockOffset'),
    ],
    buffers: ['q', 'k', 'v', 'rowPtr', 'colIdx', 'out', 'stats'],
  },
  attentionCombine: {
    source: attentionTiled,
    entry: 'combine',
    params: [u('n'), u('dv'), u('splits'), u('writeStats')],
    buffers: ['partAcc', 'partStats', 'combined', 'combinedStats'],
  },
  attentionColsum: {
    source: attentionColsum,
    entry: 'main',
    params: [u('n'), u('dk'), u('offset'), f('scale')],
    buffers: ['q', 'k', 'stats', 'out'],
  },
  rowwise: {
    source: rowwise,
    entry: 'main',
    params: [u('n'), u('d'), u('useY'), u('layernorm'), u('act'), f('a'), f('b'), f('scale')],
    buffers: ['x', 'y', 'out'],
  },
  rownorm: { source: rownorm, entry: 'main', params: [u('n'), u('d')], buffers: ['h', 'out'] },
  columnStatsPartial: {
    source: columnStats,
    entry: 'partial',
    params: [u('n'), u('d'), u('chunks')],
    buffers: ['h', 'partials'],
  },
  columnStatsFinalize: {
    source: columnStats,
    entry: 'finalize',
    params: [u('n'), u('d'), u('chunks')],
    buffers: ['-', 'partials', 'stats'],
  },
  columnNorm: {
    source: columnNorm,
    entry: 'main',
    params: [u('n'), u('d'), u('mode'), f('pairnormScale')],
    buffers: ['z', 'stats', 'out'],
  },
  metricRows: {
    source: metricRows,
    entry: 'main',
    params: [u('n'), u('d'), u('hasGraph')],
    buffers: ['h', 'rowPtr', 'colIdx', 'rows'],
  },
  metricChunks: {
    source: metricChunks,
    entry: 'main',
    params: [u('n'), u('d'), u('chunks'), u('offset')],
    buffers: ['h', 'rows', 'out'],
  },
  gramMeans: {
    source: gram,
    entry: 'means',
    params: [u('n'), u('d'), u('chunks'), u('offset')],
    buffers: ['h', 'out'],
  },
  gramRows: {
    source: gram,
    entry: 'gramRows',
    params: [u('n'), u('d'), u('chunks'), u('offset')],
    buffers: ['h', 'out'],
  },
  gram: {
    source: gram,
    entry: 'gram',
    params: [u('n'), u('d'), u('chunks'), u('offset')],
    buffers: ['h', 'out'],
  },
  metricRowsCoop: {
    source: metricRows,
    entry: 'cooperative',
    params: [u('n'), u('d'), u('hasGraph')],
    buffers: ['h', 'rowPtr', 'colIdx', 'rows'],
  },
  metricChunksCoop: {
    source: metricChunks,
    entry: 'cooperative',
    params: [u('n'), u('d'), u('chunks'), u('offset')],
    buffers: ['h', 'rows', 'out'],
  },
  gramMeansCoop: {
    source: gramCooperative,
    entry: 'meansCooperative',
    params: [u('n'), u('d'), u('chunks'), u('offset'), u('slices')],
    buffers: ['h', 'out'],
  },
  gramSlices: {
    source: gramCooperative,
    entry: 'gramSlices',
    params: [u('n'), u('d'), u('chunks'), u('offset'), u('slices')],
    buffers: ['h', 'out', 'parts'],
  },
  gramFold: {
    source: gramCooperative,
    entry: 'gramFold',
    params: [u('n'), u('d'), u('chunks'), u('offset'), u('slices')],
    buffers: ['-', 'out', 'parts'],
  },
  projectRows4: {
    source: project2,
    entry: 'rows4',
    params: [u('n'), u('d'), u('uOffset'), u('axesOffset'), u('outOffset')],
    buffers: ['u', 'axes', 'out'],
  },
  projectRows: {
    source: project2,
    entry: 'rows',
    params: [u('n'), u('d'), u('uOffset'), u('axesOffset'), u('outOffset')],
    buffers: ['u', 'axes', 'out'],
  },
} as const satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

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
