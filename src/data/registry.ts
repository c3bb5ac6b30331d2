// Data sets loaded at run time (a dropped file, a test fixture), looked up by id from a
// `{ kind: 'loaded', id }` spec. Plain module state: one registry per page or worker.

import type { Dataset } from './types';

const registry = new Map<string, Dataset>();

function checkShape(ds: Dataset): void {
  const problem = (what: string): never => {
    throw new Error(`cannot register data set "${ds.id}": ${what}`);
  };
  if (typeof ds.id !== 'string' || ds.id === '') problem('its id must be a non-empty string');
  if (!Number.isInteger(ds.n) || ds.n < 1) problem(`n must be a positive integer (got ${ds.n})`);
  if (!Number.isInteger(ds.featureDim) || ds.featureDim < 1)
    problem(`featureDim must be a positive integer (got ${ds.featureDim})`);
  if (ds.features.length !== ds.n * ds.featureDim)
    problem(`features hold ${ds.features.length} numbers, not n·featureDim = ${ds.n * ds.featureDim}`);
  if (ds.graph) {
    const { rowPtr, colIdx, weights } = ds.graph;
    if (rowPtr.length !== ds.n + 1 || rowPtr[0] !== 0 || rowPtr[ds.n] !== colIdx.length)
      problem('graph.rowPtr does not match n and colIdx');
    if (weights && weights.length !== colIdx.length)
      problem('graph.weights and graph.colIdx differ in length');
    for (let k = 0; k < colIdx.length; k++)
      if (colIdx[k] >= ds.n) problem(`graph column ${colIdx[k]} is not a node`);
  }
  if (ds.labels && ds.labels.length !== ds.n)
    problem(`labels hold ${ds.labels.length} entries, not n = ${ds.n}`);
  if (ds.split)
    for (const part of ['train', 'val', 'test'] as const) {
      const list = ds.split[part];
      if (!list) problem(`split.${part} is missing`);
      for (let k = 0; k < list.length; k++)
        if (list[k] >= ds.n) problem(`split.${part} names node ${list[k]}, not a node`);
    }
}

/** Register (or replace) a data set under its id. */
export function registerDataset(ds: Dataset): void {
  checkShape(ds);
  registry.set(ds.id, ds);
}

/** The data set registered under `id`, or undefined. */
export function getRegisteredDataset(id: string): Dataset | undefined {
  return registry.get(id);
}

export function unregisterDataset(id: string): boolean {
  return registry.delete(id);
}

export function registeredDatasetIds(): string[] {
  return [...registry.keys()];
}
