// The heat map's row rule (one row per singular value while they fit, else a log index axis with
// the median per pixel row) and the effective-rank axis's switch to log, in Node.
import { describe, expect, it } from 'vitest';
import { LINEAR_ROW_LIMIT, indexPosition, logIndexTicks, rowPlan, rowValue } from '../../src/views/heatRows';
import { wideRange } from '../../src/views/metricScale';

describe('heat map rows', () => {
  it('keeps one row per index while they fit', () => {
    const plan = rowPlan(16, 120);
    expect(plan.scale).toBe('linear');
    expect(plan.drawn).toBe(16);
    expect(Array.from(plan.first)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(rowPlan(LINEAR_ROW_LIMIT, 200).scale).toBe('linear');
    // Too many for a linear axis, or fewer pixels than indices: log.
    expect(rowPlan(LINEAR_ROW_LIMIT + 1, 200).scale).toBe('log');
    expect(rowPlan(32, 20).scale).toBe('log');
  });

  it('covers every index of a raw Cora spectrum once, in order, on a log axis of one row per pixel', () => {
    const plan = rowPlan(1433, 150);
    expect(plan.scale).toBe('log');
    expect(plan.drawn).toBe(150);
    expect(plan.first[0]).toBe(0);
    expect(plan.last[plan.drawn - 1]).toBe(1432);
    // Contiguous: each row starts where the previous ended or repeats it (index 1 spans several rows).
    for (let r = 1; r < plan.drawn; r++) {
      expect(plan.first[r]).toBeGreaterThanOrEqual(plan.first[r - 1]);
      expect(plan.first[r]).toBeLessThanOrEqual(plan.last[r - 1] + 1);
      expect(plan.last[r]).toBeGreaterThanOrEqual(plan.first[r]);
    }
    // The first 16 indices (a hidden width) take over a third of the height, not 16/1433 of it.
    expect(indexPosition(plan, 17)).toBeGreaterThan(0.38);
    expect(logIndexTicks(1433)).toEqual([1, 10, 100, 1000]);
  });

  it('shows the median of the covered indices, and nothing beyond a layer’s own count', () => {
    const plan = rowPlan(1000, 40);
    const ratios = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
    const r = plan.drawn - 1;
    const a = plan.first[r];
    const b = plan.last[r];
    expect(b - a).toBeGreaterThan(10);
    const sorted = ratios.slice(a, b + 1).sort((x, y) => x - y);
    const m = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    expect(rowValue(plan, ratios, 1000, r)).toBeCloseTo(median, 12);
    // A layer of width 16: rows past index 16 are not data.
    const narrow = ratios.slice(0, 16);
    const past = plan.first.findIndex((f) => f >= 16);
    expect(past).toBeGreaterThan(0);
    expect(rowValue(plan, narrow, 16, past)).toBeNaN();
    expect(rowValue(plan, narrow, 16, 0)).toBe(1);
  });
});

describe('effective-rank axis', () => {
  it('is logarithmic only for a wide range above 64', () => {
    expect(wideRange([16, 8, 2, 1.1])).toBe(false); // the default GCN: linear
    expect(wideRange([64, 40, 3, 1.01])).toBe(false);
    expect(wideRange([612, 14, 6, 2, 1.2])).toBe(true); // raw Cora: layer 0 far above the rest
    expect(wideRange([200, 150, 120])).toBe(false);
    expect(wideRange([NaN, 700])).toBe(false);
  });
});
