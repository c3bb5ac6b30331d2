// Derived, memoized data of one panel's run: its labels and its layer projections.
import { useMemo } from 'react';
import { buildDataset } from '../data/datasets';
import type { RunResult } from '../engine/types';
import { LayerProjections, type ProjectionMode } from './projection';
import { useLecture, type PanelId } from '../state/store';

export function usePanelRun(panel: PanelId): RunResult | null {
  return useLecture((s) => s.panels[panel].result);
}

export function useLabels(result: RunResult | null): { labels: Int32Array | null; classes: number } {
  return useMemo(() => {
    if (!result) return { labels: null, classes: 0 };
    try {
      const ds = buildDataset(result.config.dataset);
      return { labels: ds.labels ?? null, classes: ds.numClasses ?? 0 };
    } catch {
      return { labels: null, classes: 0 };
    }
  }, [result]);
}

export function useProjections(result: RunResult | null, mode: ProjectionMode): LayerProjections | null {
  return useMemo(() => (result ? new LayerProjections(result.layers, result.n, mode) : null), [result, mode]);
}

/** The last layer that may be plotted as data (before the first non-finite one). */
export function lastFiniteLayer(result: RunResult): number {
  return result.firstNonFinite === null ? result.layers.length - 1 : result.firstNonFinite - 1;
}
