// Undirected graphs as symmetric CSR (the Dataset.graph format of src/engine/types.ts):
// no self loops, each edge stored in both rows, columns ascending within a row.

import type { Dataset } from './types';

export type Csr = NonNullable<Dataset['graph']>;

export interface CsrBuild {
  graph: Csr;
  /** Undirected edges kept. */
  edgeCount: number;
  /** Input edges (u, u) dropped: the engine adds its own self loops (Ã = A + I). */
  selfLoopsRemoved: number;
  /** Input edges dropped because the same undirected edge came earlier ((v, u) repeats (u, v)). */
  duplicatesRemoved: number;
}

/**
 * Build the symmetric CSR of an undirected graph on nodes 0..n−1 from an edge list:
 * pairs [u, v], or a flat Uint32Array u0, v0, u1, v1, …. Self loops are dropped, repeated
 * edges merged (with weights, the largest weight is kept: an edge listed once per
 * direction keeps its weight rather than doubling it). O(n + edges) memory.
 */
export function buildCsr(
  n: number,
  edges: ReadonlyArray<readonly [number, number]> | Uint32Array,
  weights?: ArrayLike<number>,
): CsrBuild {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new Error(`graph: node count must be a non-negative integer (got ${n})`);
  const pairs = edges instanceof Uint32Array ? edges : flattenPairs(edges);
  if (pairs.length % 2 !== 0)
    throw new Error('graph: a flat edge list needs an even length (u0, v0, u1, v1, …)');
  const m = pairs.length / 2;
  if (weights && weights.length !== m) throw new Error(`graph: ${weights.length} weights for ${m} edges`);

  const degree = new Uint32Array(n + 1);
  let selfLoops = 0;
  for (let e = 0; e < m; e++) {
    const u = pairs[2 * e];
    const v = pairs[2 * e + 1];
    if (u >= n || v >= n) throw new Error(`graph: edge ${e} = (${u}, ${v}) names a node outside 0..${n - 1}`);
    if (weights && !Number.isFinite(weights[e]))
      throw new Error(`graph: edge ${e} has a non-finite weight (${weights[e]})`);
    if (u === v) {
      selfLoops++;
      continue;
    }
    degree[u]++;
    degree[v]++;
  }
  const rowPtr = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + degree[i];
  const stored = rowPtr[n];
  // Place each entry in its row, then sort the rows (short rows by insertion, long ones by
  // an index sort), carrying the weights along.
  const colIdx = new Uint32Array(stored);
  const w = weights ? new Float32Array(stored) : undefined;
  const cursor = degree; // reused as the write cursor of each row
  for (let i = 0; i < n; i++) cursor[i] = rowPtr[i];
  for (let e = 0; e < m; e++) {
    const u = pairs[2 * e];
    const v = pairs[2 * e + 1];
    if (u === v) continue;
    const a = cursor[u]++;
    const b = cursor[v]++;
    colIdx[a] = v;
    colIdx[b] = u;
    if (w && weights) w[a] = w[b] = weights[e];
  }
  for (let i = 0; i < n; i++) sortRow(colIdx, w, rowPtr[i], rowPtr[i + 1]);

  // Merge repeats in place, compacting rows towards the front.
  let out = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = rowPtr[i + 1];
    rowPtr[i] = out;
    for (let k = start; k < end; k++) {
      if (k > start && colIdx[k] === colIdx[k - 1]) {
        if (w) w[out - 1] = Math.max(w[out - 1], w[k]);
        continue;
      }
      colIdx[out] = colIdx[k];
      if (w) w[out] = w[k];
      out++;
    }
    start = end;
  }
  rowPtr[n] = out;
  const graph: Csr = {
    rowPtr,
    colIdx: out === stored ? colIdx : colIdx.slice(0, out),
  };
  if (w) graph.weights = out === stored ? w : w.slice(0, out);
  return {
    graph,
    edgeCount: out / 2,
    selfLoopsRemoved: selfLoops,
    duplicatesRemoved: (stored - out) / 2,
  };
}

/** Sort col[start..end) ascending, permuting w the same way when given. */
function sortRow(col: Uint32Array, w: Float32Array | undefined, start: number, end: number): void {
  const len = end - start;
  if (len < 2) return;
  if (len <= 32) {
    for (let i = start + 1; i < end; i++) {
      const c = col[i];
      const x = w ? w[i] : 0;
      let j = i - 1;
      for (; j >= start && col[j] > c; j--) {
        col[j + 1] = col[j];
        if (w) w[j + 1] = w[j];
      }
      col[j + 1] = c;
      if (w) w[j + 1] = x;
    }
    return;
  }
  if (!w) {
    col.subarray(start, end).sort();
    return;
  }
  const order = Array.from({ length: len }, (_, k) => start + k).sort((a, b) => col[a] - col[b] || a - b);
  const c2 = order.map((k) => col[k]);
  const w2 = order.map((k) => w[k]);
  for (let k = 0; k < len; k++) {
    col[start + k] = c2[k];
    w[start + k] = w2[k];
  }
}

function flattenPairs(edges: ReadonlyArray<readonly [number, number]>): Uint32Array {
  const flat = new Uint32Array(2 * edges.length);
  for (let e = 0; e < edges.length; e++) {
    const [u, v] = edges[e];
    if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u > 0xffffffff || v > 0xffffffff)
      throw new Error(`graph: edge ${e} = (${u}, ${v}) is not a pair of node indices`);
    flat[2 * e] = u;
    flat[2 * e + 1] = v;
  }
  return flat;
}

/** Weighted degrees of Ã = A + I (edge weights when present, self loops weigh 1): 1 + Σ_j a_ij. */
export function selfLoopDegrees(graph: Csr, n: number): Float64Array {
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) s += graph.weights ? graph.weights[k] : 1;
    deg[i] = s;
  }
  return deg;
}

/** Number of undirected edges of a symmetric CSR. */
export function undirectedEdgeCount(graph: Csr): number {
  return graph.rowPtr[graph.rowPtr.length - 1] / 2;
}

/** Connected components (BFS): each node's component id, ids in order of first node, and their sizes. */
export function connectedComponents(graph: Csr, n: number): { component: Int32Array; sizes: number[] } {
  const component = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  const sizes: number[] = [];
  for (let s = 0; s < n; s++) {
    if (component[s] >= 0) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    component[s] = id;
    while (head < tail) {
      const u = queue[head++];
      for (let k = graph.rowPtr[u]; k < graph.rowPtr[u + 1]; k++) {
        const v = graph.colIdx[k];
        if (component[v] < 0) {
          component[v] = id;
          queue[tail++] = v;
        }
      }
    }
    sizes.push(tail);
  }
  return { component, sizes };
}

/** Sizes of the connected components, largest first. */
export function componentSizes(graph: Csr, n: number): number[] {
  return connectedComponents(graph, n).sizes.sort((a, b) => b - a);
}
