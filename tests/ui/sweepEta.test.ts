// The depth sweep's time estimate: per-normalization rates in layer-epochs, from timed runs only.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/state/page';
import { sweepRuns } from '../../src/state/training';
import { formatDuration, ratesOf, remainingMs, runWork } from '../../src/runtime/sweepEta';

const runs = sweepRuns({ ...DEFAULTS, tswNorms: 'none,contranorm', tswSeeds: 1, tEpochs: 100 });

describe('sweep time estimate', () => {
  it('gives no number before anything is timed', () => {
    expect(remainingMs({ runs, current: 0, currentEpoch: 0, currentMs: 0, timings: [] })).toBeNull();
    // A few epochs of the current run are not enough either.
    expect(remainingMs({ runs, current: 0, currentEpoch: 3, currentMs: 50, timings: [] })).toBeNull();
  });

  it('extrapolates the current run once it has done a few epochs', () => {
    // 10 epochs of depth 2 in 300 ms: 10 ms per layer-epoch, for every normalization.
    const ms = remainingMs({ runs, current: 0, currentEpoch: 10, currentMs: 300, timings: [] })!;
    const work = runs.reduce((a, r) => a + runWork(r.depth, r.config.epochs), 0) - runWork(2, 10);
    expect(ms).toBeCloseTo(10 * work, 6);
  });

  it('uses each normalization’s own rate where it was timed', () => {
    const timings = [
      { norm: 'none' as const, depth: 2, epochs: 100, ms: 300 }, // 1 ms per layer-epoch
      { norm: 'contranorm' as const, depth: 2, epochs: 100, ms: 3000 }, // 10 ms
    ];
    const { byNorm, overall } = ratesOf(timings);
    expect(byNorm.get('none')).toBeCloseTo(1, 12);
    expect(byNorm.get('contranorm')).toBeCloseTo(10, 12);
    expect(overall).toBeCloseTo(3300 / 600, 12);
    // Runs 2.. (depths 4..32 for both norms) are left.
    const ms = remainingMs({ runs, current: 2, currentEpoch: 0, currentMs: 0, timings })!;
    const left = runs.slice(2);
    const expected = left.reduce((a, r) => a + runWork(r.depth, 100) * (r.norm === 'none' ? 1 : 10), 0);
    expect(ms).toBeCloseTo(expected, 6);
    expect(remainingMs({ runs, current: runs.length, currentEpoch: 0, currentMs: 0, timings })).toBe(0);
  });

  it('formats durations in words a lecturer reads at a glance', () => {
    expect(formatDuration(42_000)).toBe('about 42 s');
    expect(formatDuration(5 * 60_000)).toBe('about 5 min');
    expect(formatDuration(100 * 60_000)).toBe('about 1 h 40 min');
  });
});
