// Recorded hidden states: the arrays of a real model's forward pass, all layers at once, sorted
// into stacks. What the files may hold (see the README, "Recorded hidden states"):
//   - a stack: a float array (L+1, N, d), layer 0 the input representation;
//     in an .npz, one per key (one per model or per input); a lone .npy is named after its file;
//   - or one (N, d_ℓ) array per layer, named `layer_0`, `layer_1`, … (or `NAME_layer_0`, … for
//     several stacks), as separate .npy files or keys of an .npz; widths may differ per layer;
//   - optional `labels` (N,) integers, one class per token or node;
//   - optional `edges` (E, 2) or `edge_index` (2, E) integers: the graph (Dirichlet energy);
//   - optional `attention` (L, N, N), or `NAME_attention` for stack NAME: each layer's
//     attention map (rows summing to 1), for the attention-similarity metric.

import { buildCsr, type Csr } from '../../data/graph';
import { MAX_CLASSES } from '../../data/parse/common';
import { DataFileError } from '../../data/parse/errors';
import type { NumericArray } from './npyArray';

/** Numbers all the arrays of one recording may hold together (128 MiB of float32). */
export const MAX_RECORDED_ENTRIES = 2 ** 25;
/** Layers after the input, as the page's depth slider allows. */
export const MAX_RECORDED_LAYERS = 256;
/** Stacks in one recording (panels pick two of them). */
export const MAX_STACKS = 16;
/** Attention maps are N×N per layer: kept only up to this many tokens. */
export const MAX_ATTENTION_N = 2048;

export type FloatArray = Float32Array | Float64Array;

export interface RecordedStack {
  name: string;
  /** H_0..H_L, each N×widths[ℓ], row-major. */
  layers: FloatArray[];
  widths: number[];
  /** The attention map (N×N) of layers 1..L, when recorded. */
  attention: FloatArray[] | null;
}

export interface Recording {
  /** The file names read, for messages and the panel. */
  files: string[];
  n: number;
  stacks: RecordedStack[];
  labels: Int32Array | null;
  numClasses: number;
  graph: Csr | null;
  edgeCount: number;
}

/** One array of a recording: its key (or file name without `.npy`) and where it came from. */
export interface NamedArray {
  key: string;
  file: string;
  array: NumericArray;
}

const LAYER_KEY = /^(?:(.*?)[._/-])?layer[_-]?(\d+)$/i;
const ATTENTION_KEY = /^(?:(.*?)[._/-])?attention$/i;
const fmt = (x: number) => x.toLocaleString('en-US');

function shapeOf(a: NumericArray): string {
  return `(${a.shape.join(', ')}${a.shape.length === 1 ? ',' : ''})`;
}

/** Sort a recording's arrays into stacks, labels, graph and attention maps, checking every shape. */
export function assembleRecording(arrays: NamedArray[], files: string[], fallbackName: string): Recording {
  // An array's `file` names it (an .npz member as "file.npz › key.npy"), so messages start with it.
  const fail = (a: NamedArray | null, what: string): never => {
    throw new DataFileError(a ? a.file : files.join(' + '), undefined, what);
  };
  const stacks = new Map<string, { whole?: NamedArray; layers: Map<number, NamedArray> }>();
  const stackOf = (name: string) => {
    let s = stacks.get(name);
    if (!s) stacks.set(name, (s = { layers: new Map() }));
    return s;
  };
  let labels: NamedArray | null = null;
  let edges: NamedArray | null = null;
  const attention = new Map<string, NamedArray>();
  for (const a of arrays) {
    const key = a.key;
    const lower = key.toLowerCase();
    const layer = LAYER_KEY.exec(key);
    const att = ATTENTION_KEY.exec(key);
    if (lower === 'labels' || lower === 'y') labels = a;
    else if (lower === 'edges' || lower === 'edge_index') edges = a;
    else if (att) attention.set(att[1] ?? '', a);
    else if (layer) {
      if (a.array.kind !== 'float' || a.array.shape.length !== 2)
        fail(
          a,
          `a layer must be a float (N, d) array; this one is ${a.array.dtype} of shape ${shapeOf(a.array)}`,
        );
      const s = stackOf(layer[1] ?? '');
      const index = Number(layer[2]);
      if (s.layers.has(index)) fail(a, `layer ${index} is given twice`);
      s.layers.set(index, a);
    } else if (a.array.kind === 'float' && a.array.shape.length === 3) stackOf(key).whole = a;
    else
      fail(
        a,
        `an array of ${a.array.dtype}, shape ${shapeOf(a.array)}, is none of: a stack (L+1, N, d) of floats, ` +
          '`layer_K` (N, d), `labels` (N,), `edges` (E, 2), `edge_index` (2, E), `attention` (L, N, N)',
      );
  }
  if (stacks.size === 0)
    fail(
      null,
      'no hidden states: give a float array of shape (L+1, N, d), or one (N, d) array per layer named layer_0, layer_1, …',
    );
  if (stacks.size > MAX_STACKS)
    fail(null, `${stacks.size} stacks, more than the ${MAX_STACKS} a recording may have`);

  let n = -1;
  let first: NamedArray | null = null;
  const checkN = (a: NamedArray, rows: number) => {
    if (n < 0) {
      n = rows;
      first = a;
    } else if (rows !== n)
      fail(
        a,
        `${fmt(rows)} rows, but ${first!.key} has ${fmt(n)}: every stack must hold the same tokens or nodes`,
      );
  };
  const out: RecordedStack[] = [];
  for (const [name, s] of stacks) {
    const label = name || fallbackName;
    let layers: FloatArray[];
    let widths: number[];
    if (s.whole) {
      if (s.layers.size) fail(s.whole, `given both as one array and layer by layer`);
      const arr = s.whole.array;
      const [count, rows, d] = arr.shape;
      if (count < 1 || rows < 1 || d < 1) fail(s.whole, `shape ${shapeOf(arr)} holds no numbers`);
      checkN(s.whole, rows);
      const data = arr.data as FloatArray;
      layers = Array.from({ length: count }, (_, l) => data.subarray(l * rows * d, (l + 1) * rows * d));
      widths = layers.map(() => d);
    } else {
      const indices = [...s.layers.keys()].sort((a, b) => a - b);
      indices.forEach((index, k) => {
        if (index !== k)
          fail(
            s.layers.get(index)!,
            `layer ${k} is missing (layers must be numbered 0, 1, 2, … without gaps)`,
          );
      });
      layers = [];
      widths = [];
      for (const index of indices) {
        const a = s.layers.get(index)!;
        const [rows, d] = a.array.shape;
        if (rows < 1 || d < 1) fail(a, `shape ${shapeOf(a.array)} holds no numbers`);
        checkN(a, rows);
        layers.push(a.array.data as FloatArray);
        widths.push(d);
      }
    }
    if (layers.length - 1 > MAX_RECORDED_LAYERS)
      fail(
        s.whole ?? null,
        `${label}: ${layers.length - 1} layers, more than the ${MAX_RECORDED_LAYERS} the page shows`,
      );
    out.push({ name: label, layers, widths, attention: null });
  }

  for (const [name, a] of attention) {
    const stack = name === '' && out.length === 1 ? out[0] : out.find((s) => s.name === name);
    if (!stack) fail(a, `names no stack (the stacks are ${out.map((s) => s.name).join(', ')})`);
    const L = stack!.layers.length - 1;
    const [count, r, c] = a.array.shape;
    if (a.array.kind !== 'float' || a.array.shape.length !== 3 || count !== L || r !== n || c !== n)
      fail(
        a,
        `an attention map must be float (L, N, N) = (${L}, ${n}, ${n}); this one is ${a.array.dtype} ${shapeOf(a.array)}`,
      );
    if (n > MAX_ATTENTION_N)
      fail(a, `attention maps are read up to N = ${fmt(MAX_ATTENTION_N)} tokens (here ${fmt(n)})`);
    const data = a.array.data as FloatArray;
    stack!.attention = Array.from({ length: L }, (_, l) => data.subarray(l * n * n, (l + 1) * n * n));
  }

  let labelArray: Int32Array | null = null;
  let numClasses = 0;
  if (labels) {
    const a: NamedArray = labels;
    if (a.array.kind !== 'int' || a.array.shape.length !== 1 || a.array.shape[0] !== n)
      fail(a, `labels must be integers of shape (${n},); these are ${a.array.dtype} ${shapeOf(a.array)}`);
    labelArray = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = a.array.data[i];
      if (v < 0 || v >= MAX_CLASSES) fail(a, `label ${v} of row ${i} is outside 0…${MAX_CLASSES - 1}`);
      labelArray[i] = v;
      numClasses = Math.max(numClasses, v + 1);
    }
  }

  let graph: Csr | null = null;
  let edgeCount = 0;
  if (edges) {
    const a: NamedArray = edges;
    const byColumns = a.key.toLowerCase() === 'edge_index';
    const [r, c] = a.array.shape;
    const ok = a.array.kind === 'int' && a.array.shape.length === 2 && (byColumns ? r === 2 : c === 2);
    if (!ok)
      fail(
        a,
        `${byColumns ? 'edge_index must be integers of shape (2, E)' : 'edges must be integers of shape (E, 2)'}; these are ${a.array.dtype} ${shapeOf(a.array)}`,
      );
    const m = byColumns ? c : r;
    const pairs = new Uint32Array(2 * m);
    for (let e = 0; e < m; e++)
      for (let k = 0; k < 2; k++) {
        const v = byColumns ? a.array.data[k * m + e] : a.array.data[2 * e + k];
        if (v < 0 || v >= n)
          fail(a, `edge ${e} names node ${v}, but the stacks have ${fmt(n)} rows (0…${n - 1})`);
        pairs[2 * e + k] = v;
      }
    const built = buildCsr(n, pairs);
    graph = built.graph;
    edgeCount = built.edgeCount;
  }
  return { files, n, stacks: out, labels: labelArray, numClasses, graph, edgeCount };
}
