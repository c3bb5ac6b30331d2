// What a loaded data set holds, and what the loader changed to make it a simple undirected
// graph: self loops dropped, repeated edges merged, one-directional edges made symmetric.

import type { Dataset } from '../types';
import { buildCsr, connectedComponents, type Csr } from '../graph';

/** What the loader normalized (all zero for a set that needed nothing, or has no graph). */
export interface NormalizationNotes {
  /** Edges (u, u) dropped (the engine adds its own self loops). */
  selfLoopsRemoved: number;
  /** Edge lines that repeat an edge already listed in the same direction. */
  duplicatesRemoved: number;
  /** Undirected edges listed in one direction only, stored both ways. */
  oneDirectionalAdded: number;
}

export interface DatasetSummary {
  nodes: number;
  /** Undirected edges; null for a set without a graph (tokens). */
  edges: number | null;
  /** Nodes without edges; null without a graph. */
  isolated: number | null;
  /** Connected components (isolated nodes count as one each); null without a graph. */
  components: number | null;
  classes: number;
  featureDim: number;
  selfLoopsRemoved: number;
  duplicatesRemoved: number;
  oneDirectionalAdded: number;
  /** Nodes with label −1, or all of them when the set has no labels. */
  unlabelled: number;
  /** Human-readable remarks (generated features, skipped lines, …). */
  warnings: string[];
  /** Sizes of the set's own train/validation/test split (Planetoid's public split); absent without one. */
  split?: { train: number; val: number; test: number };
}

/** Count what a data set holds; `notes` carries what its loader normalized. */
export function summarize(
  ds: Dataset,
  notes: Partial<NormalizationNotes> = {},
  warnings: string[] = [],
): DatasetSummary {
  let edges: number | null = null;
  let isolated: number | null = null;
  let components: number | null = null;
  if (ds.graph) {
    const { rowPtr } = ds.graph;
    edges = rowPtr[ds.n] / 2;
    isolated = 0;
    for (let i = 0; i < ds.n; i++) if (rowPtr[i + 1] === rowPtr[i]) isolated++;
    components = connectedComponents(ds.graph, ds.n).sizes.length;
  }
  let unlabelled = ds.n;
  if (ds.labels) {
    unlabelled = 0;
    for (let i = 0; i < ds.n; i++) if (ds.labels[i] < 0) unlabelled++;
  }
  return {
    nodes: ds.n,
    edges,
    isolated,
    components,
    classes: ds.numClasses ?? 0,
    featureDim: ds.featureDim,
    selfLoopsRemoved: notes.selfLoopsRemoved ?? 0,
    duplicatesRemoved: notes.duplicatesRemoved ?? 0,
    oneDirectionalAdded: notes.oneDirectionalAdded ?? 0,
    unlabelled,
    warnings,
    // Only when there is one, so summaries of sets without a split keep their shape.
    ...(ds.split
      ? { split: { train: ds.split.train.length, val: ds.split.val.length, test: ds.split.test.length } }
      : {}),
  };
}

/**
 * Build the symmetric CSR from directed edge lines (flat u0, v0, u1, v1, …) and count what
 * was normalized. A line repeating (u, v) is a duplicate; (u, v) and (v, u) both listed is
 * one undirected edge and neither is counted; (u, v) alone is one-directional.
 */
export function buildGraph(
  n: number,
  pairs: Uint32Array,
  weights?: ArrayLike<number>,
): { graph: Csr; notes: NormalizationNotes } {
  const built = buildCsr(n, pairs, weights);
  const directed = distinctDirectedPairs(n, pairs);
  const lines = pairs.length / 2 - built.selfLoopsRemoved;
  return {
    graph: built.graph,
    notes: {
      selfLoopsRemoved: built.selfLoopsRemoved,
      duplicatesRemoved: lines - directed,
      oneDirectionalAdded: 2 * built.edgeCount - directed,
    },
  };
}

/** Distinct directed pairs (u, v), u ≠ v: a counting sort by u, then each row sorted. */
function distinctDirectedPairs(n: number, pairs: Uint32Array): number {
  const m = pairs.length / 2;
  const ptr = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) if (pairs[2 * e] !== pairs[2 * e + 1]) ptr[pairs[2 * e] + 1]++;
  for (let i = 0; i < n; i++) ptr[i + 1] += ptr[i];
  const cursor = ptr.slice(0, n);
  const col = new Uint32Array(ptr[n]);
  for (let e = 0; e < m; e++) {
    const u = pairs[2 * e];
    const v = pairs[2 * e + 1];
    if (u !== v) col[cursor[u]++] = v;
  }
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const row = col.subarray(ptr[i], ptr[i + 1]);
    if (row.length > 1) row.sort();
    for (let k = 0; k < row.length; k++) if (k === 0 || row[k] !== row[k - 1]) distinct++;
  }
  return distinct;
}
