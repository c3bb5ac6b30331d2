// The kernel tables (src/engine/gpu/kernels.ts, src/training/gpu/kernels.ts) against the WGSL they
// name. The recorder trusts the table: it packs `params` as 4-byte scalars at offsets 4·i into the
// uniform at binding 0 and binds `buffers` at bindings 1..k, with layout 'auto' (which holds only
// the bindings the entry point uses, so a named binding the entry does not use is a validation
// error, and a used one left out is too). A wrong order of two same-typed params, by contrast,
// compiles and runs, with wrong numbers: that is what this test is for.
import { describe, expect, it } from 'vitest';
import common from '../../shaders/common.wgsl?raw';
import { KERNELS, type KernelSpec } from '../../src/engine/gpu/kernels';
import { TRAIN_KERNELS } from '../../src/training/gpu/kernels';
import { parseWgsl, usedNames, writtenNames, type WgslModule } from './wgslModule';

/** The names a table entry's buffer may have in the shader: `h` of `w=h`; `out` or `outp` for `out`. */
function shaderNames(entry: string): string[] {
  const [host, shader] = entry.split('=');
  if (shader !== undefined) return [shader];
  return host === 'out' ? ['out', 'outp'] : [host!];
}

/** 256-byte uniform slots (recorder.ts). */
const SLOT_BYTES = 256;

/** Where the kernel as compiled (common.wgsl first, as compilePipelines does) departs from its table entry. */
function tableProblems(spec: KernelSpec): string[] {
  const problems: string[] = [];
  const module = parseWgsl(`${common}\n${spec.source}`);
  const entry = module.functions.get(spec.entry);
  if (!entry) return [`no function ${spec.entry}`];
  if (!entry.attributes.includes('compute')) problems.push(`${spec.entry} is not @compute`);

  const used = usedNames(module, spec.entry);
  const bindings = module.bindings.filter((b) => used.has(b.name));
  for (const b of bindings) if (b.group !== 0) problems.push(`${b.name} is in group ${b.group}, not 0`);

  problems.push(...uniformProblems(spec, module, bindings));

  const written = writtenNames(module, spec.entry);
  const last = Math.max(spec.buffers.length, ...bindings.map((b) => b.binding));
  for (let k = 1; k <= last; k++) {
    const name = spec.buffers[k - 1];
    const atK = bindings.filter((b) => b.binding === k);
    if (atK.length > 1) problems.push(`binding ${k}: ${atK.map((b) => b.name).join(', ')} all used`);
    const b = atK[0];
    if (name === undefined) {
      if (b) problems.push(`binding ${k} (${b.name}) is used but missing from the table`);
    } else if (name === '-') {
      if (b) problems.push(`binding ${k} is '-' but ${spec.entry} uses ${b.name}`);
    } else if (!b) {
      problems.push(`binding ${k} is named ${name} but ${spec.entry} uses no binding ${k}`);
    } else {
      if (!shaderNames(name).includes(b.name))
        problems.push(`binding ${k} is ${b.name} in the shader, ${name} here`);
      if (b.space !== 'storage') problems.push(`binding ${k} (${name}) is not a storage buffer`);
      if (written.has(b.name) && b.access !== 'read_write')
        problems.push(`binding ${k} (${name}) is written but declared ${b.access}`);
    }
  }
  if (spec.buffers.at(-1) === '-') problems.push(`the buffer list ends in '-'`);

  problems.push(...neverWritten(module).map((name) => `${name} is read_write but no entry writes it`));
  for (const o of spec.overrides ?? [])
    if (!module.overrides.has(o)) problems.push(`override ${o} is not declared in the shader`);
  return problems;
}

/** Binding 0: the uniform whose struct is `params`, field by field. */
function uniformProblems(spec: KernelSpec, module: WgslModule, bindings: WgslModule['bindings']): string[] {
  const uniforms = bindings.filter((b) => b.binding === 0);
  if (uniforms.length !== 1) return [`${spec.entry} uses ${uniforms.length} bindings at 0, not one uniform`];
  const u = uniforms[0]!;
  if (u.space !== 'uniform') return [`binding 0 (${u.name}) is var<${u.space}>, not var<uniform>`];
  const fields = module.structs.get(u.type);
  if (!fields) return [`binding 0 (${u.name}) has type ${u.type}, not a struct of the module`];
  const problems: string[] = [];
  // packParams writes field i at byte 4·i: right only while every field is a 4-byte scalar.
  for (const f of fields)
    if (f.type !== 'u32' && f.type !== 'f32') problems.push(`${u.type}.${f.name} is ${f.type}, not u32/f32`);
  const shader = fields.map((f) => `${f.name}: ${f.type}`).join(', ');
  const table = spec.params.map(([name, type]) => `${name}: ${type}`).join(', ');
  if (shader !== table) problems.push(`${u.type} is {${shader}} in the shader, {${table}} here`);
  if (fields.length * 4 > SLOT_BYTES) problems.push(`${u.type} exceeds a ${SLOT_BYTES}-byte slot`);
  return problems;
}

/** Storage bindings declared read_write that none of the module's entry points writes. */
function neverWritten(module: WgslModule): string[] {
  const written = new Set<string>();
  for (const fn of module.functions.values())
    if (fn.attributes.includes('compute')) for (const w of writtenNames(module, fn.name)) written.add(w);
  return module.bindings.filter((b) => b.access === 'read_write' && !written.has(b.name)).map((b) => b.name);
}

describe.each([
  ['forward (KERNELS)', KERNELS as Record<string, KernelSpec>],
  ['trainer (TRAIN_KERNELS)', TRAIN_KERNELS as Record<string, KernelSpec>],
])('%s: every entry matches its shader', (_, table) => {
  it.each(Object.entries(table))('%s', (_name, spec) => {
    expect(tableProblems(spec)).toEqual([]);
  });
});

describe('the check finds a wrong table entry', () => {
  const rowwise: KernelSpec = KERNELS.rowwise;
  const finalize: KernelSpec = KERNELS.columnStatsFinalize;
  const tiled: KernelSpec = KERNELS.attentionTiled;
  const swap = <T>(list: readonly T[], i: number, j: number): T[] => {
    const out = [...list];
    [out[i], out[j]] = [out[j]!, out[i]!];
    return out;
  };
  const cases: [string, KernelSpec][] = [
    ['two params swapped', { ...rowwise, params: swap(rowwise.params, 0, 1) }],
    ['a param of the wrong type', { ...rowwise, params: rowwise.params.map(([n]) => [n, 'u32'] as const) }],
    ['a param missing', { ...rowwise, params: rowwise.params.slice(0, -1) }],
    ['a buffer misnamed', { ...rowwise, buffers: ['x', 'z', 'out'] }],
    ['two buffers swapped', { ...rowwise, buffers: swap(rowwise.buffers, 0, 1) }],
    ['a used binding marked unused', { ...rowwise, buffers: ['x', '-', 'out'] }],
    ['a used binding left out', { ...rowwise, buffers: ['x', 'y'] }],
    ['an unused binding named', { ...finalize, buffers: ['h', 'partials', 'stats'] }],
    ['another entry point', { ...finalize, entry: 'partial' }],
    ['an entry point that does not exist', { ...finalize, entry: 'finalise' }],
    ['an override the shader lacks', { ...tiled, overrides: [...(tiled.overrides ?? []), 'TK'] }],
    [
      'a written binding declared read',
      { ...rowwise, source: rowwise.source.replace('read_write> outp', 'read> outp') },
    ],
    [
      'a read_write binding never written',
      { ...rowwise, source: rowwise.source.replace('read> x', 'read_write> x') },
    ],
  ];
  it('the unchanged entries pass', () => {
    expect([rowwise, finalize, tiled].flatMap(tableProblems)).toEqual([]);
  });
  it.each(cases)('%s', (_, spec) => {
    expect(tableProblems(spec)).not.toEqual([]);
  });
});
