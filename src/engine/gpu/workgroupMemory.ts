// Workgroup memory of each kernel as declared in its WGSL module (every `var<workgroup>` of the
// module, with override constants at their defaults: an upper bound for each entry point),
// for HostStats and for the test that every kernel fits WebGPU's default 16 KiB.
import common from '../../../shaders/common.wgsl?raw';
import { KERNELS, type KernelName, type KernelSpec } from './kernels';

const ELEMENT_BYTES: Record<string, number> = {
  f32: 4,
  u32: 4,
  i32: 4,
  'vec2<f32>': 8,
  'vec3<f32>': 16, // array stride of a vec3 is 16
  'vec4<f32>': 16,
  'vec4<u32>': 16,
  'atomic<u32>': 4,
  'atomic<i32>': 4,
};

/** Bytes of workgroup memory a WGSL source declares; `constants` override its `override` defaults. */
export function declaredWorkgroupBytes(source: string, constants: Record<string, number> = {}): number {
  const values = new Map<string, number>();
  for (const m of source.matchAll(/override\s+(\w+)\s*:\s*\w+\s*=\s*(\d+)u?\s*;/g))
    values.set(m[1]!, Number(m[2]));
  for (const m of source.matchAll(/const\s+(\w+)\s*:\s*\w+\s*=\s*(\d+)u?\s*;/g))
    values.set(m[1]!, Number(m[2]));
  for (const [k, v] of Object.entries(constants)) values.set(k, v);
  let bytes = 0;
  for (const m of source.matchAll(/var<workgroup>\s+\w+\s*:\s*(.+?)\s*;/g)) {
    const type = m[1]!.replace(/\s+/g, '');
    const arr = /^array<(.+),(\w+)>$/.exec(type);
    const element = arr ? arr[1]! : type;
    const count = arr ? (/^\d+u?$/.test(arr[2]!) ? parseInt(arr[2]!, 10) : values.get(arr[2]!)) : 1;
    const size = ELEMENT_BYTES[element];
    if (size === undefined || count === undefined) throw new Error(`workgroup memory: cannot size "${m[1]}"`);
    bytes += size * count;
  }
  return bytes;
}

export function workgroupBytesTable<Name extends string = KernelName>(
  specs: Record<Name, KernelSpec> = KERNELS as unknown as Record<Name, KernelSpec>,
): Record<Name, number> {
  const out = {} as Record<Name, number>;
  for (const [name, spec] of Object.entries(specs) as [Name, KernelSpec][])
    out[name] = declaredWorkgroupBytes(`${common}\n${spec.source}`);
  return out;
}
