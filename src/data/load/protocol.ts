// Messages between the page (src/data/loadClient.ts) and the parse worker
// (src/data/parseWorker.ts). Files cross as File objects (read in the worker, never on the
// page's thread); the result's typed arrays are transferred back, not copied.
import type { Dataset } from '../types';
import type { DatasetSummary } from '../parse';

/** What to do with the input features after parsing. */
export type Reduction = { method: 'raw' } | { method: 'pca' | 'random'; d: number; seed: number };

export interface LoadOptions {
  reduction: Reduction;
  /** Width of the seeded N(0, 1) features given to an edge list without a features file. */
  randomFeatureDim: number;
}

export type LoadSource = { kind: 'files'; files: File[] } | { kind: 'urls'; urls: string[] };

export type ToParseWorker = { type: 'load'; source: LoadSource; options: LoadOptions };

/** Which loader read the files. */
export type LoadFormat = 'linqs' | 'edge-list' | 'tokens-csv' | 'npy' | 'planetoid-json' | 'recorded';

export interface LoadedData {
  dataset: Dataset;
  summary: DatasetSummary;
  classNames?: string[];
  nodeIds?: string[];
  format: LoadFormat;
  /** The files read, in the order the loader used them. */
  files: string[];
  /** "PCA 1,433 → 64", "random projection …", or null for raw features. */
  reduction: string | null;
  /** Wall time in the worker, reading to result. */
  timeMs: number;
}

export type FromParseWorker =
  | { type: 'progress'; stage: string; fraction: number | null }
  | ({ type: 'done' } & LoadedData)
  | { type: 'error'; message: string; file?: string; line?: number };
