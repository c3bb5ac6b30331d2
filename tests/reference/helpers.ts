// Small dense helpers for the reference tests: brute-force versions of what the code does cleverly.

import { Rng } from '../../src/math/random';

export function randomMatrix(rows: number, cols: number, seed: number, std = 1): Float64Array {
  const m = new Float64Array(rows * cols);
  new Rng(seed, 999).fillNormal(m, std);
  return m;
}

export function transposeTimes(
  a: Float64Array,
  rows: number,
  cols: number,
  b: Float64Array,
  bcols: number,
): Float64Array {
  // aᵀ b for a rows×cols, b rows×bcols
  const out = new Float64Array(cols * bcols);
  for (let i = 0; i < rows; i++)
    for (let p = 0; p < cols; p++)
      for (let q = 0; q < bcols; q++) out[p * bcols + q] += a[i * cols + p] * b[i * bcols + q];
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function row(x: ArrayLike<number>, i: number, d: number): number[] {
  return Array.from({ length: d }, (_, t) => x[i * d + t]);
}

export function dot(a: number[], b: number[]): number {
  return a.reduce((s, v, i) => s + v * b[i], 0);
}

export function norm(a: number[]): number {
  return Math.sqrt(dot(a, a));
}
