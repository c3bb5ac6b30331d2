// The transposed mask pattern that ContraNorm's key-parallel backward walks
// (src/training/gpu/variants.ts): row j lists, ascending, every i whose CSR row holds j.
import { describe, expect, it } from 'vitest';
import { transposedPattern } from '../../src/training/gpu/variants';

describe('transposedPattern', () => {
  it('transposes a directed pattern with empty rows into sorted rows', () => {
    // 0 → {2, 3}, 1 → {}, 2 → {0}, 3 → {0, 2}, 4 → {} (n = 5)
    const rowPtr = Uint32Array.from([0, 2, 2, 3, 5, 5]);
    const colIdx = Uint32Array.from([2, 3, 0, 0, 2]);
    const t = transposedPattern(rowPtr, colIdx, 5);
    expect(Array.from(t.rowPtr)).toEqual([0, 2, 2, 4, 5, 5]);
    expect(Array.from(t.colIdx)).toEqual([2, 3, 0, 3, 0]);
  });

  it('leaves a symmetric pattern unchanged, and an empty graph empty', () => {
    const rowPtr = Uint32Array.from([0, 1, 3, 4]);
    const colIdx = Uint32Array.from([1, 0, 2, 1]);
    const t = transposedPattern(rowPtr, colIdx, 3);
    expect(Array.from(t.rowPtr)).toEqual(Array.from(rowPtr));
    expect(Array.from(t.colIdx)).toEqual(Array.from(colIdx));
    const e = transposedPattern(new Uint32Array(2), new Uint32Array(0), 1);
    expect(Array.from(e.rowPtr)).toEqual([0, 0]);
    expect(e.colIdx.length).toBe(0);
  });
});
