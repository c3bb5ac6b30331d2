// Pieces shared by the built-in generators (src/data/generators.ts and its neighbours):
// the random-stream domain, balanced labels, class means, mixture features, and the pass
// that joins a sampled graph's components.

import type { DatasetSpec } from './types';
import { Rng } from '../math/random';
import { buildCsr, connectedComponents, type Csr } from './graph';

/** First stream id after the spec seed: every generator draws from (seed, DATA_DOMAIN, kind id, part). */
export const DATA_DOMAIN = 0x44415441; // 'DATA'

/** A JSON text of the spec with its keys sorted: equal specs give equal ids. */
export function canonicalSpecId(spec: DatasetSpec): string {
  const keys = Object.keys(spec).sort();
  return JSON.stringify(
    Object.fromEntries(keys.map((k) => [k, (spec as unknown as Record<string, unknown>)[k]])),
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
export function classMeans(k: number, dim: number, separation: number, rng: Rng): Float64Array {
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
export function mixtureFeatures(
  labels: Int32Array,
  means: Float64Array,
  dim: number,
  rng: Rng,
): Float32Array {
  const x = new Float32Array(labels.length * dim);
  for (let i = 0; i < labels.length; i++) {
    const o = labels[i] * dim;
    for (let t = 0; t < dim; t++) x[i * dim + t] = means[o + t] + rng.normal();
  }
  return x;
}

/**
 * Join every connected component to the largest one by a single edge, from a random node
 * of the component to a random node of the largest one (of the same class when it has
 * one). A sparse random graph usually leaves a few isolated nodes; each would keep its
 * own features forever under message passing, so μ could never reach 0 and the
 * oversmoothing picture the lecture is about would be hidden by an accident of sampling.
 * Costs (components − 1) extra edges: none at all on a connected sample.
 */
export function connectGraph(graph: Csr, n: number, labels: Int32Array, rng: Rng): Csr {
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
