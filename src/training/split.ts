// The train/validation/test split of a training run, shared by both trainers.
//
// A data set that carries a published split (Planetoid's public split: Cora 140/500/1000) is
// used as is. Otherwise the split is drawn from the run's seed:
//   - train: per class c, min(20, ⌈n_c/3⌉) nodes of that class (the Planetoid protocol of 20
//     labelled nodes per class; the ⌈n_c/3⌉ cap leaves small classes nodes to evaluate on);
//   - val:   min(500, ⌊R/3⌋) of the R remaining labelled nodes;
//   - test:  min(1000, R − val) of the rest.
// On a Cora-sized graph this is 20 per class / 500 / 1000; on the 200-node contextual SBM
// with 3 classes it is 60 / 46 / 94. Nodes labelled −1 are never used. Index lists are sorted.

import type { Dataset, DatasetSplit } from '../engine/types';
import { Rng } from '../math/random';

/** Keeps split streams apart from weight and data streams that share the seed. */
export const SPLIT_DOMAIN = 0x53504c54; // 'SPLT'

export const TRAIN_PER_CLASS = 20;
export const VAL_SIZE = 500;
export const TEST_SIZE = 1000;

/** Fisher–Yates shuffle in place from `rng`. */
function shuffle(a: number[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}

const sorted = (a: number[]): Uint32Array => Uint32Array.from(a).sort();

/** The data set's own split, or the seeded split described above. Throws without labels. */
export function resolveSplit(ds: Dataset, seed: number): DatasetSplit {
  if (ds.split) return ds.split;
  const { labels, numClasses } = ds;
  if (!labels || !numClasses) throw new Error(`data set "${ds.name}" has no labels to train on`);
  const rng = new Rng(seed, SPLIT_DOMAIN, ds.n);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < ds.n; i++) if (labels[i] >= 0) byClass[labels[i]].push(i);
  const train: number[] = [];
  const rest: number[] = [];
  for (const nodes of byClass) {
    shuffle(nodes, rng);
    const k = Math.min(TRAIN_PER_CLASS, Math.ceil(nodes.length / 3));
    train.push(...nodes.slice(0, k));
    rest.push(...nodes.slice(k));
  }
  shuffle(rest, rng);
  const nVal = Math.min(VAL_SIZE, Math.floor(rest.length / 3));
  const nTest = Math.min(TEST_SIZE, rest.length - nVal);
  return {
    train: sorted(train),
    val: sorted(rest.slice(0, nVal)),
    test: sorted(rest.slice(nVal, nVal + nTest)),
  };
}
