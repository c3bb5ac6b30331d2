// Writes everything one training run of our model starts from, so that bench/crosscheck/port.py
// (a NumPy port of the float64 reference trainer) can replay the run exactly: the prepared data
// (L1-normalized features as non-zeros, the CSR graph, labels, split), the initial weights, and
// the dropout key of every (epoch, site). With --check K it also trains K epochs with our float64
// reference and records its losses and accuracies, which the port must reproduce.
//
// Why a port at all: the 16-layer ContraNorm comparison on Cora is 200 epochs of 16
// streaming N×N layers. Our reference does one such epoch in about 80 s on this machine's 2 cores
// (4.5 h a run) and the WGSL trainer is no faster on SwiftShader; NumPy's BLAS does it in minutes.
// The port proves itself against our reference on the same numbers before its results count.
//
//   npx tsx bench/crosscheck/exportRun.ts --out run.json [--norm contranorm] [--variant mask]
//       [--s 0.5] [--tau 1] [--depth 16] [--seed 1] [--epochs 200] [--check 0]

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ContraNormVariant, NormKind } from '../../src/engine/types';
import { parsePlanetoid } from '../../src/data/planetoid';
import { registerDataset } from '../../src/data/datasets';
import { prepareTrainingData, toSparseRows } from '../../src/training/data';
import { dropoutKey, initTrainingWeights } from '../../src/training/model';
import { trainReference } from '../../src/training/reference/trainer';
import type { EpochStats, TrainConfig } from '../../src/training/types';
import { coraConfig } from '../trainCora';

const CORA =
  process.env.BENCH_CORA ??
  fileURLToPath(new URL('../../../shared/datasets/planetoid/cora.json', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** What port.py reads: one run's starting point, and optionally our reference's first epochs. */
export interface RunExport {
  config: TrainConfig;
  n: number;
  inDim: number;
  classes: number;
  features: { rowPtr: number[]; col: number[]; val: number[] };
  graph: { rowPtr: number[]; colIdx: number[]; weights: number[] | null };
  labels: number[];
  split: { train: number[]; val: number[]; test: number[] };
  dims: number[];
  layers: number[][];
  out: number[];
  /** dropoutKeys[epoch][site], site ℓ−1 the input of layer ℓ and site L the read-out's. */
  dropoutKeys: number[][];
  /** Our float64 reference's first `check` epochs (empty without a check). */
  reference: EpochStats[];
}

/** The export of `config` (the authors' protocol only: ReLU, no residual, rw). */
export async function exportRun(config: TrainConfig, check = 0): Promise<RunExport> {
  if (config.activation !== 'relu' || config.residual !== 'none' || config.adjacency !== 'rw')
    throw new Error('the port covers the authors’ protocol only: relu, no residual, rw');
  const data = prepareTrainingData(config);
  const weights = initTrainingWeights(config, data.inDim, data.classes);
  const x = data.sparseFeatures ?? toSparseRows(data.features, data.n, data.inDim);
  const list = (a: ArrayLike<number>): number[] => Array.from(a);
  const reference = check > 0 ? (await trainReference({ ...config, epochs: check })).epochs : [];
  return {
    config,
    n: data.n,
    inDim: data.inDim,
    classes: data.classes,
    features: { rowPtr: list(x.rowPtr), col: list(x.col), val: list(x.val) },
    graph: {
      rowPtr: list(data.graph.rowPtr),
      colIdx: list(data.graph.colIdx),
      weights: data.graph.weights ? list(data.graph.weights) : null,
    },
    labels: list(data.labels),
    split: { train: list(data.split.train), val: list(data.split.val), test: list(data.split.test) },
    dims: weights.dims,
    layers: weights.layers.map(list),
    out: list(weights.out),
    dropoutKeys: Array.from({ length: config.epochs }, (_, e) =>
      Array.from({ length: config.layers + 1 }, (_, site) => dropoutKey(config.seed, e, site)),
    ),
    reference,
  };
}

async function main(): Promise<void> {
  const out = arg('out', '');
  if (!out) throw new Error('--out FILE is required');
  const ds = parsePlanetoid(JSON.parse(readFileSync(CORA, 'utf8')), 'cora');
  registerDataset(ds);
  const config = coraConfig(ds.id, {
    norm: {
      kind: arg('norm', 'contranorm') as NormKind,
      s: Number(arg('s', '0.5')),
      tau: Number(arg('tau', '1')),
      variant: arg('variant', 'mask') as ContraNormVariant,
      pairnormScale: 1,
    },
    layers: Number(arg('depth', '16')),
    seed: Number(arg('seed', '1')),
    epochs: Number(arg('epochs', '200')),
  });
  const t = performance.now();
  const run = await exportRun(config, Number(arg('check', '0')));
  if (run.reference.length > 0)
    console.log(
      `reference: ${run.reference.length} epochs in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  writeFileSync(out, JSON.stringify(run));
  console.log(`wrote ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
