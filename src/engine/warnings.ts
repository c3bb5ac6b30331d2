// The words both engines use for what a lecturer should know about a run: one wording, so the
// page shows the same note whichever engine computed the numbers.
import { componentSizes } from '../data/graph';
import type { Dataset, EngineConfig } from './types';

export function residualSkipped(layer: number, inDim: number, hidden: number): string {
  return `layer ${layer}: residual skipped (input width ${inDim} ≠ hidden width ${hidden})`;
}

export function datasetWarnings(ds: Dataset, config: EngineConfig): string[] {
  const out: string[] = [];
  if (ds.graph && config.model === 'gnn') {
    const sizes = componentSizes(ds.graph, ds.n);
    if (sizes.length > 1)
      out.push(
        `the graph has ${sizes.length} connected components (largest ${sizes[0]} of ${ds.n} nodes): ` +
          'message passing brings each to its own consensus, so μ need not reach 0',
      );
  }
  if (config.norm.kind === 'contranorm' && config.norm.variant === 'mask' && !ds.graph)
    out.push('ContraNorm "mask" without a graph removes only each row itself from the softmax');
  return out;
}

export function nonFiniteWarning(layer: number, count: number): string {
  return (
    `layer ${layer}: ${count} non-finite entries (NaN/±Inf); ` +
    'from this layer on the numbers are not to be trusted, nor plotted as data'
  );
}
