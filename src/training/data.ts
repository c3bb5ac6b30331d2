// What a training run reads from its data set, shared by the CPU and GPU trainers:
// the resolved Dataset, float64 input features after the configured row normalization, the
// labels, the class count and the split (src/training/split.ts).

import type { Dataset, DatasetSplit } from '../engine/types';
import type { Csr } from '../data/graph';
import { buildDataset } from '../data/datasets';
import { resolveSplit } from './split';
import type { TrainConfig } from './types';

export interface TrainingData {
  dataset: Dataset;
  n: number;
  inDim: number;
  classes: number;
  /** n×inDim row-major, after `featureNorm`. */
  features: Float64Array;
  labels: Int32Array;
  graph: Csr;
  split: DatasetSplit;
  /** The non-zeros of `features` by row, when at most SPARSE_DENSITY of them are non-zero (bag of words). */
  sparseFeatures: SparseRows | null;
}

/** A row-major matrix's non-zeros by row: entry k sits at (row, col[k]) with value val[k]. */
export interface SparseRows {
  rows: number;
  cols: number;
  rowPtr: Uint32Array;
  col: Uint32Array;
  val: Float64Array;
}

/** Feature matrices at most this dense get a sparse copy (Cora: 1.3%). */
export const SPARSE_DENSITY = 0.1;

/** The non-zeros of x (n×d) by row, or null when more than SPARSE_DENSITY are non-zero. */
export function sparseRows(x: Float64Array, n: number, d: number): SparseRows | null {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if (x[k] !== 0) nnz++;
  return nnz > SPARSE_DENSITY * x.length ? null : toSparseRows(x, n, d);
}

/** The non-zeros of x (n×d) by row, whatever the density. */
export function toSparseRows(x: Float64Array, n: number, d: number): SparseRows {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if (x[k] !== 0) nnz++;
  const rowPtr = new Uint32Array(n + 1);
  const col = new Uint32Array(nnz);
  const val = new Float64Array(nnz);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t];
      if (v === 0) continue;
      col[k] = t;
      val[k++] = v;
    }
    rowPtr[i + 1] = k;
  }
  return { rows: n, cols: d, rowPtr, col, val };
}

/**
 * Row L1 normalization x_i / Σ_t |x_it| (rows summing to 0 stay 0), the authors' preprocessing
 * (their `row_normalize`, PyG's NormalizeFeatures on non-negative bag-of-words features).
 * Zeros stay exact zeros, so the sparsity of bag-of-words features survives.
 */
export function normalizeFeatures(
  x: ArrayLike<number>,
  n: number,
  d: number,
  mode: TrainConfig['featureNorm'],
): Float64Array {
  const out = Float64Array.from(x);
  if (mode === 'none') return out;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += Math.abs(out[i * d + t]);
    if (s > 0) for (let t = 0; t < d; t++) out[i * d + t] /= s;
  }
  return out;
}

/** Resolve the data set of `config` and everything training needs from it. Throws on unusable data. */
export function prepareTrainingData(config: TrainConfig, dataset?: Dataset): TrainingData {
  const ds = dataset ?? buildDataset(config.dataset);
  if (!ds.graph) throw new Error(`data set "${ds.name}" has no graph: the GCN trainer needs one`);
  if (!ds.labels || !ds.numClasses) throw new Error(`data set "${ds.name}" has no labels to train on`);
  const split = resolveSplit(ds, config.seed);
  if (split.train.length === 0) throw new Error(`data set "${ds.name}": the training split is empty`);
  const features = normalizeFeatures(ds.features, ds.n, ds.featureDim, config.featureNorm);
  return {
    dataset: ds,
    n: ds.n,
    inDim: ds.featureDim,
    classes: ds.numClasses,
    features,
    labels: ds.labels,
    graph: ds.graph,
    split,
    sparseFeatures: sparseRows(features, ds.n, ds.featureDim),
  };
}
