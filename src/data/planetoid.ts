// Planetoid citation graphs (Cora, CiteSeer) in the JSON layout of
// ../shared/datasets/README.md: features as lists of word indices (binary bag of words),
// undirected edges [u, v], labels with −1 for unlabeled nodes.

import type { Dataset, DatasetSplit } from './types';
import { buildCsr } from './graph';
import { MAX_CLASSES } from './parse/common';

function fail(what: string): never {
  throw new Error(`Planetoid JSON: ${what}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A value as a message quotes it: a short, escaped excerpt, never the whole of it (a file
 * once held a 20 MB string where a word index belongs, and its message froze the page).
 */
export function brief(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return `a list of ${v.length.toLocaleString('en-US')}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  const t = String(v as number | boolean | bigint | symbol);
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

function count(obj: Record<string, unknown>, key: string, max: number, why: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    fail(`"${key}" must be a positive integer (got ${brief(v)})`);
  if (v > max) fail(`"${key}" is ${v.toLocaleString('en-US')}, more than ${why}`);
  return v;
}

function indexIn(v: unknown, lo: number, hi: number, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v >= hi)
    fail(`${where} must be an integer in ${lo}..${hi - 1} (got ${brief(v)})`);
  return v;
}

/** FNV-1a over 32-bit integers: a content fingerprint for the data set id. */
function fnv1a(h: number, x: number): number {
  for (let s = 0; s < 32; s += 8) h = Math.imul(h ^ ((x >>> s) & 0xff), 0x01000193);
  return h >>> 0;
}

/**
 * Parse a Planetoid JSON object (already JSON.parse'd) into a Dataset. Throws an Error that
 * names the offending field on malformed input. Labels −1 (unlabeled) are kept as −1.
 * The id is `planetoid:<name>:<fingerprint of the numbers and the split>`, so two different files
 * with the same name never share cached results.
 */
export function parsePlanetoid(json: unknown, name?: string): Dataset {
  if (!isRecord(json))
    fail('expected an object with numNodes, numFeatures, numClasses, labels, features, edges');
  // Every count is held against the lists it describes and the page's limits before anything
  // is allocated for it: "numClasses": 1e9 once built a legend of a billion entries.
  // (numNodes is held against the "labels" list below, before the labels are allocated.)
  const n = count(json, 'numNodes', 1 << 28, 'the limit of 2^28 nodes');
  const numFeatures = count(json, 'numFeatures', 1 << 28, 'the limit of 2^28 feature entries');
  const numClasses = count(
    json,
    'numClasses',
    Math.min(n, MAX_CLASSES),
    `${Math.min(n, MAX_CLASSES).toLocaleString('en-US')}: a set may have at most ${MAX_CLASSES.toLocaleString('en-US')} classes, and never more than its nodes`,
  );
  const dsName = name ?? (typeof json.name === 'string' ? json.name : 'planetoid');
  if (n * numFeatures > 1 << 28)
    fail(`numNodes·numFeatures = ${n * numFeatures} is too large for a dense feature matrix`);
  let h = 0x811c9dc5;
  h = fnv1a(fnv1a(fnv1a(h, n), numFeatures), numClasses);

  const { labels: rawLabels, features: rawFeatures, edges: rawEdges } = json;
  if (!Array.isArray(rawLabels) || rawLabels.length !== n)
    fail(`"labels" must be an array of numNodes = ${n} entries`);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = indexIn(rawLabels[i], -1, numClasses, `labels[${i}]`);
    h = fnv1a(h, labels[i]);
  }

  if (!Array.isArray(rawFeatures) || rawFeatures.length !== n)
    fail(`"features" must be an array of numNodes = ${n} lists of word indices`);
  const features = new Float32Array(n * numFeatures);
  for (let i = 0; i < n; i++) {
    const words: unknown = rawFeatures[i];
    if (!Array.isArray(words)) fail(`features[${i}] must be a list of word indices`);
    for (let k = 0; k < words.length; k++) {
      const w = indexIn(words[k], 0, numFeatures, `features[${i}][${k}]`);
      features[i * numFeatures + w] = 1;
      h = fnv1a(h, i * numFeatures + w);
    }
  }

  if (!Array.isArray(rawEdges)) fail('"edges" must be an array of [u, v] pairs');
  const pairs = new Uint32Array(2 * rawEdges.length);
  for (let e = 0; e < rawEdges.length; e++) {
    const pair: unknown = rawEdges[e];
    if (!Array.isArray(pair) || pair.length !== 2) fail(`edges[${e}] must be a pair [u, v]`);
    pairs[2 * e] = indexIn(pair[0], 0, n, `edges[${e}][0]`);
    pairs[2 * e + 1] = indexIn(pair[1], 0, n, `edges[${e}][1]`);
    h = fnv1a(fnv1a(h, pairs[2 * e]), pairs[2 * e + 1]);
  }
  const { graph } = buildCsr(n, pairs);
  const split = parseSplit(json.split, n);
  // The split is part of the content: the same graph with another split must not share an id
  // (the training worker keeps a data set it was sent once under its id).
  if (split)
    for (const part of [split.train, split.val, split.test]) {
      h = fnv1a(h, part.length);
      for (let k = 0; k < part.length; k++) h = fnv1a(h, part[k]);
    }

  return {
    id: `planetoid:${dsName}:${h.toString(16).padStart(8, '0')}`,
    name: dsName,
    n,
    featureDim: numFeatures,
    features,
    graph,
    labels,
    numClasses,
    ...(split ? { split } : {}),
  };
}

/** The optional `split: {train, val, test}` lists of node indices (absent: no split). */
function parseSplit(raw: unknown, n: number): DatasetSplit | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) fail('"split" must be an object with train, val and test lists of node indices');
  const part = (key: 'train' | 'val' | 'test'): Uint32Array => {
    const list = raw[key];
    if (!Array.isArray(list)) fail(`"split.${key}" must be a list of node indices`);
    const out = new Uint32Array(list.length);
    for (let k = 0; k < list.length; k++) out[k] = indexIn(list[k], 0, n, `split.${key}[${k}]`);
    return out;
  };
  return { train: part('train'), val: part('val'), test: part('test') };
}
