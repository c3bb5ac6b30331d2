// What each lecture preset's explanation says, as numbers a test can check (tests/lessons/ on the
// float64 reference engine, tests/engine/presetClaims.test.ts on the GPU engine). A preset whose
// words and picture disagree fails here, not in front of a class. Thresholds leave room for the
// float32 engine: each claim's measured float64 value is noted beside it.
import type { LayerResult } from '../engine/types';

export type ClaimMetric = 'effectiveRank' | 'meanCosine' | 'mu' | 'sigma2' | 'classSpread';

export interface Claim {
  panel: 'A' | 'B';
  layer: number;
  metric: ClaimMetric;
  below?: number;
  above?: number;
  /** The words of the explanation this number backs. */
  says: string;
}

/**
 * Mean distance between the class centroids of the row-normalized features (0 to 2): how far apart
 * the classes sit in the embedding view. 0 when the classes have merged into one dot. NaN without
 * labels or with fewer than two classes.
 */
export function classSpread(h: ArrayLike<number>, labels: ArrayLike<number>, n: number, d: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, labels[i]! + 1);
  if (k < 2) return NaN;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let c = 0; c < d; c++) sq += h[i * d + c]! ** 2;
    const inv = 1 / Math.max(Math.sqrt(sq), 1e-12);
    const l = labels[i]!;
    counts[l]! += 1;
    for (let c = 0; c < d; c++) sums[l * d + c]! += h[i * d + c]! * inv;
  }
  let total = 0;
  let pairs = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      if (counts[a] === 0 || counts[b] === 0) continue;
      let sq = 0;
      for (let c = 0; c < d; c++) sq += (sums[a * d + c]! / counts[a]! - sums[b * d + c]! / counts[b]!) ** 2;
      total += Math.sqrt(sq);
      pairs++;
    }
  }
  return pairs > 0 ? total / pairs : NaN;
}

/** The value a claim is about, from one panel's run (features needed for classSpread only). */
export function claimValue(claim: Claim, layers: readonly LayerResult[], labels?: ArrayLike<number>): number {
  const layer = layers[claim.layer];
  if (!layer) throw new Error(`claim about layer ${claim.layer}, but the run has ${layers.length} layers`);
  const m = layer.metrics;
  switch (claim.metric) {
    case 'sigma2':
      return (m.singularValues[1] ?? 0) / m.singularValues[0]!;
    case 'classSpread': {
      if (!layer.features || !labels) throw new Error('classSpread needs the features and the labels');
      return classSpread(layer.features, labels, layer.features.length / layer.width, layer.width);
    }
    default:
      return m[claim.metric];
  }
}

export function claimHolds(claim: Claim, value: number): boolean {
  return (
    (claim.below === undefined || value < claim.below) && (claim.above === undefined || value > claim.above)
  );
}

/** Claims per preset id (src/presets/depth.ts); every preset has some. */
export const PRESET_CLAIMS: Readonly<Record<string, readonly Claim[]>> = {
  'gcn-oversmoothing': [
    // float64: erank 1.00, mean cosine 1.000, class spread 0.000 at layer 64
    { panel: 'A', layer: 64, metric: 'effectiveRank', below: 1.05, says: 'all nodes point the same way' },
    { panel: 'A', layer: 64, metric: 'meanCosine', above: 0.999, says: 'all nodes point the same way' },
    {
      panel: 'A',
      layer: 64,
      metric: 'classSpread',
      below: 0.01,
      says: 'the three classes merge into one dot',
    },
    // float64: class spread 1.10, erank 5.95
    {
      panel: 'B',
      layer: 64,
      metric: 'classSpread',
      above: 0.8,
      says: 'keeps the classes visible at depth 64',
    },
    { panel: 'B', layer: 64, metric: 'effectiveRank', above: 4, says: 'pushes the representations apart' },
  ],
  'attention-rank-collapse': [
    // float64: μ 0.66, 0.035, 2e-15 at layers 1, 2, 4: each step squares the distance
    { panel: 'A', layer: 2, metric: 'mu', below: 0.1, says: 'converges doubly exponentially' },
    { panel: 'A', layer: 4, metric: 'mu', below: 1e-4, says: 'converges doubly exponentially' },
    { panel: 'A', layer: 4, metric: 'effectiveRank', below: 1.01, says: 'to a rank-one matrix' },
    {
      panel: 'A',
      layer: 8,
      metric: 'sigma2',
      below: 1e-4,
      says: 'everything but σ₁ sinks towards the float32 floor',
    },
  ],
  'contranorm-restores-rank': [
    // float64 at layer 48: erank 1.00 (LayerNorm) against 5.86 (ContraNorm)
    {
      panel: 'A',
      layer: 48,
      metric: 'effectiveRank',
      below: 1.05,
      says: 'LayerNorm alone cannot stop the collapse',
    },
    { panel: 'B', layer: 48, metric: 'effectiveRank', above: 4, says: 'with ContraNorm it stays high' },
  ],
  'too-large-s': [
    // float64 at layer 4: erank 5.81 and class spread 0.70 (LayerNorm) against 1.26 and 0.02 (s = 3)
    { panel: 'A', layer: 4, metric: 'effectiveRank', above: 4, says: 'faster than with LayerNorm alone' },
    {
      panel: 'B',
      layer: 4,
      metric: 'effectiveRank',
      below: 2,
      says: 'collapse to one dot within a few layers',
    },
    {
      panel: 'B',
      layer: 4,
      metric: 'classSpread',
      below: 0.1,
      says: 'collapse to one dot within a few layers',
    },
    { panel: 'A', layer: 4, metric: 'classSpread', above: 0.4, says: 'faster than with LayerNorm alone' },
    { panel: 'B', layer: 8, metric: 'meanCosine', above: 0.999, says: 'collapse to one dot' },
  ],
  'residual-connections': [
    // float64: erank 13.0 at layer 16 (1.19 without the residual: gcn-oversmoothing's left panel)
    { panel: 'A', layer: 16, metric: 'effectiveRank', above: 8, says: 'collapse slows down' },
    // float64: mean cosine 0.085, 0.306, 0.977 at layers 8, 32, 64
    {
      panel: 'A',
      layer: 8,
      metric: 'meanCosine',
      below: 0.2,
      says: 'the mean cosine still creeps towards 1',
    },
    {
      panel: 'A',
      layer: 64,
      metric: 'meanCosine',
      above: 0.9,
      says: 'the mean cosine still creeps towards 1',
    },
  ],
  'pairnorm-vs-contranorm': [
    // float64 at layer 64: μ 1.00 and erank 1.01 (PairNorm) against erank 5.95 (ContraNorm)
    { panel: 'A', layer: 64, metric: 'mu', above: 0.9, says: 'μ stays high' },
    { panel: 'A', layer: 64, metric: 'effectiveRank', below: 1.2, says: 'lining up in a few directions' },
    {
      panel: 'B',
      layer: 64,
      metric: 'effectiveRank',
      above: 4,
      says: 'the effective rank tells the two apart',
    },
  ],
  heterophily: [
    // float64 class spread: 0.48 at layer 0, 0.12 (none) and 0.14 (ContraNorm) at layer 1; with
    // homophily 0.8 (gcn-oversmoothing) it grows to 0.67 instead
    { panel: 'A', layer: 1, metric: 'classSpread', below: 0.25, says: 'destroys the class signal at once' },
    { panel: 'B', layer: 1, metric: 'classSpread', below: 0.25, says: 'with either normalization' },
    // float64: 0.016 (none) at layer 8, 0.039 (ContraNorm) at layer 32
    { panel: 'A', layer: 8, metric: 'classSpread', below: 0.05, says: 'depth makes it worse' },
    { panel: 'B', layer: 32, metric: 'classSpread', below: 0.08, says: 'depth makes it worse' },
  ],
};
