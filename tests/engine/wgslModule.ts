// A small reader of the WGSL this project writes: module-scope structs, resource bindings,
// override constants and functions, and for an entry point the module-scope names it uses (through
// the functions it calls) and the ones it writes. Enough to check the kernel tables against the
// shaders (kernelTable.test.ts); not a general WGSL parser: it does not model block scopes, so a
// name declared anywhere in a function (a parameter, let, var or const) is taken as that function's
// local throughout it.

export interface WgslBinding {
  group: number;
  binding: number;
  name: string;
  /** 'uniform' or 'storage'. */
  space: string;
  /** 'read' or 'read_write' for storage; null for uniforms. */
  access: string | null;
  type: string;
}

export interface WgslField {
  name: string;
  type: string;
}

export interface WgslFunction {
  name: string;
  /** The attributes before `fn`, e.g. ['compute', 'workgroup_size']. */
  attributes: string[];
  body: string;
  /** Its parameters and every let, var or const it declares. */
  locals: Set<string>;
}

export interface WgslModule {
  structs: Map<string, WgslField[]>;
  bindings: WgslBinding[];
  overrides: Set<string>;
  functions: Map<string, WgslFunction>;
}

/** The source with comments replaced by spaces (block comments nest in WGSL). */
export function stripComments(source: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const two = source.slice(i, i + 2);
    if (depth === 0 && two === '//') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (two === '/*') {
      depth++;
      i++;
    } else if (depth > 0 && two === '*/') {
      depth--;
      i++;
    } else if (depth === 0) {
      out += source[i];
    }
  }
  return out;
}

/** Index just past the bracket that closes the one at `open` (any of ( [ { <). */
function closing(text: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };
  const opener = text[open]!;
  const closer = pairs[opener]!;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === opener) depth++;
    else if (text[i] === closer && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced ${opener} at ${open}`);
}

/** Split at commas outside any brackets (`array<f32, 4>` stays whole). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ('(<[{'.includes(c)) depth++;
    else if (')>]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function parseWgsl(source: string): WgslModule {
  const text = stripComments(source);
  const structs = new Map<string, WgslField[]>();
  for (const m of text.matchAll(/\bstruct\s+(\w+)\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const fields = splitTopLevel(text.slice(open + 1, closing(text, open) - 1)).map((f) => {
      const fm = /^(?:@\w+(?:\([^)]*\))?\s*)*(\w+)\s*:\s*(.+)$/s.exec(f);
      if (!fm) throw new Error(`struct ${m[1]}: cannot read field "${f}"`);
      return { name: fm[1]!, type: fm[2]!.replace(/\s+/g, '') };
    });
    structs.set(m[1]!, fields);
  }

  const bindings: WgslBinding[] = [];
  const bindingRe =
    /@group\((\d+)\)\s*@binding\((\d+)\)\s*var\s*<\s*(\w+)\s*(?:,\s*(\w+)\s*)?>\s*(\w+)\s*:\s*([^;]+);/g;
  for (const m of text.matchAll(bindingRe)) {
    bindings.push({
      group: Number(m[1]),
      binding: Number(m[2]),
      space: m[3]!,
      access: m[3] === 'storage' ? (m[4] ?? 'read') : null,
      name: m[5]!,
      type: m[6]!.replace(/\s+/g, ''),
    });
  }

  const overrides = new Set<string>();
  for (const m of text.matchAll(/\boverride\s+(\w+)/g)) overrides.add(m[1]!);

  const functions = new Map<string, WgslFunction>();
  for (const m of text.matchAll(/((?:@\w+(?:\s*\([^)]*\))?\s*)*)\bfn\s+(\w+)\s*\(/g)) {
    const paramsOpen = m.index + m[0].length - 1;
    const paramsEnd = closing(text, paramsOpen);
    const bodyOpen = text.indexOf('{', paramsEnd);
    const body = text.slice(bodyOpen, closing(text, bodyOpen));
    const attributes = [...m[1]!.matchAll(/@(\w+)/g)].map((a) => a[1]!);
    const locals = new Set<string>();
    for (const p of splitTopLevel(text.slice(paramsOpen + 1, paramsEnd - 1)))
      locals.add(/(\w+)\s*:/.exec(p)![1]!);
    for (const d of body.matchAll(/\b(?:let|var|const)\s+(\w+)/g)) locals.add(d[1]!);
    functions.set(m[2]!, { name: m[2]!, attributes, body, locals });
  }
  return { structs, bindings, overrides, functions };
}

/** Identifiers of a function body that are neither member names (the `n` of `p.n`) nor its locals. */
function identifiers(fn: WgslFunction): { name: string; index: number }[] {
  const body = fn.body;
  const out: { name: string; index: number }[] = [];
  for (const m of body.matchAll(/[A-Za-z_]\w*/g)) {
    if (fn.locals.has(m[0])) continue;
    if (/\.\s*$/.test(body.slice(Math.max(0, m.index - 4), m.index))) continue;
    if (m.index > 0 && /[\w.]/.test(body[m.index - 1]!)) continue; // inside a number like 1.0e5
    out.push({ name: m[0], index: m.index });
  }
  return out;
}

/** The module's functions reachable from `entry`, the entry included. */
export function callGraph(module: WgslModule, entry: string): WgslFunction[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const fn = module.functions.get(name);
    if (!fn) return;
    seen.add(name);
    for (const id of identifiers(fn)) if (module.functions.has(id.name)) visit(id.name);
  };
  visit(entry);
  return [...seen].map((name) => module.functions.get(name)!);
}

/** Module-scope names that `entry` uses, directly or through the functions it calls. */
export function usedNames(module: WgslModule, entry: string): Set<string> {
  const used = new Set<string>();
  for (const fn of callGraph(module, entry)) for (const id of identifiers(fn)) used.add(id.name);
  return used;
}

/**
 * Whether `name` is written at this use: an assignment (plain or compound, not `==`) to it or to an
 * element or member of it, or its address taken (`&outp[i]` for an atomic).
 */
function isWrite(body: string, index: number, name: string): boolean {
  const before = body.slice(0, index).trimEnd();
  if (before.endsWith('&') && !before.endsWith('&&')) return true;
  let i = index + name.length;
  for (;;) {
    while (/\s/.test(body[i] ?? '')) i++;
    if (body[i] === '[') i = closing(body, i);
    else if (body[i] === '.' && /[A-Za-z_]/.test(body[i + 1] ?? '')) {
      i++;
      while (/\w/.test(body[i] ?? '')) i++;
    } else break;
  }
  return /^(?:[-+*/%&|^]|<<|>>)?=(?!=)/.test(body.slice(i)) || /^(?:\+\+|--)/.test(body.slice(i));
}

/** Module-scope names that `entry` writes, directly or through the functions it calls. */
export function writtenNames(module: WgslModule, entry: string): Set<string> {
  const written = new Set<string>();
  for (const fn of callGraph(module, entry))
    for (const id of identifiers(fn)) if (isWrite(fn.body, id.index, id.name)) written.add(id.name);
  return written;
}
