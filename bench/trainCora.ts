// Cora with the float64 reference trainer: the authors' 2-layer GCN protocol on the
// public Planetoid split (140/500/1000), mean test accuracy at best validation over seeds.
//
//   npx tsx bench/trainCora.ts [--norm none|layernorm|contranorm|pairnorm|batchnorm] [--s 0.5]
//                              [--tau 1] [--variant mask|code|identity|paper] [--depth 2]
//                              [--seeds 5] [--epochs 200] [--act relu] [--residual none]
//
// Defaults are the authors' Cora settings: hidden 32, lr 0.005, weight decay 5e-4, dropout 0.6,
// 200 epochs, rw propagation, L1-normalized features. BENCH_CORA=path overrides the data file
// (default ../shared/datasets/planetoid/cora.json). The first epoch is timed and printed first,
// so a slow configuration shows its cost before committing to the whole run.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Activation, ContraNormVariant, NormKind, Residual } from '../src/engine/types';
import { parsePlanetoid } from '../src/data/planetoid';
import { registerDataset } from '../src/data/datasets';
import { trainReference } from '../src/training/reference/trainer';
import type { TrainConfig } from '../src/training/types';

const CORA =
  process.env.BENCH_CORA ??
  fileURLToPath(new URL('../../shared/datasets/planetoid/cora.json', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** The authors' 2-layer Cora configuration on a registered Cora data set. */
export function coraConfig(id: string, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    dataset: { kind: 'loaded', id },
    layers: 2,
    hidden: 32,
    adjacency: 'rw',
    norm: { kind: 'none', s: 1, tau: 1, variant: 'mask', pairnormScale: 1 },
    activation: 'relu',
    residual: 'none',
    alpha: 1,
    dropout: 0.6,
    lr: 0.005,
    weightDecay: 5e-4,
    epochs: 200,
    seed: 1,
    weights: { init: 'gaussian', gain: 1 },
    featureNorm: 'l1',
    ...overrides,
  };
}

async function main(): Promise<void> {
  const ds = parsePlanetoid(JSON.parse(readFileSync(CORA, 'utf8')), 'cora');
  registerDataset(ds);
  const norm = {
    kind: arg('norm', 'none') as NormKind,
    s: Number(arg('s', '0.5')),
    tau: Number(arg('tau', '1')),
    variant: arg('variant', 'mask') as ContraNormVariant,
    pairnormScale: 1,
  };
  const overrides: Partial<TrainConfig> = {
    norm,
    layers: Number(arg('depth', '2')),
    epochs: Number(arg('epochs', '200')),
    activation: arg('act', 'relu') as Activation,
    residual: arg('residual', 'none') as Residual,
  };
  const seeds = Number(arg('seeds', '5'));
  const label = `${norm.kind}${norm.kind === 'contranorm' ? `(${norm.variant}, s=${norm.s}, τ=${norm.tau})` : ''} depth ${overrides.layers}`;
  const first = performance.now();
  await trainReference(coraConfig(ds.id, { ...overrides, epochs: 1 }));
  console.log(
    `${label}: one epoch (with setup and a gradient-statistics pass) ${(performance.now() - first).toFixed(0)} ms`,
  );
  const accs: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const t = performance.now();
    const r = await trainReference(coraConfig(ds.id, { ...overrides, seed }));
    accs.push(r.testAccAtBestVal);
    const ms = performance.now() - t;
    console.log(
      `  seed ${seed}: test ${(100 * r.testAccAtBestVal).toFixed(1)}% at best val (epoch ${r.bestValEpoch}, val ${(100 * r.epochs[r.bestValEpoch].valAcc).toFixed(1)}%), ${(ms / 1000).toFixed(1)} s (${(ms / overrides.epochs!).toFixed(0)} ms/epoch)`,
    );
  }
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  const std = Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / accs.length);
  console.log(
    `${label}: mean test accuracy ${(100 * mean).toFixed(2)}% ± ${(100 * std).toFixed(2)} over ${seeds} seeds`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
