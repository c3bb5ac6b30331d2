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
  /** The first of them in a few words, for a label on the plot ("a normalization", "tanh"). */
  brokenShort: string | null;
  /** A short line for the plot: the numbers the bound is made of and whether it says anything. */
  summary: string;
  /** The same in full, for the plot's tooltip. */
  detail: string;
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
    const verdict = rate < 1 ? ' < 1: smoothing certain' : ' ≥ 1: bound grows';
    const summary = `s_W·λ = ${fmt(geo)} × ${fmt(t.lambda)} = ${fmt(rate)}${verdict}`;
    const detail =
      `λ = ${fmt(t.lambda)} (largest |eigenvalue| of Â off its limit subspace), ` +
      `s_W = ${fmt(geo)} (geometric mean of ‖W_ℓ‖₂ over the layers): s_W·λ = ${fmt(rate)}` +
      (rate < 1
        ? ' < 1, so the distance must fall at least that fast'
        : ' ≥ 1, so the bound does not force smoothing');
    return {
      kind: 'gcn',
      measured: t.measured,
      bound: t.bound,
      broken: gcnAssumptionsBroken(config),
      brokenShort: shortReason(result),
      summary,
      detail,
    };
  }
  const t = attentionTheory(config, result.n, layers, floor);
  const summary =
    `√c₁·‖res(X)‖ = ${fmt(t.contraction)}` +
    (t.contraction < 1 ? ' < 1: bound falls' : ' ≥ 1: bound grows (vacuous)');
  const detail =
    `c₁ = 4β₁/√d = ${fmt(t.constants[1] ?? NaN)} (γ = 1), ‖res(X)‖₁,∞ = ${fmt(t.measured[0] ?? NaN)}: ` +
    `√c₁·‖res(X)‖ = ${fmt(t.contraction)}` +
    (t.contraction < 1
      ? ' < 1, so the bound falls doubly exponentially'
      : ' ≥ 1, so the bound grows and says nothing here');
  return {
    kind: 'attention',
    measured: t.measured,
    bound: t.bound,
    broken: attentionAssumptionsBroken(config),
    brokenShort: shortReason(result),
    summary,
    detail,
  };
}

/** The broken assumption in a few words (null when none is broken). */
function shortReason({ config }: RunResult): string | null {
  if (config.norm.kind !== 'none') return 'a normalization';
  if (config.residual !== 'none') return 'a residual';
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
    if (!byTau) uniformityCache.set(l.features, (byTau = new Map<number, number>()));
    let v = byTau.get(tau);
    if (v === undefined) byTau.set(tau, (v = uniformityLoss(l.features, result.n, l.width, tau)));
    return v;
  });
}

/** How many rows the uniformity loss is computed over. */
export function uniformitySample(n: number): number {
  return uniformityRows(n).length;
}
