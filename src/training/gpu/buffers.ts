// Buffer helpers of the GPU trainer: owned storage buffers, uploads, sub-range bindings, and
// one-shot readback of several ranges after a submit.
import type { Binding } from '../../engine/gpu/recorder';
import type { TrainRecorder } from './recorder';

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Sub-buffer offsets must be multiples of 256 bytes (minStorageBufferOffsetAlignment's maximum). */
export const ALIGN_FLOATS = 64;
export const alignFloats = (k: number): number => Math.ceil(k / ALIGN_FLOATS) * ALIGN_FLOATS;

export class BufferSet {
  private owned: GPUBuffer[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A zero-filled storage buffer of `floats` 4-byte words (at least 16 bytes). */
  create(floats: number, label?: string): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(floats) * 4), usage: STORAGE });
    this.owned.push(b);
    return b;
  }

  upload(data: Float32Array | Uint32Array | Int32Array, label?: string): GPUBuffer {
    const b = this.create(data.length, label);
    if (data.byteLength) this.device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
    return b;
  }

  write(b: GPUBuffer, data: Float32Array, offsetFloats = 0): void {
    if (data.byteLength)
      this.device.queue.writeBuffer(b, offsetFloats * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  dispose(): void {
    this.owned.forEach((b) => b.destroy());
    this.owned = [];
  }
}

export function slice(buffer: GPUBuffer, offsetFloats: number, floats: number): Binding {
  return { buffer, offset: offsetFloats * 4, size: Math.max(4, floats * 4) };
}

export interface ReadRange {
  buffer: GPUBuffer;
  offsetFloats: number;
  floats: number;
}

/** Mappable staging buffers kept per device by size, so a training loop allocates none per epoch. */
const stagingPool = new WeakMap<GPUDevice, Map<number, GPUBuffer[]>>();
const POOLED_PER_SIZE = 2;

function takeStaging(device: GPUDevice, bytes: number): GPUBuffer {
  const free = stagingPool.get(device)?.get(bytes);
  return (
    free?.pop() ??
    device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
  );
}

function returnStaging(device: GPUDevice, b: GPUBuffer): void {
  let bySize = stagingPool.get(device);
  if (!bySize) {
    bySize = new Map();
    stagingPool.set(device, bySize);
  }
  const free = bySize.get(b.size) ?? [];
  if (free.length >= POOLED_PER_SIZE) {
    b.destroy();
    return;
  }
  free.push(b);
  bySize.set(b.size, free);
}

/**
 * Copy each range into one staging buffer, submit everything recorded, and return the ranges'
 * contents (one Float32Array each). Validation errors surface as exceptions instead of zeros.
 * The error scope and the map are awaited together: one round trip to the GPU, not two.
 */
export async function submitAndRead(
  device: GPUDevice,
  rec: TrainRecorder,
  ranges: readonly ReadRange[],
): Promise<Float32Array[]> {
  const total = ranges.reduce((s, r) => s + r.floats, 0);
  const staging = takeStaging(device, Math.max(16, Math.ceil((total * 4) / 16) * 16));
  let at = 0;
  for (const r of ranges) {
    rec.copy(r.buffer, r.offsetFloats * 4, staging, at * 4, r.floats * 4);
    at += r.floats;
  }
  device.pushErrorScope('validation');
  rec.submit();
  const [err, mapErr] = await Promise.all([
    device.popErrorScope(),
    staging.mapAsync(GPUMapMode.READ).then(
      () => null,
      (e: unknown) => e,
    ),
  ]);
  if (err || mapErr) {
    if (!mapErr) staging.unmap();
    staging.destroy();
    if (err) throw new Error(`GPU trainer: validation error: ${err.message}`);
    throw mapErr instanceof Error ? mapErr : new Error(String(mapErr));
  }
  const all = new Float32Array(staging.getMappedRange(0, total * 4).slice(0));
  staging.unmap();
  returnStaging(device, staging);
  at = 0;
  return ranges.map((r) => {
    const out = all.subarray(at, at + r.floats);
    at += r.floats;
    return out;
  });
}
