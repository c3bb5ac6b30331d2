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

/** A claim that a panel's metric at a layer is below a bound. */
function below(
  panel: Claim['panel'],
  layer: number,
  metric: ClaimMetric,
  bound: number,
  says: string,
): Claim {
  return { panel, layer, metric, below: bound, says };
}

/** A claim that a panel's metric at a layer is above a bound. */
function above(
  panel: Claim['panel'],
  layer: number,
  metric: ClaimMetric,
  bound: number,
  says: string,
): Claim {
  return { panel, layer, metric, above: bound, says };
}

/** Claims per preset id (src/presets/depth.ts); every preset has some. */
export const PRESET_CLAIMS: Readonly<Record<string, readonly Claim[]>> = {
  'gcn-oversmoothing': [
    // float64: erank 1.00, mean cosine 1.000, class spread 0.000 at layer 64
    below('A', 64, 'effectiveRank', 1.05, 'all nodes point the same way'),
    above('A', 64, 'meanCosine', 0.999, 'all nodes point the same way'),
    below('A', 64, 'classSpread', 0.01, 'the three classes merge into one dot'),
    // float64: class spread 1.10, erank 5.95
    above('B', 64, 'classSpread', 0.8, 'keeps the classes visible at depth 64'),
    above('B', 64, 'effectiveRank', 4, 'pushes the representations apart'),
  ],
  'attention-rank-collapse': [
    // float64: μ 0.66, 0.035, 2e-15 at layers 1, 2, 4: each step squares the distance
    below('A', 2, 'mu', 0.1, 'converges doubly exponentially'),
    below('A', 4, 'mu', 1e-4, 'converges doubly exponentially'),
    below('A', 4, 'effectiveRank', 1.01, 'to a rank-one matrix'),
    below('A', 8, 'sigma2', 1e-4, 'everything but σ₁ sinks towards the float32 floor'),
  ],
  'contranorm-restores-rank': [
    // float64 at layer 48: erank 1.00 (LayerNorm) against 5.86 (ContraNorm)
    below('A', 48, 'effectiveRank', 1.05, 'LayerNorm alone cannot stop the collapse'),
    above('B', 48, 'effectiveRank', 4, 'with ContraNorm it stays high'),
  ],
  'too-large-s': [
    // float64 at layer 4: erank 5.81 and class spread 0.70 (LayerNorm) against 1.26 and 0.02 (s = 3)
    above('A', 4, 'effectiveRank', 4, 'faster than with LayerNorm alone'),
    below('B', 4, 'effectiveRank', 2, 'collapse to one dot within a few layers'),
    below('B', 4, 'classSpread', 0.1, 'collapse to one dot within a few layers'),
    above('A', 4, 'classSpread', 0.4, 'faster than with LayerNorm alone'),
    above('B', 8, 'meanCosine', 0.999, 'collapse to one dot'),
  ],
  'residual-connections': [
    // float64: erank 13.0 at layer 16 (1.19 without the residual: gcn-oversmoothing's left panel)
    above('A', 16, 'effectiveRank', 8, 'collapse slows down'),
    // float64: mean cosine 0.085, 0.306, 0.977 at layers 8, 32, 64
    below('A', 8, 'meanCosine', 0.2, 'the mean cosine still creeps towards 1'),
    above('A', 64, 'meanCosine', 0.9, 'the mean cosine still creeps towards 1'),
  ],
  'pairnorm-vs-contranorm': [
    // float64 at layer 64: μ 1.00 and erank 1.01 (PairNorm) against erank 5.95 (ContraNorm)
    above('A', 64, 'mu', 0.9, 'μ stays high'),
    below('A', 64, 'effectiveRank', 1.2, 'lining up in a few directions'),
    above('B', 64, 'effectiveRank', 4, 'the effective rank tells the two apart'),
  ],
  heterophily: [
    // float64 class spread: 0.48 at layer 0, 0.12 (none) and 0.14 (ContraNorm) at layer 1; with
    // homophily 0.8 (gcn-oversmoothing) it grows to 0.67 instead
    below('A', 1, 'classSpread', 0.25, 'destroys the class signal at once'),
    below('B', 1, 'classSpread', 0.25, 'with either normalization'),
    // float64: 0.016 (none) at layer 8, 0.039 (ContraNorm) at layer 32
    below('A', 8, 'classSpread', 0.05, 'depth makes it worse'),
    below('B', 32, 'classSpread', 0.08, 'depth makes it worse'),
  ],
};
