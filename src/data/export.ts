// Data out: features (or any N×d matrix) as CSV text or .npy bytes, the graph as an edge
// list CSV, labels as `id,label`. The parsers in ./parse read all of these back.

import type { Dataset } from './types';
import type { Csr } from './graph';

type Matrix = Float32Array | Float64Array;

/**
 * A node id or label as one CSV field: quoted (RFC 4180, quotes doubled) when it holds a
 * comma, a quote, a line break, or surrounding blanks the reader would trim. A field a
 * spreadsheet would evaluate as a formula (starting with = + - @, a tab or a carriage return;
 * OWASP's "CSV injection") gets a leading apostrophe, which spreadsheets show as text; plain
 * numbers such as -1 or +2.5 are left as they are, since a spreadsheet reads them as numbers.
 */
export function csvField(s: string): string {
  const t = FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(t) || t.trim() !== t || t === '' ? `"${t.replace(/"/g, '""')}"` : t;
}
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function checkShape(data: Matrix, n: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || data.length !== n * d)
    throw new Error(`export: ${data.length} numbers do not form an ${n}×${d} matrix`);
}

/** The shortest decimal that reads back as the same float32. */
function float32Text(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return trimExponent(s);
  }
  return trimExponent(x.toPrecision(9));
}

/** toPrecision writes 1e+2; keep it but drop the redundant '+'. */
function trimExponent(s: string): string {
  return s.replace('e+', 'e');
}

export interface CsvExportOptions {
  /** Column names for a header row (default: none); `true` writes f1, f2, …. */
  header?: boolean | string[];
  /** Node ids: writes `id,f1,…` rows, the features-file layout of parseEdgeList. */
  ids?: readonly string[];
}

/**
 * An N×d matrix as CSV text, one row per line, numbers written so that they read back
 * exactly (float32 values in their shortest float32 form, float64 in JavaScript's).
 */
export function matrixToCsv(data: Matrix, n: number, d: number, options: CsvExportOptions = {}): string {
  checkShape(data, n, d);
  if (options.ids && options.ids.length !== n)
    throw new Error(`export: ${options.ids.length} ids for ${n} rows`);
  const fmt = data instanceof Float32Array ? float32Text : (x: number) => String(x);
  const out: string[] = [];
  const { header, ids } = options;
  if (header) {
    const names = header === true ? Array.from({ length: d }, (_, k) => `f${k + 1}`) : header;
    if (names.length !== d) throw new Error(`export: ${names.length} column names for ${d} columns`);
    out.push((ids ? ['id', ...names] : names).map(csvField).join(','));
  }
  const row = new Array<string>(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) row[k] = fmt(data[i * d + k]);
    out.push(ids ? `${csvField(ids[i])},${row.join(',')}` : row.join(','));
  }
  return out.join('\n') + '\n';
}

/** A data set's features as CSV (with `ids`, in the `id,f1,…` layout). */
export function featuresToCsv(ds: Dataset, options: CsvExportOptions = {}): string {
  return matrixToCsv(ds.features, ds.n, ds.featureDim, options);
}

/**
 * An N×d matrix (or, with d omitted, a vector of N) as .npy bytes: format 1.0, C order,
 * dtype '<f4' or '<f8' (default: that of the array).
 */
export function matrixToNpy(data: Matrix, n: number, d?: number, dtype?: '<f4' | '<f8'): Uint8Array {
  checkShape(data, n, d ?? 1);
  const type = dtype ?? (data instanceof Float32Array ? '<f4' : '<f8');
  const shape = d === undefined ? `(${n},)` : `(${n}, ${d})`;
  let header = `{'descr': '${type}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic (6) + version (2) + length (2) + header + '\n' padded to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  if (header.length > 0xffff) throw new Error('export: .npy header too long');
  const itemSize = type === '<f4' ? 4 : 8;
  const bytes = new Uint8Array(total + data.length * itemSize);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) bytes[10 + k] = header.charCodeAt(k);
  const values = type === '<f4' ? new Float32Array(data) : new Float64Array(data);
  bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), total);
  return bytes;
}

/** A data set's features as .npy bytes (shape (N, d), '<f4' unless asked for '<f8'). */
export function featuresToNpy(ds: Dataset, dtype: '<f4' | '<f8' = '<f4'): Uint8Array {
  return matrixToNpy(ds.features, ds.n, ds.featureDim, dtype);
}

export interface EdgeListExportOptions {
  /** Node ids (default: 0..n−1). */
  ids?: readonly string[];
  /** Write a `source,target[,weight]` header row (default true). */
  header?: boolean;
}

/**
 * The undirected graph as an edge list CSV, each edge once (u < v, rows in CSR order), with
 * a weight column when the graph is weighted. Isolated nodes do not appear: export the
 * features with ids too to keep them.
 */
export function graphToEdgeListCsv(graph: Csr, options: EdgeListExportOptions = {}): string {
  const n = graph.rowPtr.length - 1;
  const { ids } = options;
  if (ids && ids.length !== n) throw new Error(`export: ${ids.length} ids for ${n} nodes`);
  const name = (i: number): string => (ids ? csvField(ids[i]) : String(i));
  const out: string[] = [];
  if (options.header ?? true) out.push(graph.weights ? 'source,target,weight' : 'source,target');
  for (let u = 0; u < n; u++)
    for (let k = graph.rowPtr[u]; k < graph.rowPtr[u + 1]; k++) {
      const v = graph.colIdx[k];
      if (v <= u) continue;
      out.push(
        graph.weights ? `${name(u)},${name(v)},${float32Text(graph.weights[k])}` : `${name(u)},${name(v)}`,
      );
    }
  return out.join('\n') + '\n';
}

/** Labels as `id,label` CSV (unlabelled nodes, −1, are left out), class names when given. */
export function labelsToCsv(
  labels: Int32Array,
  options: { ids?: readonly string[]; classNames?: readonly string[] } = {},
): string {
  const out = ['id,label'];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    const label = options.classNames ? options.classNames[labels[i]] : String(labels[i]);
    out.push(`${options.ids ? csvField(options.ids[i]) : i},${csvField(label)}`);
  }
  return out.join('\n') + '\n';
}
