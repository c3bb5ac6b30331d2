// Host-side preparation of the graph for the GPU: the CSR of Â (with the self loops of
// Ã = A + I as explicit entries, values computed in float64 then stored as float32), and the
// CSR of A itself for the ContraNorm `mask` variant and the Dirichlet energy.
import type { Adjacency, Dataset } from '../types';

export interface PropagationCsr {
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  vals: Float32Array;
}

export function propagationCsr(
  graph: NonNullable<Dataset['graph']>,
  n: number,
  adjacency: Adjacency,
): PropagationCsr {
  const { rowPtr, colIdx, weights } = graph;
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the self loop of Ã
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) s += weights ? weights[e]! : 1;
    degree[i] = s;
  }
  const outPtr = new Uint32Array(n + 1);
  const outCol = new Uint32Array(colIdx.length + n);
  const outVal = new Float32Array(colIdx.length + n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    outPtr[i] = k;
    const di = degree[i]!;
    outCol[k] = i;
    outVal[k] = adjacency === 'rw' ? 1 / di : 1 / di; // D̃^{-1/2}·1·D̃^{-1/2} = 1/d_i on the diagonal too
    k++;
    for (let e = rowPtr[i]!; e < rowPtr[i + 1]!; e++) {
      const j = colIdx[e]!;
      const w = weights ? weights[e]! : 1;
      outCol[k] = j;
      outVal[k] = adjacency === 'rw' ? w / di : w / Math.sqrt(di * degree[j]!);
      k++;
    }
  }
  outPtr[n] = k;
  return { rowPtr: outPtr, colIdx: outCol, vals: outVal };
}
