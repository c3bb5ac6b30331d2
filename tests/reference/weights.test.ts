import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config';
import type { EngineConfig, WeightInit } from '../../src/engine/types';
import {
  clearWeightCache,
  initMatrix,
  layerWeights,
  orthonormalize,
  spectralNorm,
} from '../../src/engine/weights';
import { symmetricEigenvalues } from '../../src/math/spectrum';
import { Rng } from '../../src/math/random';
import { randomMatrix, transposeTimes } from './helpers';

function config(init: WeightInit, patch: Partial<EngineConfig> = {}, tied = false, gain = 1): EngineConfig {
  const c = defaultConfig();
  return { ...c, ...patch, weights: { init, gain, tied, seed: 11 } };
}

/** max |MᵀM − I| (columns) or |MMᵀ − I| (rows) for a semi-orthogonal rows×cols matrix. */
function orthoError(m: Float64Array, rows: number, cols: number, scale = 1): number {
  let err = 0;
  if (rows >= cols) {
    const g = transposeTimes(m, rows, cols, m, cols);
    for (let a = 0; a < cols; a++)
      for (let b = 0; b < cols; b++)
        err = Math.max(err, Math.abs(g[a * cols + b] / scale ** 2 - (a === b ? 1 : 0)));
  } else {
    for (let a = 0; a < rows; a++)
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let t = 0; t < cols; t++) s += m[a * cols + t] * m[b * cols + t];
        err = Math.max(err, Math.abs(s / scale ** 2 - (a === b ? 1 : 0)));
      }
  }
  return err;
}

describe('weights', () => {
  it.each([
    [16, 16],
    [40, 16],
    [16, 40],
    [1, 5],
    [5, 1],
  ])('orthonormalize makes a Gaussian %i×%i semi-orthogonal to rounding', (rows, cols) => {
    const m = randomMatrix(rows, cols, rows * 100 + cols);
    orthonormalize(m, rows, cols);
    expect(orthoError(m, rows, cols)).toBeLessThan(1e-13);
  });

  it('orthogonal init is gain·(semi-)orthogonal; identity has no gain; gaussian has variance gain²/inDim', () => {
    const q = initMatrix('orthogonal', 2.5, 24, 24, new Rng(1));
    expect(orthoError(q, 24, 24, 2.5)).toBeLessThan(1e-13);
    const id = initMatrix('identity', 7, 3, 5, new Rng(1));
    expect(Array.from(id)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    const g = initMatrix('gaussian', 3, 400, 100, new Rng(2));
    const variance = g.reduce((s, v) => s + v * v, 0) / g.length;
    expect(variance / (9 / 400)).toBeGreaterThan(0.97);
    expect(variance / (9 / 400)).toBeLessThan(1.03);
  });

  it('spectralNorm matches sqrt of the top eigenvalue of MᵀM (brute force), also for wide and tall matrices', () => {
    for (const [rows, cols] of [
      [20, 20],
      [50, 8],
      [8, 50],
      [1, 1],
    ]) {
      const m = randomMatrix(rows, cols, rows + 7 * cols);
      const brute = Math.sqrt(symmetricEigenvalues(transposeTimes(m, rows, cols, m, cols), cols)[0]);
      expect(Math.abs(spectralNorm(m, rows, cols) - brute) / brute).toBeLessThan(1e-9);
    }
    expect(spectralNorm(new Float64Array(6), 2, 3)).toBe(0);
    expect(spectralNorm(initMatrix('orthogonal', 3, 16, 16, new Rng(5)), 16, 16)).toBeCloseTo(3, 12);
  });

  it('is deterministic: the same seed gives the same numbers, another seed others', () => {
    clearWeightCache();
    const a = layerWeights(config('gaussian'), 3, 16).W!;
    clearWeightCache();
    const b = layerWeights(config('gaussian'), 3, 16).W!;
    expect(Array.from(a)).toEqual(Array.from(b));
    const c = layerWeights(
      { ...config('gaussian'), weights: { init: 'gaussian', gain: 1, tied: false, seed: 12 } },
      3,
      16,
    ).W!;
    expect(Array.from(a)).not.toEqual(Array.from(c));
    // Layers differ unless tied.
    expect(Array.from(layerWeights(config('gaussian'), 4, 16).W!)).not.toEqual(Array.from(a));
  });

  it('tied weights share one matrix across hidden→hidden layers; a rectangular first layer draws its own', () => {
    const c = config('gaussian', { hidden: 16 }, true);
    const w2 = layerWeights(c, 2, 16);
    const w9 = layerWeights(c, 9, 16);
    expect(w9.W).toBe(w2.W);
    const w1 = layerWeights(c, 1, 30);
    expect(w1.inDim).toBe(30);
    expect(w1.W!.length).toBe(30 * 16);
    // A square first layer is a hidden→hidden layer too, so it shares the tied matrix.
    expect(layerWeights(c, 1, 16).W).toBe(w2.W);
  });

  it('transformer layers have W_Q, W_K, W_V (in×hidden), W_O (hidden×hidden) and ‖W_V‖·‖W_O‖ as Lipschitz norm', () => {
    const c = config('orthogonal', { model: 'transformer', hidden: 8 }, false, 1.5);
    const w = layerWeights(c, 1, 12);
    expect(w.Wq!.length).toBe(96);
    expect(w.Wk!.length).toBe(96);
    expect(w.Wv!.length).toBe(96);
    expect(w.Wo!.length).toBe(64);
    expect(Array.from(w.Wq!)).not.toEqual(Array.from(w.Wk!));
    expect(w.lipschitzNorm).toBeCloseTo(1.5 * 1.5, 10);
    const g = layerWeights(config('gaussian', { hidden: 8 }), 1, 8);
    expect(g.lipschitzNorm).toBeCloseTo(spectralNorm(g.W!, 8, 8), 12);
  });
});
