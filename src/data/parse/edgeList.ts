// Edge lists as CSV/TSV/whitespace text: `source,target[,weight]` lines with an optional
// header, node ids arbitrary strings. Optional companions: a features file
// `id,f1,f2,…` (it then fixes the nodes and their order) and a labels file `id,label`.
// Lines starting with # or % are comments (SNAP, KONECT).

import { Rng } from '../../math/random';
import {
  checkFeatureLimit,
  countLines,
  detectDelimiter,
  edgeLimitError,
  featureProblem,
  Fingerprint,
  isNumber,
  isNumberLike,
  mapLabels,
  MAX_EDGES,
  parsedDataset,
  parseFeature,
  parseNumber,
  raggedRowError,
  scanLines,
  show,
  splitFields,
  U32Builder,
  type Delimiter,
  type ParseResult,
  type TextFile,
} from './common';
import { DataFileError } from './errors';
import { buildGraph, summarize } from './summary';

export interface EdgeListOptions {
  name?: string;
  /** Whether the edge file's first row is a header (default: detected). */
  header?: boolean;
  /**
   * Without a features file, nodes get seeded N(0, 1) features of this width (default 16):
   * the graph alone then drives the smoothing.
   */
  randomFeatureDim?: number;
  /** Seed of those random features (default 1). */
  seed?: number;
}

const HEADER_WORDS = new Set([
  'id',
  'node',
  'node_id',
  'nodeid',
  'name',
  'source',
  'target',
  'src',
  'dst',
  'from',
  'to',
  'u',
  'v',
  'i',
  'j',
  'weight',
  'w',
  'label',
  'class',
  'y',
]);

function isHeaderWord(s: string): boolean {
  return HEADER_WORDS.has(s.toLowerCase());
}

interface Row {
  fields: string[];
  lineNo: number;
}

/** The first two data rows of a file (for header detection) and its delimiter. */
function firstRows(file: TextFile): { rows: Row[]; delim: Delimiter } {
  const rows: Row[] = [];
  let delim: Delimiter = ',';
  try {
    scanLines(file.text, true, (line, lineNo) => {
      if (rows.length === 0) delim = detectDelimiter(line);
      rows.push({ fields: splitFields(line, delim), lineNo });
      if (rows.length === 2) throw STOP;
    });
  } catch (e) {
    if (e !== STOP) throw e;
  }
  if (rows.length === 0) throw new DataFileError(file.name, undefined, 'the file is empty');
  return { rows, delim };
}
const STOP = new Error('stop');

/**
 * A first row is a header when one of its fields is a known column name (source, target,
 * id, label, …), or it is not a number where the second row has a number in that column.
 */
function detectHeader(rows: Row[], mustBeNumeric: (col: number) => boolean): boolean {
  const [first, second] = rows;
  if (first.fields.some(isHeaderWord)) return true;
  for (let c = 0; c < first.fields.length; c++) {
    if (isNumber(first.fields[c])) continue;
    if (mustBeNumeric(c)) return true;
    if (second && c < second.fields.length && isNumber(second.fields[c])) return true;
  }
  return false;
}

/**
 * Parse an edge list (with optional features and labels files) into a graph data set.
 * Node ids are strings; without a features file they are numbered in order of first
 * appearance in the edges, with one they follow its rows (its nodes without edges stay as
 * isolated nodes, and an edge naming another id is an error). A labels line naming an
 * unknown id is an error; nodes the labels file leaves out are unlabelled (−1).
 */
export function parseEdgeList(
  files: { edges: TextFile; features?: TextFile; labels?: TextFile },
  options: EdgeListOptions = {},
): ParseResult {
  const { edges, labels: labelFile, features: featureFile } = files;
  const ids: string[] = [];
  const index = new Map<string, number>();
  const warnings: string[] = [];

  // Features first: they fix the nodes.
  let features: Float32Array | undefined;
  let d = 0;
  if (featureFile) {
    const { rows, delim } = firstRows(featureFile);
    const header = detectHeader(rows, (c) => c > 0);
    const n = countLines(featureFile.text, true) - (header ? 1 : 0);
    if (n === 0) throw new DataFileError(featureFile.name, undefined, 'the file has a header but no rows');
    d = rows[header ? 1 : 0]?.fields.length - 1;
    if (!(d >= 1))
      throw new DataFileError(
        featureFile.name,
        rows[header ? 1 : 0].lineNo,
        'a row needs an id and at least one feature',
      );
    checkFeatureLimit(featureFile.name, n, d);
    features = new Float32Array(n * d);
    const out = features;
    let skip = header;
    scanLines(featureFile.text, true, (line, lineNo) => {
      if (skip) {
        skip = false;
        return;
      }
      const f = splitFields(line, delim);
      if (f.length !== d + 1)
        throw raggedRowError(featureFile.name, lineNo, `${f.length - 1} features`, `others have ${d}`);
      const id = f[0];
      if (index.has(id)) throw new DataFileError(featureFile.name, lineNo, `duplicate node id ${show(id)}`);
      const i = ids.length;
      index.set(id, i);
      ids.push(id);
      for (let k = 0; k < d; k++) {
        const x = parseFeature(f[k + 1]);
        if (Number.isNaN(x))
          throw new DataFileError(
            featureFile.name,
            lineNo,
            `feature ${k + 1} is ${featureProblem(f[k + 1])}`,
          );
        out[i * d + k] = x;
      }
    });
  }
  const fixedNodes = featureFile !== undefined;

  // Edges.
  const { rows, delim } = firstRows(edges);
  const header = options.header ?? detectHeader(rows, (c) => c >= 2);
  const cols = rows[header ? 1 : 0]?.fields.length;
  if (cols === undefined)
    throw new DataFileError(edges.name, undefined, 'the file has a header but no edges');
  if (cols !== 2 && cols !== 3)
    throw new DataFileError(
      edges.name,
      rows[header ? 1 : 0].lineNo,
      `expected 2 or 3 fields (source, target[, weight]), found ${cols}`,
    );
  const pairs = new U32Builder();
  const weightList: number[] = [];
  let allOnes = true;
  let m = 0;
  let skip = header;
  const node = (id: string, lineNo: number): number => {
    let i = index.get(id);
    if (i === undefined) {
      if (fixedNodes)
        throw new DataFileError(
          edges.name,
          lineNo,
          `unknown node id ${show(id)} (not in ${featureFile!.name})`,
        );
      if (id === '') throw new DataFileError(edges.name, lineNo, 'empty node id');
      // A node id that is a number gone wrong (NaN, Inf, 0x10) or a decimal (0.5) means the
      // file is not the edge list it was taken for: refused rather than read as a node "NaN".
      if (isNumberLike(id) || (isNumber(id) && /[.eE]/.test(id)))
        throw new DataFileError(
          edges.name,
          lineNo,
          `node id ${show(id)} is ${isNumberLike(id) ? 'not a finite number' : 'a decimal'}; ids are integers or names (a matrix of numbers loads as token embeddings: name the file "…tokens…")`,
        );
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  scanLines(edges.text, true, (line, lineNo) => {
    if (skip) {
      skip = false;
      return;
    }
    const f = splitFields(line, delim);
    if (f.length !== cols)
      throw raggedRowError(edges.name, lineNo, `${f.length} fields`, `the first row has ${cols}`);
    if (++m > MAX_EDGES) throw edgeLimitError(edges.name, lineNo);
    pairs.push(node(f[0], lineNo));
    pairs.push(node(f[1], lineNo));
    if (cols === 3) {
      const w = parseNumber(f[2]);
      if (!(w > 0))
        throw new DataFileError(
          edges.name,
          lineNo,
          Number.isNaN(w) ? `weight ${show(f[2])} is not a number` : `weight ${f[2]} is not positive`,
        );
      if (w !== 1) allOnes = false;
      weightList.push(w);
    }
  });
  const n = ids.length;
  if (n === 0) throw new DataFileError(edges.name, undefined, 'the file has no edges');

  if (!features) {
    d = options.randomFeatureDim ?? 16;
    if (!Number.isInteger(d) || d < 1)
      throw new Error(`randomFeatureDim must be a positive integer (got ${d})`);
    checkFeatureLimit(edges.name, n, d);
    features = new Float32Array(n * d);
    new Rng(options.seed ?? 1, 0x45444745 /* 'EDGE' */, n, d).fillNormal(features);
    warnings.push(
      `no features file: ${d} seeded random N(0, 1) features per node (seed ${options.seed ?? 1})`,
    );
  }

  // Labels.
  let labelInfo: ReturnType<typeof mapLabels> | undefined;
  if (labelFile) {
    const first = firstRows(labelFile);
    const lHeader = detectHeader(first.rows, () => false);
    const raw: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
    const seen = new Uint8Array(n);
    const lineOfNode = new Int32Array(n);
    const order: number[] = [];
    let lskip = lHeader;
    scanLines(labelFile.text, true, (line, lineNo) => {
      if (lskip) {
        lskip = false;
        return;
      }
      const f = splitFields(line, first.delim);
      if (f.length !== 2)
        throw new DataFileError(labelFile.name, lineNo, `expected 2 fields (id, label), found ${f.length}`);
      const i = index.get(f[0]);
      if (i === undefined)
        throw new DataFileError(
          labelFile.name,
          lineNo,
          `unknown node id ${show(f[0])} (not in ${fixedNodes ? featureFile!.name : edges.name})`,
        );
      if (seen[i])
        throw new DataFileError(labelFile.name, lineNo, `a second label for node id ${show(f[0])}`);
      seen[i] = 1;
      lineOfNode[i] = lineNo;
      raw[i] = f[1];
      order.push(i);
    });
    labelInfo = mapLabels(raw, order, { file: labelFile.name, lineOf: (i) => lineOfNode[i] });
    if (labelInfo.labelled === 0)
      throw new DataFileError(labelFile.name, undefined, 'the file labels no node');
  }

  const { graph, notes } = buildGraph(n, pairs.result(), cols === 3 && !allOnes ? weightList : undefined);
  const name = options.name ?? edges.name.replace(/\.[^./\\]*$/, '');
  const fp = new Fingerprint().text(edges.text);
  fp.text(featureFile ? featureFile.text : `random:${d}:${options.seed ?? 1}`);
  fp.text(labelFile ? labelFile.text : '').text(String(header));
  const dataset = parsedDataset('edgelist', name, fp, { n, featureDim: d, features, graph });
  if (labelInfo) {
    dataset.labels = labelInfo.labels;
    dataset.numClasses = labelInfo.numClasses;
  }
  return {
    dataset,
    summary: summarize(dataset, notes, warnings),
    classNames: labelInfo?.classNames,
    nodeIds: ids,
  };
}
