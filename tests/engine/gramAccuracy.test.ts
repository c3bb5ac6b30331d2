// The float32 error of the GPU's Gram sums, measured on exact-rank inputs: N×16 matrices made of 4
// distinct float32 rows (rank 3 after centring, 4 without), against the float64 reference. Every
// singular value past the rank is 0 in exact arithmetic, so what the GPU reports there is its
// floor. GRAM_FLOOR (src/engine/metrics.ts) is set from the largest value these tests see.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import { GRAM_FLOOR } from '../../src/engine/metrics';

const harness = useHarnessPage();

/** The bound: past the rank, σ_k/σ₁ < 1e-4 for every N. */
const TARGET = 1e-4;

describe('Gram sums on exact-rank inputs (gram.wgsl, host combination in float64)', () => {
  const sizes = [4, 17, 200, 1000, 1025, 10_000, 100_000];
  for (const variant of ['rows', 'tiled'] as const) {
    for (const centered of [true, false]) {
      for (const n of sizes) {
        it(`${variant}, ${centered ? 'centred' : 'uncentred'}: N = ${n}, d = 16, 4 distinct rows`, async () => {
          const r = await harness().evaluate((a) => window.harness.gramExactRank(a), {
            n,
            d: 16,
            distinct: 4,
            seed: n,
            centered,
            variant,
            offset: centered ? 3 : 0,
          });
          const tail = Math.max(0, ...r.gpuTail);
          console.log(
            `gram floor ${variant} ${centered ? 'c' : 'u'} N=${n}: tail ${tail.toExponential(2)}, head ${r.headErr.toExponential(2)}, erank ${r.gpuErank.toFixed(5)} vs ${r.refErank.toFixed(5)}`,
          );
          // float64 through its own Gram resolves σ_k/σ₁ to about √(2⁻⁵³) ≈ 1e-8.
          expect(Math.max(0, ...r.refTail)).toBeLessThan(1e-6);
          expect(tail).toBeLessThan(TARGET);
          expect(tail).toBeLessThan(GRAM_FLOOR);
          expect(r.headErr).toBeLessThan(1e-5);
          expect(Math.abs(r.gpuErank - r.refErank)).toBeLessThan(1e-3 * r.refErank);
        });
      }
    }
  }
  const wide = [
    { name: 'd = 64, 10 distinct rows, N = 5,000', n: 5000, d: 64, distinct: 10, offset: 0 },
    { name: 'd = 130, 20 distinct rows, N = 3,000', n: 3000, d: 130, distinct: 20, offset: 0 },
    { name: 'rows far from the origin (offset 100)', n: 2000, d: 16, distinct: 4, offset: 100 },
  ];
  for (const c of wide) {
    for (const variant of ['rows', 'tiled'] as const) {
      it(`${variant}, centred: ${c.name}`, async () => {
        const r = await harness().evaluate((a) => window.harness.gramExactRank(a), {
          ...c,
          seed: 7,
          centered: true,
          variant,
        });
        const tail = Math.max(0, ...r.gpuTail);
        console.log(
          `gram floor ${variant} ${c.name}: tail ${tail.toExponential(2)}, head ${r.headErr.toExponential(2)}`,
        );
        expect(tail).toBeLessThan(TARGET);
        expect(tail).toBeLessThan(GRAM_FLOOR);
        expect(r.headErr).toBeLessThan(1e-5);
      });
    }
  }
});
