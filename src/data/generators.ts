// Seeded built-in data sets (the generated kinds of DatasetSpec). Pure functions: the same
// spec gives the same numbers, on every machine, through src/engine/random.ts.

import type { Dataset, DatasetSpec } from '../engine/types';
import { Rng } from '../engine/random';
import { buildCsr, connectedComponents, type Csr } from './graph';

export type GeneratedSpec = Exclude<DatasetSpec, { kind: 'loaded' }>;

// Stream ids: (spec seed, DATA_DOMAIN, kind id, part).
const DATA_DOMAIN = 0x44415441; // 'DATA'
const KIND_ID = { csbm: 1, 'random-graph': 2, tokens: 3 } as const;
const PART = { edges: 2, means: 3, noise: 4, bridges: 5 } as const;

/** The largest generated set: random graphs up to 10⁷ nodes, the others up to 10⁶. */
const MAX_NODES = { csbm: 1_000_000, 'random-graph': 10_000_000, tokens: 1_000_000 } as const;
/** Feature entries (n·featureDim) a generated set may hold: 2²⁸ float32 = 1 GiB. */
const MAX_FEATURE_ENTRIES = 1 << 28;

/** A JSON text of the spec with its keys sorted: equal specs give equal ids. */
export function canonicalSpecId(spec: DatasetSpec): string {
  const keys = Object.keys(spec).sort();
  return JSON.stringify(
    Object.fromEntries(keys.map((k) => [k, (spec as unknown as Record<string, unknown>)[k]])),
  );
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function validate(spec: GeneratedSpec): void {
  const what = `${spec.kind} data set`;
  check(
    Number.isInteger(spec.n) && spec.n >= 1 && spec.n <= MAX_NODES[spec.kind],
    `${what}: n must be an integer in 1..${MAX_NODES[spec.kind]} (got ${spec.n})`,
  );
  check(
    Number.isInteger(spec.featureDim) && spec.featureDim >= 1,
    `${what}: featureDim must be a positive integer (got ${spec.featureDim})`,
  );
  check(
    spec.n * spec.featureDim <= MAX_FEATURE_ENTRIES,
    `${what}: n·featureDim = ${spec.n * spec.featureDim} is more than ${MAX_FEATURE_ENTRIES} entries`,
  );
  check(Number.isFinite(spec.seed), `${what}: seed must be a finite number (got ${spec.seed})`);
  if (spec.kind !== 'tokens') {
    check(
      Number.isFinite(spec.avgDegree) && spec.avgDegree >= 0 && spec.avgDegree <= Math.max(0, spec.n - 1),
      `${what}: avgDegree must be in 0..n−1 (got ${spec.avgDegree})`,
    );
  }
  if (spec.kind === 'csbm') {
    check(
      Number.isInteger(spec.classes) && spec.classes >= 1 && spec.classes <= spec.n,
      `${what}: classes must be an integer in 1..n (got ${spec.classes})`,
    );
    check(
      Number.isFinite(spec.homophily) && spec.homophily >= 0 && spec.homophily <= 1,
      `${what}: homophily must be in 0..1 (got ${spec.homophily})`,
    );
  }
  if (spec.kind === 'tokens')
    check(
      Number.isInteger(spec.clusters) && spec.clusters >= 1 && spec.clusters <= spec.n,
      `${what}: clusters must be an integer in 1..n (got ${spec.clusters})`,
    );
  if (spec.kind === 'csbm' || spec.kind === 'tokens')
    check(
      Number.isFinite(spec.separation) && spec.separation >= 0,
      `${what}: separation must be a finite number ≥ 0 (got ${spec.separation})`,
    );
}

/**
 * Balanced labels in contiguous blocks (node i in class ⌊i·k/n⌋): classes differ in size
 * by at most one, and views that draw nodes in index order show the classes as blocks.
 */
export function blockLabels(n: number, k: number): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = Math.floor((i * k) / n);
  return labels;
}

/**
 * k class means at pairwise distance `separation`: orthogonal directions scaled by
 * separation/√2 when k ≤ dim (Gram–Schmidt on Gaussian vectors), else random unit
 * directions, whose pairwise distances are then only about `separation`.
 */
function classMeans(k: number, dim: number, separation: number, rng: Rng): Float64Array {
  const means = new Float64Array(k * dim);
  rng.fillNormal(means);
  for (let c = 0; c < k; c++) {
    const o = c * dim;
    if (c < dim)
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let t = 0; t < dim; t++) dot += means[p * dim + t] * means[o + t];
        for (let t = 0; t < dim; t++) means[o + t] -= dot * means[p * dim + t];
      }
    let norm = 0;
    for (let t = 0; t < dim; t++) norm += means[o + t] ** 2;
    norm = Math.sqrt(norm);
    for (let t = 0; t < dim; t++) means[o + t] = norm > 0 ? means[o + t] / norm : 0;
  }
  const scale = separation / Math.SQRT2;
  for (let i = 0; i < means.length; i++) means[i] *= scale;
  return means;
}

/** Features: the mean of each node's class plus N(0, 1) noise, as float32. */
function mixtureFeatures(labels: Int32Array, means: Float64Array, dim: number, rng: Rng): Float32Array {
  const x = new Float32Array(labels.length * dim);
  for (let i = 0; i < labels.length; i++) {
    const o = labels[i] * dim;
    for (let t = 0; t < dim; t++) x[i * dim + t] = means[o + t] + rng.normal();
  }
  return x;
}

/**
 * Contextual stochastic block model. m = round(n·avgDegree/2) edges; each picks a uniform
 * endpoint u, then with probability `homophily` a partner v ≠ u of u's class, else one of
 * another class (uniform within the chosen set). Repeats and self loops are dropped, so
 * the realized mean degree is a little below avgDegree on small dense graphs; the graph is
 * then made connected (see connectGraph).
 */
function csbm(spec: Extract<GeneratedSpec, { kind: 'csbm' }>): Dataset {
  const { n, classes: k, featureDim: dim } = spec;
  const labels = blockLabels(n, k);
  // Class c holds nodes start[c]..start[c+1]−1 (contiguous blocks).
  const start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) start[labels[i] + 1]++;
  for (let c = 0; c < k; c++) start[c + 1] += start[c];

  const rng = new Rng(spec.seed, DATA_DOMAIN, KIND_ID.csbm, PART.edges);
  const m = Math.round((n * spec.avgDegree) / 2);
  const pairs = new Uint32Array(2 * m);
  let kept = 0;
  for (let e = 0; e < m; e++) {
    const u = rng.int(n);
    const c = labels[u];
    const size = start[c + 1] - start[c];
    const intra = rng.uniform() < spec.homophily;
    let v: number;
    if (intra || size === n) {
      if (size < 2) continue;
      v = start[c] + rng.int(size - 1);
      if (v >= u) v++; // skip u itself
    } else {
      v = rng.int(n - size);
      if (v >= start[c]) v += size; // skip u's class
    }
    pairs[2 * kept] = u;
    pairs[2 * kept + 1] = v;
    kept++;
  }
  const graph = connectGraph(
    buildCsr(n, pairs.subarray(0, 2 * kept)).graph,
    n,
    labels,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.csbm, PART.bridges),
  );
  const means = classMeans(
    k,
    dim,
    spec.separation,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.csbm, PART.means),
  );
  const features = mixtureFeatures(
    labels,
    means,
    dim,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.csbm, PART.noise),
  );
  return {
    id: canonicalSpecId(spec),
    name: `contextual SBM (n=${n}, ${k} classes, degree ${spec.avgDegree}, homophily ${spec.homophily})`,
    n,
    featureDim: dim,
    features,
    graph,
    labels,
    numClasses: k,
  };
}

/**
 * Join every connected component to the largest one by a single edge, from a random node
 * of the component to a random node of the largest one (of the same class when it has
 * one). A sparse random graph usually leaves a few isolated nodes; each would keep its
 * own features forever under message passing, so μ could never reach 0 and the
 * oversmoothing picture the lecture is about would be hidden by an accident of sampling.
 * Costs (components − 1) extra edges: none at all on a connected sample.
 */
function connectGraph(graph: Csr, n: number, labels: Int32Array, rng: Rng): Csr {
  const { component, sizes } = connectedComponents(graph, n);
  if (sizes.length <= 1) return graph;
  let main = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[main]) main = c;
  const members: number[][] = sizes.map(() => []);
  for (let i = 0; i < n; i++) members[component[i]].push(i);
  const mainByClass = new Map<number, number[]>();
  for (const i of members[main]) {
    const list = mainByClass.get(labels[i]) ?? [];
    list.push(i);
    mainByClass.set(labels[i], list);
  }
  const pairs = new Uint32Array(graph.colIdx.length + 2 * (sizes.length - 1));
  let p = 0;
  for (let i = 0; i < n; i++)
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++)
      if (graph.colIdx[k] > i) {
        pairs[p++] = i;
        pairs[p++] = graph.colIdx[k];
      }
  for (let c = 0; c < sizes.length; c++) {
    if (c === main) continue;
    const u = members[c][rng.int(members[c].length)];
    const pool = mainByClass.get(labels[u]) ?? members[main];
    pairs[p++] = u;
    pairs[p++] = pool[rng.int(pool.length)];
  }
  return buildCsr(n, pairs).graph;
}

/** Erdős–Rényi-style graph: round(n·avgDegree/2) uniform random pairs (repeats and loops dropped), N(0, 1) features. */
function randomGraph(spec: Extract<GeneratedSpec, { kind: 'random-graph' }>): Dataset {
  const { n, featureDim: dim } = spec;
  const rng = new Rng(spec.seed, DATA_DOMAIN, KIND_ID['random-graph'], PART.edges);
  const m = Math.round((n * spec.avgDegree) / 2);
  const pairs = new Uint32Array(2 * m);
  for (let i = 0; i < pairs.length; i++) pairs[i] = rng.int(n);
  const { graph } = buildCsr(n, pairs);
  const features = new Float32Array(n * dim);
  new Rng(spec.seed, DATA_DOMAIN, KIND_ID['random-graph'], PART.noise).fillNormal(features);
  return {
    id: canonicalSpecId(spec),
    name: `random graph (n=${n}, degree ${spec.avgDegree})`,
    n,
    featureDim: dim,
    features,
    graph,
  };
}

/** Gaussian-mixture tokens (no graph): `clusters` means at distance `separation`, N(0, 1) noise; label = cluster. */
function tokens(spec: Extract<GeneratedSpec, { kind: 'tokens' }>): Dataset {
  const { n, clusters: k, featureDim: dim } = spec;
  const labels = blockLabels(n, k);
  const means = classMeans(
    k,
    dim,
    spec.separation,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.tokens, PART.means),
  );
  const features = mixtureFeatures(
    labels,
    means,
    dim,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.tokens, PART.noise),
  );
  return {
    id: canonicalSpecId(spec),
    name: `Gaussian-mixture tokens (n=${n}, ${k} clusters)`,
    n,
    featureDim: dim,
    features,
    labels,
    numClasses: k,
  };
}

/** Build a generated data set from its spec (throws an Error naming the bad field). */
export function generateDataset(spec: GeneratedSpec): Dataset {
  validate(spec);
  switch (spec.kind) {
    case 'csbm':
      return csbm(spec);
    case 'random-graph':
      return randomGraph(spec);
    case 'tokens':
      return tokens(spec);
  }
}
