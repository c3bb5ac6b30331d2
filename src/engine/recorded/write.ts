// Writing recordings: .npy arrays of any shape and an .npz of them (stored, as np.savez
// writes), so that a computed run can be saved in the format the loader reads (the round-trip
// test, the shipped example's script).

import type { Csr } from '../../data/graph';
import { writeStoredZip } from './zip';

export type NpyDtype = '<f2' | '<f4' | '<f8' | '<i4' | '<i8';

/** A number as IEEE half precision (round to nearest even), NumPy's float16. */
export function numberToHalf(x: number): number {
  const f32 = new Float32Array([x]);
  const u = new Uint32Array(f32.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  e = half >>> 10;
  return sign | half;
}

/** An array of `shape` (C order) as .npy bytes, format 1.0. */
export function arrayToNpy(values: ArrayLike<number>, shape: number[], dtype: NpyDtype): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (values.length !== count)
    throw new Error(`npy: ${values.length} values for shape (${shape.join(', ')})`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const size = Number(dtype.slice(2));
  const bytes = new Uint8Array(total + count * size);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) bytes[10 + k] = header.charCodeAt(k);
  for (let k = 0; k < count; k++) {
    const o = total + k * size;
    const v = values[k];
    if (dtype === '<f2') view.setUint16(o, numberToHalf(v), true);
    else if (dtype === '<f4') view.setFloat32(o, v, true);
    else if (dtype === '<f8') view.setFloat64(o, v, true);
    else if (dtype === '<i4') view.setInt32(o, v, true);
    else view.setBigInt64(o, BigInt(v), true);
  }
  return bytes;
}

/** Layers H_0..H_L of equal width as one (L+1, N, d) array's numbers. */
export function stackLayers(layers: ArrayLike<number>[], n: number, d: number): Float64Array {
  const out = new Float64Array(layers.length * n * d);
  layers.forEach((h, l) => {
    if (h.length !== n * d) throw new Error(`layer ${l} holds ${h.length} numbers, not N·d = ${n * d}`);
    out.set(h, l * n * d);
  });
  return out;
}

/** The graph's undirected edges (u < v) as an (E, 2) array's numbers. */
export function edgePairs(graph: Csr, n: number): { pairs: Int32Array; count: number } {
  const list: number[] = [];
  for (let u = 0; u < n; u++)
    for (let k = graph.rowPtr[u]; k < graph.rowPtr[u + 1]; k++)
      if (graph.colIdx[k] > u) list.push(u, graph.colIdx[k]);
  return { pairs: Int32Array.from(list), count: list.length / 2 };
}

export interface StackToWrite {
  name: string;
  /** H_0..H_L, each N×d (equal widths). */
  layers: ArrayLike<number>[];
  d: number;
}

/** Stacks (and optional labels and graph) as an .npz the recorded loader reads. */
export function recordingToNpz(
  stacks: StackToWrite[],
  n: number,
  extras: { labels?: ArrayLike<number> | null; graph?: Csr | null; dtype?: '<f2' | '<f4' | '<f8' } = {},
): Uint8Array {
  const dtype = extras.dtype ?? '<f4';
  const members = stacks.map((s) => ({
    name: `${s.name}.npy`,
    bytes: arrayToNpy(stackLayers(s.layers, n, s.d), [s.layers.length, n, s.d], dtype),
  }));
  if (extras.labels) members.push({ name: 'labels.npy', bytes: arrayToNpy(extras.labels, [n], '<i8') });
  if (extras.graph) {
    const { pairs, count } = edgePairs(extras.graph, n);
    members.push({ name: 'edges.npy', bytes: arrayToNpy(pairs, [count, 2], '<i8') });
  }
  return writeStoredZip(members);
}
