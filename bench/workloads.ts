// The three benchmark workloads: their configurations and their data sets.
//
// W1 (graph): Cora (2,708 nodes, 5,278 undirected edges, 1,433 binary bag-of-words features)
//   with its features reduced to 64 dimensions by a seeded Gaussian random projection
//   X·R, R ∈ R^{1433×64}, R_ij ~ N(0, 1/64) (a Johnson–Lindenstrauss map: E‖x R‖² = ‖x‖²),
//   drawn with the project's Rng (src/math/random.ts) under a fixed seed and computed in float64,
//   then cast to float32. The projected set is registered (registerDataset) and run through a
//   `loaded` DatasetSpec. Without the Cora file: an Erdős–Rényi-style random graph of
//   2,708 nodes, average degree 4 and 64 Gaussian features (the output says so).
//   Model: 64 GCN layers (Â = D̃⁻¹Ã), hidden 64, ContraNorm (s = 0.5, τ = 1, `code` form; it
//   ends with a LayerNorm, SPEC §1.3), then ReLU; no residual.
// W2 (sequence): 512 Gaussian-mixture tokens of width 64 through 64 one-head Transformer
//   layers, residual, post-norm with ContraNorm (s = 0.5, τ = 1) in the LayerNorm's place.
// W3 (scale): a random graph of 100,000 nodes, average degree 10, 32 features, through 16
//   GCN layers (rw) with PairNorm and ReLU; no features read back.

import type { Dataset, DatasetSpec, EngineConfig } from '../src/engine/types';
import { Rng } from '../src/math/random';
import { parsePlanetoid } from '../src/data/planetoid';
import { buildDataset, registerDataset } from '../src/data/datasets';
import type { WorkloadName } from './types';

/** Seed of the Cora random projection (and its Rng stream domain, 'PROJ'). */
export const PROJECTION_SEED = 20240501;
const PROJECTION_DOMAIN = 0x50524f4a;
export const PROJECTED_DIM = 64;

/** The weights seed of the reference run (the first timed run of every peer) and the alternate one. */
export const SEED_A = 7;
export const SEED_B = 8;

export interface Workload {
  name: WorkloadName;
  title: string;
  dataNote: string;
  config: EngineConfig;
  dataset: Dataset;
  features: 'all' | 'last' | 'none';
}

function baseConfig(dataset: DatasetSpec): EngineConfig {
  return {
    dataset,
    model: 'gnn',
    layers: 64,
    hidden: 64,
    adjacency: 'rw',
    norm: { kind: 'contranorm', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 },
    activation: 'relu',
    residual: 'none',
    alpha: 1,
    normPlacement: 'post',
    weights: { init: 'gaussian', gain: 1, tied: false, seed: SEED_A },
    centeredSpectrum: false,
  };
}

/**
 * Project an N×F feature matrix (row-major, mostly zeros) to N×k by X·R with R_ij ~ N(0, 1/k),
 * in float64. R is drawn row by row from one Rng stream keyed by (seed, 'PROJ', F, k).
 */
export function randomProjection(
  features: Float32Array,
  n: number,
  f: number,
  k: number,
  seed: number,
): Float32Array {
  const r = new Float64Array(f * k);
  new Rng(seed, PROJECTION_DOMAIN, f, k).fillNormal(r, 1 / Math.sqrt(k));
  const out = new Float32Array(n * k);
  const acc = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    const row = i * f;
    for (let t = 0; t < f; t++) {
      const x = features[row + t]!;
      if (x === 0) continue;
      const o = t * k;
      for (let j = 0; j < k; j++) acc[j]! += x * r[o + j]!;
    }
    for (let j = 0; j < k; j++) out[i * k + j] = acc[j]!;
  }
  return out;
}

function w1(coraJson: string | null | undefined): Workload {
  let dataset: Dataset;
  let spec: DatasetSpec;
  let dataNote: string;
  if (coraJson) {
    const cora = parsePlanetoid(JSON.parse(coraJson), 'cora');
    const features = randomProjection(cora.features, cora.n, cora.featureDim, PROJECTED_DIM, PROJECTION_SEED);
    dataset = {
      id: `bench:${cora.id}:proj${PROJECTED_DIM}:${PROJECTION_SEED}`,
      name: `Cora, features randomly projected ${cora.featureDim} → ${PROJECTED_DIM}`,
      n: cora.n,
      featureDim: PROJECTED_DIM,
      features,
      graph: cora.graph,
      labels: cora.labels,
      numClasses: cora.numClasses,
    };
    registerDataset(dataset);
    spec = { kind: 'loaded', id: dataset.id };
    dataNote =
      `Cora (../shared/datasets/planetoid/cora.json): ${cora.n} nodes, ${cora.graph!.colIdx.length / 2} undirected edges; ` +
      `${cora.featureDim} binary features projected to ${PROJECTED_DIM} by a seeded Gaussian random projection ` +
      `(R_ij ~ N(0, 1/${PROJECTED_DIM}), seed ${PROJECTION_SEED})`;
  } else {
    spec = { kind: 'random-graph', n: 2708, avgDegree: 4, featureDim: PROJECTED_DIM, seed: 1 };
    dataset = buildDataset(spec);
    dataNote =
      'Cora NOT FOUND (no Planetoid JSON given): a generated random graph of 2,708 nodes, ' +
      'average degree 4, 64 Gaussian features stands in for it';
  }
  return {
    name: 'W1',
    title: `W1 graph: ${coraJson ? 'Cora' : 'random graph standing in for Cora'}, GCN + ContraNorm + LN + ReLU, d=64, L=64`,
    dataNote,
    config: baseConfig(spec),
    dataset,
    features: 'all',
  };
}

function w2(): Workload {
  const spec: DatasetSpec = { kind: 'tokens', n: 512, featureDim: 64, clusters: 4, separation: 2, seed: 1 };
  const config: EngineConfig = {
    ...baseConfig(spec),
    model: 'transformer',
    activation: 'none',
    residual: 'residual',
    normPlacement: 'post',
  };
  return {
    name: 'W2',
    title: 'W2 sequence: 512 tokens, Transformer, post-ContraNorm, residual, d=64, L=64',
    dataNote:
      'Gaussian-mixture tokens: N = 512, d = 64, 4 clusters at separation 2 (DatasetSpec kind "tokens")',
    config,
    dataset: buildDataset(spec),
    features: 'all',
  };
}

function w3(): Workload {
  const spec: DatasetSpec = { kind: 'random-graph', n: 100_000, avgDegree: 10, featureDim: 32, seed: 1 };
  const config: EngineConfig = {
    ...baseConfig(spec),
    layers: 16,
    hidden: 32,
    norm: { kind: 'pairnorm', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 },
    activation: 'relu',
  };
  return {
    name: 'W3',
    title: 'W3 scale: random graph N=100,000, deg 10, GCN + PairNorm + ReLU, d=32, L=16',
    dataNote:
      'random graph (DatasetSpec kind "random-graph"): N = 100,000, average degree 10, 32 Gaussian features',
    config,
    dataset: buildDataset(spec),
    features: 'none',
  };
}

export function makeWorkload(name: WorkloadName, coraJson?: string | null, depth?: number | null): Workload {
  const w = name === 'W1' ? w1(coraJson) : name === 'W2' ? w2() : w3();
  if (depth !== null && depth !== undefined) {
    w.config.layers = depth;
    w.title = w.title.replace(/L=\d+/, `L=${depth}`);
  }
  return w;
}

/** The same configuration with another weights seed (a cold run for every incremental cache). */
export function withSeed(config: EngineConfig, seed: number): EngineConfig {
  return { ...config, weights: { ...config.weights, seed } };
}
