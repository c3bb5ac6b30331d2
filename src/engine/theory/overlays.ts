// What the page draws beside the measured curves for one run: the theory that fits its model
// (the GCN bound or the rank-collapse bound), whether the run meets that theory's assumptions and,
// if not, which one it breaks, and ContraNorm's uniformity loss per layer. Everything is computed
// in float64 from the features the engines already return, so every engine gets the same overlay.

import type { Dataset, RunResult } from '../types';
import { attentionAssumptionsBroken, attentionTheory } from './attentionBound';
import { gcnAssumptionsBroken, gcnTheory } from './gcnBound';
import { uniformityLoss, uniformityRows } from './uniformity';

/**
 * Float32 features carry rounding of about 1e-7 of their size, which every layer adds to and the
 * next one only partly removes: distances below 1e-6 of the features' norm are that rounding.
 * Float64 features (the reference engine) resolve down to about 1e-15.
 */
export function relativeFloorOf(result: RunResult): number {
  const f = result.layers.find((l) => l.features)?.features;
  return f instanceof Float64Array ? 1e-13 : 1e-6;
}

export interface TheoryOverlay {
  kind: 'gcn' | 'attention';
  /** The measured quantity per layer (null: not kept, or under the float floor). */
  measured: (number | null)[];
  /** The bound per layer; drawn only when `broken` is empty. */
  bound: number[];
  /** The assumptions this run breaks, in words (empty: the bound holds for it). */
  broken: string[];
  /** The first of them in a word or two, for a label on the plot. */
  brokenShort: string | null;
  /** One line for the page: the numbers the bound was made of and whether it says anything. */
  summary: string;
}

const fmt = (v: number): string =>
  Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(1) : v.toFixed(2);

export function theoryOverlay(result: RunResult, dataset: Dataset | null): TheoryOverlay | null {
  const { config, layers } = result;
  if (!layers[0]?.features) return null;
  const floor = relativeFloorOf(result);
  if (config.model === 'gnn') {
    const graph = dataset?.graph;
    if (!graph || dataset.n !== result.n) return null;
    const t = gcnTheory(config, graph, result.n, layers, floor);
    const sw = t.weightNorms.slice(1);
    const geo = sw.length ? Math.exp(sw.reduce((a, s) => a + Math.log(s), 0) / sw.length) : NaN;
    const rate = geo * t.lambda;
    const summary =
      `λ = ${fmt(t.lambda)}, ‖W‖₂ ≈ ${fmt(geo)}: s_W·λ = ${fmt(rate)}` +
      (rate < 1 ? ' < 1, smoothing is certain' : ' ≥ 1, the bound allows growth');
    return {
      kind: 'gcn',
      measured: t.measured,
      bound: t.bound,
      broken: gcnAssumptionsBroken(config),
      brokenShort: shortReason(result),
      summary,
    };
  }
  const t = attentionTheory(config, result.n, layers, floor);
  const summary =
    `√c₁·‖res(X)‖ = ${fmt(t.contraction)}` +
    (t.contraction < 1
      ? ' < 1: the bound falls doubly exponentially'
      : ' ≥ 1: the bound grows, vacuous here');
  return {
    kind: 'attention',
    measured: t.measured,
    bound: t.bound,
    broken: attentionAssumptionsBroken(config),
    brokenShort: shortReason(result),
    summary,
  };
}

const NORM_NAMES: Record<string, string> = {
  layernorm: 'LayerNorm',
  batchnorm: 'BatchNorm',
  pairnorm: 'PairNorm',
  contranorm: 'ContraNorm',
};

/** The broken assumption in a word or two (null when none is broken). */
function shortReason({ config }: RunResult): string | null {
  if (config.norm.kind !== 'none') return NORM_NAMES[config.norm.kind] ?? config.norm.kind;
  if (config.residual !== 'none') return config.residual === 'lipschitz' ? 'Lipschitz residual' : 'residual';
  if (config.activation === 'tanh') return 'tanh';
  if (config.model === 'transformer' && config.activation !== 'none') return config.activation;
  return null;
}

const uniformityCache = new WeakMap<object, Map<number, number>>();

/** ContraNorm's uniformity loss at every layer with features (τ: the run's ContraNorm τ). */
export function uniformityCurve(result: RunResult): (number | null)[] {
  const tau = result.config.norm.tau;
  return result.layers.map((l) => {
    if (!l.features || l.nonFinite > 0) return null;
    let byTau = uniformityCache.get(l.features);
    if (!byTau) uniformityCache.set(l.features, (byTau = new Map()));
    let v = byTau.get(tau);
    if (v === undefined) byTau.set(tau, (v = uniformityLoss(l.features, result.n, l.width, tau)));
    return v;
  });
}

/** How many rows the uniformity loss is computed over. */
export function uniformitySample(n: number): number {
  return uniformityRows(n).length;
}
