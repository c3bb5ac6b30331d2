// Trainer kernels compiled per feature width: their `override D` makes every loop over columns
// a fixed trip count (shaders/contranorm_train.wgsl), so they are built once per (device,
// kernel, width) on first use and shared by every trainer on that device.
import common from '../../../shaders/common.wgsl?raw';
import type { PipelineVariant } from '../../engine/gpu/recorder';
import type { OverridesOf } from '../../engine/gpu/kernels';
import { TRAIN_KERNELS } from './kernels';

export type WidthKernel =
  | 'contranormForward'
  | 'contranormRows'
  | 'contranormCols'
  | 'contranormForwardTiled'
  | 'contranormRowsTiled'
  | 'contranormColsTiled';

/**
 * Workgroup memory of the tiled ContraNorm kernels (contranorm_train.wgsl's tileA, tileB: 16
 * rows × 8 quads each, and tileS: 16 quads), within WebGPU's default 16 KiB.
 */
export const CONTRA_TILE_BYTES = 2 * 16 * 8 * 16 + 16 * 16;

interface DeviceCache {
  modules: Map<string, GPUShaderModule>;
  variants: Map<string, PipelineVariant>;
}
const caches = new WeakMap<GPUDevice, DeviceCache>();

/** `name` compiled with D = d. */
export function widthVariant(device: GPUDevice, name: WidthKernel, d: number): PipelineVariant {
  let c = caches.get(device);
  if (!c) {
    c = { modules: new Map(), variants: new Map() };
    caches.set(device, c);
  }
  const key = `${name}/${d}`;
  let v = c.variants.get(key);
  if (!v) {
    const spec = TRAIN_KERNELS[name];
    let module = c.modules.get(spec.source);
    if (!module) {
      module = device.createShaderModule({ label: name, code: `${common}\n${spec.source}` });
      c.modules.set(spec.source, module);
    }
    v = {
      pipeline: device.createComputePipeline({
        label: `${name} D=${d}`,
        layout: 'auto',
        compute: { module, entryPoint: spec.entry, constants: { D: d } satisfies OverridesOf<typeof spec> },
      }),
      workgroupBytes: name.endsWith('Tiled') ? CONTRA_TILE_BYTES : 0,
    };
    c.variants.set(key, v);
  }
  return v;
}

/** Columns per invocation of contranorm_train.wgsl (its CW). */
export const CONTRA_CHUNK = 32;

/**
 * The transposed pattern of a CSR (rows sorted ascending): row j lists the i whose row holds j.
 * ContraNorm's key-parallel backward walks it to skip the masked pairs (i, j), j ∈ N(i).
 */
export function transposedPattern(
  rowPtr: Uint32Array,
  colIdx: Uint32Array,
  n: number,
): { rowPtr: Uint32Array; colIdx: Uint32Array } {
  const ptr = new Uint32Array(n + 1);
  for (let e = 0; e < colIdx.length; e++) ptr[colIdx[e]! + 1]++;
  for (let j = 0; j < n; j++) ptr[j + 1] += ptr[j]!;
  const fill = ptr.slice(0, n);
  const out = new Uint32Array(colIdx.length);
  // Rows i in ascending order, so every transposed row comes out sorted.
  for (let i = 0; i < n; i++) for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) out[fill[colIdx[e]!]!++] = i;
  return { rowPtr: ptr, colIdx: out };
}
