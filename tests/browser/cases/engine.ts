// Engine cases: run a configuration through the GPU engine (and, for comparisons, through the
// float64 reference engine in the same page) and return summaries small enough to cross the
// Playwright boundary.
import { createGpuEngine, type GpuEngine } from '../../../src/engine/gpu/engine';
import { buildDataset } from '../../../src/data/datasets';
import type { EngineConfig, RunResult } from '../../../src/engine/types';

let engine: Promise<GpuEngine> | null = null;
function gpu(): Promise<GpuEngine> {
  engine ??= createGpuEngine();
  return engine;
}

export interface MetricRow {
  index: number;
  nonFinite: number;
  effectiveRank: number;
  meanCosine: number;
  mu: number;
  dirichlet: number | null;
  attentionSimilarity: number | null;
  frobenius: number;
  sv: number[];
}

function rows(r: RunResult): MetricRow[] {
  return r.layers.map((l) => ({
    index: l.index,
    nonFinite: l.nonFinite,
    effectiveRank: l.metrics.effectiveRank,
    meanCosine: l.metrics.meanCosine,
    mu: l.metrics.mu,
    dirichlet: l.metrics.dirichlet,
    attentionSimilarity: l.metrics.attentionSimilarity,
    frobenius: l.metrics.frobenius,
    sv: Array.from(l.metrics.singularValues),
  }));
}

export async function gpuRun(args: { config: EngineConfig }): Promise<{ layers: MetricRow[]; warnings: string[]; timeMs: number; firstNonFinite: number | null }> {
  const e = await gpu();
  const ds = buildDataset(args.config.dataset);
  const r = await e.run(args.config, { dataset: ds, features: 'none' });
  return { layers: rows(r), warnings: r.warnings, timeMs: r.timeMs, firstNonFinite: r.firstNonFinite };
}
