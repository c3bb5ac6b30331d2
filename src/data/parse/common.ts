// Shared pieces of the file loaders: the limits, line scanning, field splitting, strict
// number parsing (no eval, no hex, no "Infinity"), label mapping and content fingerprints.

import type { Dataset } from '../types';
import { DataFileError } from './errors';
import type { DatasetSummary } from './summary';

/** A text file as the parsers take it: its name (for messages) and its whole text. */
export interface TextFile {
  name: string;
  text: string;
}

/** What every parser returns. */
export interface ParseResult {
  dataset: Dataset;
  summary: DatasetSummary;
  /** Class names, index = class (absent when the file has no labels). */
  classNames?: string[];
  /** The file's node ids, index = node (absent for token sets). */
  nodeIds?: string[];
}

/** Feature entries (N·d) a loaded data set may hold: 2²⁸ float32 = 1 GiB. */
export const MAX_FEATURE_ENTRIES = 2 ** 28;
/** Edges (lines of an edge file) a loaded graph may hold. */
export const MAX_EDGES = 50_000_000;
/**
 * Classes a loaded set may have (and never more than it has nodes): the legend, the colours and
 * the training read-out all hold one entry per class.
 */
export const MAX_CLASSES = 1000;
/** The largest finite float32: features are stored as float32, so larger values are refused. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function checkFeatureLimit(file: string, n: number, d: number): void {
  if (n * d > MAX_FEATURE_ENTRIES)
    throw new DataFileError(
      file,
      undefined,
      `${n.toLocaleString('en-US')} rows × ${d.toLocaleString('en-US')} features = ` +
        `${(n * d).toLocaleString('en-US')} entries, over the limit of 2^28 = ` +
        `${MAX_FEATURE_ENTRIES.toLocaleString('en-US')} feature entries`,
    );
}

/**
 * A row whose field count differs from the one the file set: `got` and `want` say what was found
 * and what the row must match, e.g. ("3 fields", "the first row has 2").
 */
export function raggedRowError(file: string, line: number, got: string, want: string): DataFileError {
  return new DataFileError(file, line, `ragged row: ${got} where ${want}`);
}

export function edgeLimitError(file: string, line: number): DataFileError {
  return new DataFileError(
    file,
    line,
    `more than ${MAX_EDGES.toLocaleString('en-US')} edges, the limit for a loaded graph`,
  );
}

/** Told, every 16,384 lines, how far a scan has come through which text (see setScanObserver). */
export type ScanObserver = (text: string, position: number) => void;
let scanObserver: ScanObserver | null = null;

/**
 * Watch every line scan from now on (null stops): the parse worker turns these calls into
 * its progress bar. One observer at a time; the parsers run one at a time in that worker.
 */
export function setScanObserver(observer: ScanObserver | null): void {
  scanObserver = observer;
}

/**
 * Call `fn` on each non-blank line (trailing \r stripped), with its 1-based line number.
 * With `comments`, lines whose first non-blank character is # or % are skipped too.
 */
export function scanLines(text: string, comments: boolean, fn: (line: string, lineNo: number) => void): void {
  let pos = 0;
  let lineNo = 0;
  const len = text.length;
  const observer = scanObserver;
  const eol = lineEnd(text);
  while (pos < len) {
    if (observer && (lineNo & 0x3fff) === 0) observer(text, pos);
    let end = text.indexOf(eol, pos);
    if (end < 0) end = len;
    lineNo++;
    let stop = end;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    const line = text.slice(pos, stop);
    pos = end + 1;
    const t = line.trim();
    if (t === '') continue;
    if (comments && (t[0] === '#' || t[0] === '%')) continue;
    fn(t, lineNo);
  }
}

/**
 * The line separator of a text: \n (with or without \r before it), or \r alone for a file
 * with old Mac line ends, which would otherwise read as one enormous line.
 */
export function lineEnd(text: string): '\n' | '\r' {
  return text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
}

/** Non-blank (and, with `comments`, non-comment) lines of a text. */
export function countLines(text: string, comments: boolean): number {
  let n = 0;
  scanLines(text, comments, () => n++);
  return n;
}

export type Delimiter = ',' | '\t' | ';' | 'ws';

/** The delimiter of a delimited text, guessed from its first data line. */
export function detectDelimiter(line: string): Delimiter {
  if (line.includes(',')) return ',';
  if (line.includes('\t')) return '\t';
  if (line.includes(';')) return ';';
  return 'ws';
}

const WS = /\s+/;

/**
 * Split a line with double-quoted fields (RFC 4180: a quoted field may hold the delimiter,
 * and "" inside it is one quote). Only called for lines that contain a quote.
 */
function splitQuoted(line: string, delim: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  // A field that was quoted keeps its blanks; an unquoted one is trimmed.
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && !wasQuoted && field.trim() === '') {
      field = '';
      quoted = wasQuoted = true;
    } else if (c === delim) {
      out.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else if (!wasQuoted || c.trim() !== '') field += c;
  }
  out.push(wasQuoted ? field : field.trim());
  return out;
}

/** Split a trimmed line into fields (each trimmed, surrounding double quotes removed). */
export function splitFields(line: string, delim: Delimiter): string[] {
  if (delim !== 'ws' && line.includes('"')) return splitQuoted(line, delim);
  const fields = delim === 'ws' ? line.split(WS) : line.split(delim);
  for (let i = 0; i < fields.length; i++) {
    let f = fields[i];
    if (delim !== 'ws') f = f.trim();
    if (f.length >= 2 && f.charCodeAt(0) === 34 && f.charCodeAt(f.length - 1) === 34) f = f.slice(1, -1);
    fields[i] = f;
  }
  return fields;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number (optionally signed, with exponent), or NaN for anything else. */
export function parseNumber(s: string): number {
  if (s === '0') return 0;
  if (s === '1') return 1;
  if (!NUMBER.test(s)) return NaN;
  const x = Number(s);
  return Number.isFinite(x) ? x : NaN;
}

export function isNumber(s: string): boolean {
  return !Number.isNaN(parseNumber(s));
}

/**
 * Something that reads as a number to a person but is not a finite decimal here: NaN, Inf,
 * Infinity, hexadecimal, or a decimal that overflows (1e999). Detection treats these as
 * numbers gone wrong, never as node ids or header words.
 */
export function isNumberLike(s: string): boolean {
  if (isNumber(s)) return false;
  return /^[+-]?(nan|inf|infinity|0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)$/i.test(s);
}

/** A feature value: a finite decimal that fits in float32, or NaN. */
export function parseFeature(s: string): number {
  const x = parseNumber(s);
  return Math.abs(x) > FLOAT32_MAX ? NaN : x;
}

/** Why `s` is not a feature value, as "<value>, not a number" (the one rule of every loader). */
export function featureProblem(s: string): string {
  const x = parseNumber(s);
  if (Math.abs(x) > FLOAT32_MAX) return `${show(s)}, too large for float32 (at most ±3.4e38)`;
  if (isNumberLike(s)) return `${show(s)}, not a number (only finite decimals are read)`;
  return `${show(s)}, not a number`;
}

/** A field shown in a message: quoted and escaped, cut short when long. */
export function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** Where a label came from, for a message: the file, and the line of node i when known. */
export interface LabelSource {
  file: string;
  lineOf?: (node: number) => number | undefined;
}

/**
 * Class labels from their text. When every label is a non-negative integer, the integers
 * are the class indices (names "0", "1", …); otherwise names get indices in order of first
 * appearance. Empty labels and "-1" mean unlabelled (−1).
 */
export function mapLabels(
  raw: readonly (string | undefined)[],
  /** Node indices in the order the file lists them (default: node order), for naming. */
  order?: ArrayLike<number>,
  source: LabelSource = { file: 'labels' },
): {
  labels: Int32Array;
  numClasses: number;
  classNames: string[];
  labelled: number;
} {
  // At most min(nodes, MAX_CLASSES) classes, checked before anything per class is allocated.
  const cap = Math.min(raw.length, MAX_CLASSES);
  const tooMany = (i: number, what: string): DataFileError =>
    new DataFileError(
      source.file,
      source.lineOf?.(i),
      `${what}: a set of ${raw.length.toLocaleString('en-US')} nodes may have at most ` +
        `${cap.toLocaleString('en-US')} classes (never more than its nodes, and at most ${MAX_CLASSES.toLocaleString('en-US')})`,
    );
  const labels = new Int32Array(raw.length).fill(-1);
  let integers = true;
  let labelled = 0;
  for (const s of raw) {
    if (s === undefined || s === '' || s === '-1') continue;
    labelled++;
    if (!/^\d{1,9}$/.test(s)) integers = false;
  }
  if (integers) {
    let max = -1;
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i];
      if (s === undefined || s === '' || s === '-1') continue;
      labels[i] = Number(s);
      if (labels[i] >= cap) throw tooMany(i, `label ${show(s)} is class index ${s}`);
      if (labels[i] > max) max = labels[i];
    }
    return {
      labels,
      numClasses: max + 1,
      classNames: Array.from({ length: max + 1 }, (_, c) => String(c)),
      labelled,
    };
  }
  const index = new Map<string, number>();
  const count = order ? order.length : raw.length;
  for (let t = 0; t < count; t++) {
    const i = order ? order[t] : t;
    const s = raw[i];
    if (s === undefined || s === '' || s === '-1') continue;
    let c = index.get(s);
    if (c === undefined) {
      c = index.size;
      if (c >= cap) throw tooMany(i, `label ${show(s)} is class number ${(c + 1).toLocaleString('en-US')}`);
      index.set(s, c);
    }
    labels[i] = c;
  }
  return { labels, numClasses: index.size, classNames: [...index.keys()], labelled };
}

/**
 * A data set made from files: its id is `<format>:<name>:<fingerprint of what was read>`, so the
 * same files (and options) load as the same id, and a changed file as another.
 */
export function parsedDataset(
  format: string,
  name: string,
  fp: Fingerprint,
  data: Omit<Dataset, 'id' | 'name'>,
): Dataset {
  return { id: `${format}:${name}:${fp.hex()}`, name, ...data };
}

/** A file's name without its folders and its extension ("a/cora.content" → "cora"). */
export function baseName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** A 64-bit content fingerprint (two 32-bit FNV-1a-style hashes) as 16 hex digits. */
export class Fingerprint {
  private a = 0x811c9dc5;
  private b = 0x9e3779b9;

  /** Mix in a text, by its UTF-16 code units. */
  text(s: string): this {
    return this.absorb(s);
  }

  /** Mix in a file's bytes. */
  bytes(u: Uint8Array): this {
    return this.absorb(u);
  }

  private absorb(src: string | Uint8Array): this {
    const isText = typeof src === 'string';
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < src.length; i++) {
      const c = isText ? src.charCodeAt(i) : src[i];
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    this.a = a;
    this.b = b;
    return this.text0();
  }

  /** A separator, so that ("ab", "c") and ("a", "bc") differ. */
  private text0(): this {
    this.a = Math.imul(this.a ^ 0x1f, 0x01000193);
    this.b = Math.imul(this.b ^ 0x1f, 0x5bd1e995);
    return this;
  }

  hex(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}

/** A growable Uint32Array (edge endpoints). */
export class U32Builder {
  data = new Uint32Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  result(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}
