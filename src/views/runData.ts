// Derived, memoized data of one panel's run: its labels and graph (projections: lecture/projectedRun.ts).
import { useMemo } from 'react';
import { buildDataset } from '../data/datasets';
import type { Dataset, RunResult } from '../engine/types';
import { useLecture, type PanelId } from '../state/store';

export function usePanelRun(panel: PanelId): RunResult | null {
  return useLecture((s) => s.panels[panel].result);
}

export type Graph = NonNullable<Dataset['graph']>;

/**
 * The run's data set as the page sees it: labels and, for graphs, the CSR adjacency. Generated
 * sets are rebuilt on the main thread from the run's spec (cheap, and memoized by buildDataset).
 */
export function useDatasetView(result: RunResult | null): {
  labels: Int32Array | null;
  classes: number;
  graph: Graph | null;
} {
  return useMemo(() => {
    if (!result) return { labels: null, classes: 0, graph: null };
    try {
      const ds = buildDataset(result.config.dataset);
      const graph = ds.graph && ds.graph.rowPtr.length === result.n + 1 ? ds.graph : null;
      return { labels: ds.labels ?? null, classes: ds.numClasses ?? 0, graph };
    } catch {
      return { labels: null, classes: 0, graph: null };
    }
  }, [result]);
}

export function useLabels(result: RunResult | null): { labels: Int32Array | null; classes: number } {
  const { labels, classes } = useDatasetView(result);
  return useMemo(() => ({ labels, classes }), [labels, classes]);
}

/** The last layer that may be plotted as data (before the first non-finite one). */
export function lastFiniteLayer(result: RunResult): number {
  return result.firstNonFinite === null ? result.layers.length - 1 : result.firstNonFinite - 1;
}
