// The depth sweep's points reduced to one value per normalization and depth: the mean test
// accuracy over seeds, with the lowest and highest seed as the range.
import type { NormKind } from '../../engine/types';
import type { SweepPoint } from '../../runtime/training';

export interface SweepSummary {
  norm: NormKind;
  depth: number;
  /** Percent. */
  mean: number;
  min: number;
  max: number;
  seeds: number;
}

/** Mean, lowest and highest test accuracy (%) per normalization and depth. */
export function summarizeSweep(points: SweepPoint[]): SweepSummary[] {
  const groups = new Map<string, SweepPoint[]>();
  for (const p of points) {
    const k = `${p.norm}|${p.depth}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups.values()].map((g) => {
    const acc = g.map((p) => 100 * p.testAccAtBestVal);
    return {
      norm: g[0].norm,
      depth: g[0].depth,
      mean: acc.reduce((a, b) => a + b, 0) / acc.length,
      min: Math.min(...acc),
      max: Math.max(...acc),
      seeds: acc.length,
    };
  });
}
