// Cora with the float64 reference trainer: the authors' 2-layer GCN protocol (hidden 32, lr 0.005,
// weight decay 5e-4, dropout 0.6, 200 epochs, rw, L1 features, no normalization) on the public
// Planetoid split, mean test accuracy at best validation over 5 seeds ≥ 79% (GCN's published
// 81.5% with its own architecture; measured here: see bench/trainCora.ts and the report).
// Slow (minutes), so it runs only with TRAIN_CORA=1; it also skips when the shared data is absent.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePlanetoid } from '../../src/data/planetoid';
import { registerDataset, unregisterDataset } from '../../src/data/datasets';
import { trainReference } from '../../src/training/reference/trainer';
import { coraConfig } from '../../bench/trainCora';

const coraJson = fileURLToPath(new URL('../../../shared/datasets/planetoid/cora.json', import.meta.url));
const enabled = process.env.TRAIN_CORA === '1';
const present = existsSync(coraJson);
if (enabled && !present)
  console.warn(`TRAIN_CORA=1 but ${coraJson} is absent: skipping the Cora training run`);

describe('training reference on Cora (TRAIN_CORA=1)', () => {
  it.skipIf(!enabled || !present)(
    '2-layer GCN, public split: mean test accuracy at best validation over 5 seeds ≥ 79%',
    async () => {
      const ds = parsePlanetoid(JSON.parse(readFileSync(coraJson, 'utf8')), 'cora');
      registerDataset(ds);
      try {
        const accs: number[] = [];
        for (let seed = 1; seed <= 5; seed++) {
          const r = await trainReference(coraConfig(ds.id, { seed }));
          accs.push(r.testAccAtBestVal);
          console.log(
            `Cora GCN seed ${seed}: test ${(100 * r.testAccAtBestVal).toFixed(1)}% (epoch ${r.bestValEpoch})`,
          );
        }
        const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
        console.log(`Cora GCN: mean ${(100 * mean).toFixed(2)}%`);
        expect(mean).toBeGreaterThanOrEqual(0.79);
      } finally {
        unregisterDataset(ds.id);
      }
    },
    3_600_000,
  );
});
