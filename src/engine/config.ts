import type { EngineConfig } from './types';

/** The default lecture configuration: a contextual SBM through a deep GCN with ContraNorm. */
export function defaultConfig(): EngineConfig {
  return {
    dataset: {
      kind: 'csbm',
      n: 300,
      classes: 3,
      avgDegree: 6,
      homophily: 0.8,
      featureDim: 16,
      separation: 2,
      seed: 1,
    },
    model: 'gnn',
    layers: 32,
    hidden: 16,
    adjacency: 'rw',
    norm: { kind: 'contranorm', s: 0.5, tau: 1, variant: 'code', pairnormScale: 1 },
    activation: 'none',
    residual: 'none',
    alpha: 1,
    normPlacement: 'post',
    weights: { init: 'gaussian', gain: 1, tied: false, seed: 7 },
    centeredSpectrum: false,
  };
}

/** Everything but the layer count L: two configs with the same key share their first layers (incremental cache). */
export function prefixKey(config: EngineConfig): string {
  const { layers: _layers, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * Reject configurations that cannot be run, with a message a lecturer can read.
 * Extreme but legal values (s = 50, τ = 1e-4) are allowed: their divergence is
 * detected per layer and reported, not prevented.
 */
export function validateConfig(config: EngineConfig): string[] {
  const errors: string[] = [];
  const { norm } = config;
  if (!Number.isInteger(config.layers) || config.layers < 0 || config.layers > 1024)
    errors.push(`layers L must be an integer in 0..1024 (got ${config.layers})`);
  if (!Number.isInteger(config.hidden) || config.hidden < 1 || config.hidden > 4096)
    errors.push(`hidden width must be an integer in 1..4096 (got ${config.hidden})`);
  if (!Number.isFinite(norm.s) || norm.s < 0)
    errors.push(`ContraNorm s must be a finite number ≥ 0 (got ${norm.s})`);
  if (!Number.isFinite(norm.tau) || norm.tau <= 0)
    errors.push(`ContraNorm τ must be a finite number > 0 (got ${norm.tau})`);
  if (!Number.isFinite(norm.pairnormScale))
    errors.push(`PairNorm scale must be finite (got ${norm.pairnormScale})`);
  if (!Number.isFinite(config.alpha)) errors.push(`residual α must be finite (got ${config.alpha})`);
  if (!Number.isFinite(config.weights.gain))
    errors.push(`weight gain must be finite (got ${config.weights.gain})`);
  if (config.model === 'gnn' && config.dataset.kind === 'tokens')
    errors.push('the GNN model needs a graph; token sets have none (choose the Transformer model)');
  return errors;
}
