// Training with the float64 reference trainer: the split, the Trainer API (progress, abort,
// determinism), and accuracy on a small contextual SBM that an untrained or wrongly
// differentiated model does not reach.

import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/engine/types';
import type { TrainConfig, TrainProgress } from '../../src/training/types';
import { buildDataset } from '../../src/data/datasets';
import { resolveSplit } from '../../src/training/split';
import { normalizeFeatures } from '../../src/training/data';
import { createReferenceTrainer, DETAIL_EVERY, trainReference } from '../../src/training/reference/trainer';

const CSBM = {
  kind: 'csbm',
  n: 200,
  classes: 3,
  avgDegree: 6,
  homophily: 0.9,
  featureDim: 16,
  separation: 2,
  seed: 1,
} as const;

const base: TrainConfig = {
  dataset: CSBM,
  layers: 2,
  hidden: 16,
  adjacency: 'rw',
  norm: { kind: 'none', s: 1, tau: 1, variant: 'code', pairnormScale: 1 },
  activation: 'relu',
  residual: 'none',
  alpha: 1,
  dropout: 0.5,
  lr: 0.01,
  weightDecay: 5e-4,
  epochs: 100,
  seed: 1,
  weights: { init: 'gaussian', gain: 1 },
  featureNorm: 'none',
};

describe('training split and features', () => {
  it('seeded split: min(20, ⌈n_c/3⌉) per class, then min(500, ⌊R/3⌋) / min(1000, rest); disjoint', () => {
    const ds = buildDataset(CSBM);
    const s = resolveSplit(ds, 1);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([60, 46, 94]);
    const counts = [0, 0, 0];
    for (const i of s.train) counts[ds.labels![i]]++;
    expect(counts).toEqual([20, 20, 20]);
    const all = new Set([...s.train, ...s.val, ...s.test]);
    expect(all.size).toBe(200);
    expect(resolveSplit(ds, 1)).toEqual(s);
    expect(resolveSplit(ds, 2).train).not.toEqual(s.train);
  });

  it('a published split is used as is', () => {
    const ds = buildDataset(CSBM);
    const split = {
      train: Uint32Array.from([0, 1]),
      val: Uint32Array.from([2]),
      test: Uint32Array.from([3]),
    };
    const withSplit: Dataset = { ...ds, split };
    expect(resolveSplit(withSplit, 7)).toBe(split);
  });

  it('L1 row normalization keeps zeros and zero rows', () => {
    const x = normalizeFeatures(Float32Array.from([1, 0, 3, 0, 0, 0, -2, 2, 0]), 3, 3, 'l1');
    expect(Array.from(x)).toEqual([0.25, 0, 0.75, 0, 0, 0, -0.5, 0.5, 0]);
  });
});

describe('training reference: Trainer', () => {
  it('2-layer GCN on the 200-node CSBM: test accuracy at best validation ≥ 0.9 (measured 0.99–1.0)', async () => {
    for (const seed of [1, 2, 3]) {
      const r = await trainReference({ ...base, seed });
      // Measured (seeds 1, 2, 3): 0.989, 1.000, 1.000 on 94 test nodes; after the first update
      // the test accuracy is 0.50–0.66, so the bound separates a trained model from a barely trained one.
      // (Chance is 1/3; the classes are well separated, hence the high ceiling.)
      expect(r.testAccAtBestVal).toBeGreaterThanOrEqual(0.9);
      expect(r.epochs[r.bestValEpoch].testAcc).toBe(r.testAccAtBestVal);
      // The training loss falls from ≈ ln 3 = 1.10 to 0.10–0.12 (measured, with dropout 0.5).
      expect(r.epochs.at(-1)!.loss).toBeLessThan(0.4);
      expect(r.engine).toEqual({ kind: 'cpu', note: null });
    }
  });

  it('ContraNorm(mask, s = 0.5)+LN+relu, 3 layers, 20 epochs: ≥ 0.85 at best validation', async () => {
    // Measured: 1.000 (best validation at epoch 8); loss 1.48 → 0.41.
    const r = await trainReference({
      ...base,
      layers: 3,
      epochs: 20,
      norm: { kind: 'contranorm', s: 0.5, tau: 1, variant: 'mask', pairnormScale: 1 },
    });
    expect(r.testAccAtBestVal).toBeGreaterThanOrEqual(0.85);
    expect(r.epochs.at(-1)!.loss).toBeLessThan(r.epochs[0].loss);
  });

  it('progress every epoch, gradients and embeddings every DETAIL_EVERY epochs; deterministic', async () => {
    const trainer = createReferenceTrainer();
    expect(trainer.kind).toBe('cpu');
    const seen: TrainProgress[] = [];
    const config = { ...base, epochs: 12 };
    const r = await trainer.train(config, (p) => seen.push(p));
    expect(seen.map((p) => p.epoch.epoch)).toEqual([...Array(12).keys()]);
    const detailed = seen.filter((p) => p.gradients).map((p) => p.epoch.epoch);
    expect(detailed).toEqual([0, DETAIL_EVERY, 11]);
    expect(seen[0].gradients).toHaveLength(3);
    expect(seen[0].embeddings).toHaveLength(200 * 16);
    expect(r.initialGradients).toEqual(await trainer.gradients(config));
    const again = await trainReference(config);
    expect(again.epochs).toEqual(r.epochs);
    trainer.dispose();
  });

  it('an aborted run rejects with an AbortError between epochs', async () => {
    const controller = new AbortController();
    let epochs = 0;
    const run = trainReference(
      { ...base, epochs: 1000 },
      () => {
        if (++epochs === 3) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(epochs).toBe(3);
  });
});
