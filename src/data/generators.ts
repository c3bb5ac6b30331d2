// Seeded built-in data sets (the generated kinds of DatasetSpec). Pure functions: the same
// spec gives the same numbers, on every machine, through src/math/random.ts.

import type { Dataset, DatasetSpec } from './types';
import { Rng } from '../math/random';
import { buildCsr } from './graph';
import {
  blockLabels,
  canonicalSpecId,
  classMeans,
  connectGraph,
  DATA_DOMAIN,
  mixtureFeatures,
} from './generatorParts';
import { geometric, grid, ring, sbm } from './structured';
import { karate } from './karate';
import { positionalTokens } from './positional';

export { blockLabels, canonicalSpecId } from './generatorParts';

export type GeneratedSpec = Exclude<DatasetSpec, { kind: 'loaded' }>;

// Stream ids: (spec seed, DATA_DOMAIN, kind id, part). Ids 4.. belong to the generators of
// ./structured.ts and ./positional.ts.
const KIND_ID = { csbm: 1, 'random-graph': 2, tokens: 3 } as const;
const PART = { edges: 2, means: 3, noise: 4, bridges: 5 } as const;

/** The largest generated set: random graphs up to 10⁷ nodes, the others up to 10⁶. */
const maxNodes = (kind: GeneratedSpec['kind']): number => (kind === 'random-graph' ? 10_000_000 : 1_000_000);
/** Feature entries (n·featureDim) a generated set may hold: 2²⁸ float32 = 1 GiB. */
const MAX_FEATURE_ENTRIES = 1 << 28;

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/** The parameters some kinds have: each, where present, must pass `ok` (given the spec's n). */
const FIELD_RULES: Record<string, { ok: (v: number, n: number) => boolean; range: string }> = {
  avgDegree: { ok: (v, n) => Number.isFinite(v) && v >= 0 && v <= Math.max(0, n - 1), range: 'in 0..n−1' },
  classes: { ok: (v, n) => Number.isInteger(v) && v >= 1 && v <= n, range: 'an integer in 1..n' },
  homophily: { ok: (v) => Number.isFinite(v) && v >= 0 && v <= 1, range: 'in 0..1' },
  clusters: { ok: (v, n) => Number.isInteger(v) && v >= 1 && v <= n, range: 'an integer in 1..n' },
  separation: { ok: (v) => Number.isFinite(v) && v >= 0, range: 'a finite number ≥ 0' },
  radius: { ok: (v) => Number.isFinite(v) && v > 0 && v <= Math.SQRT2, range: 'in (0, √2]' },
};

function validate(spec: GeneratedSpec): void {
  if (spec.kind === 'karate') return; // no parameters
  const what = `${spec.kind} data set`;
  const max = maxNodes(spec.kind);
  check(
    Number.isInteger(spec.n) && spec.n >= 1 && spec.n <= max,
    `${what}: n must be an integer in 1..${max} (got ${spec.n})`,
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
  for (const [field, rule] of Object.entries(FIELD_RULES)) {
    if (!(field in spec)) continue;
    const v = (spec as unknown as Record<string, number>)[field];
    check(rule.ok(v, spec.n), `${what}: ${field} must be ${rule.range} (got ${v})`);
  }
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
  const features = classFeatures(spec, KIND_ID.csbm, labels, k, dim);
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

/** Features of labelled rows: `k` class means at distance `separation` plus N(0, 1) noise, each from its own stream of the seed. */
function classFeatures(
  spec: { seed: number; separation: number },
  kindId: number,
  labels: Int32Array,
  k: number,
  dim: number,
): Float32Array {
  const means = classMeans(k, dim, spec.separation, new Rng(spec.seed, DATA_DOMAIN, kindId, PART.means));
  return mixtureFeatures(labels, means, dim, new Rng(spec.seed, DATA_DOMAIN, kindId, PART.noise));
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
  const features = classFeatures(spec, KIND_ID.tokens, labels, k, dim);
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
  // The table's type ties each kind to its spec; a lookup by a union-typed kind loses that tie.
  return (GENERATORS[spec.kind] as (spec: GeneratedSpec) => Dataset)(spec);
}

/** Each generator by the kind of spec it builds. */
const GENERATORS: { [K in GeneratedSpec['kind']]: (spec: Extract<GeneratedSpec, { kind: K }>) => Dataset } = {
  csbm,
  'random-graph': randomGraph,
  tokens,
  sbm,
  ring,
  grid,
  geometric,
  karate: () => karate(),
  'positional-tokens': positionalTokens,
};
