// bench/crosscheck/port.py, the NumPy port of the float64 reference trainer that runs the long
// 16-layer Cora comparisons, must train the same network as our reference: replaying
// an exported run (our data, initial weights and dropout keys), its losses must equal ours to
// 1e-9 relative and its accuracies exactly, epoch by epoch, for every norm the port covers.
// Skips when python3 with numpy and scipy is absent (the port is a bench tool, not the app).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { NormConfig } from '../../src/engine/types';
import type { TrainConfig } from '../../src/training/types';
import { exportRun } from '../../bench/crosscheck/exportRun';

const PORT = fileURLToPath(new URL('../../bench/crosscheck/port.py', import.meta.url));
const python = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
const available = python.status === 0;
if (!available) console.warn('python3 with numpy and scipy is absent: skipping the port cross-check');

const EPOCHS = 6;
const base: TrainConfig = {
  dataset: {
    kind: 'csbm',
    n: 150,
    classes: 3,
    avgDegree: 5,
    homophily: 0.8,
    featureDim: 12,
    separation: 1.5,
    seed: 4,
  },
  layers: 3,
  hidden: 8,
  adjacency: 'rw',
  norm: { kind: 'none', s: 0.5, tau: 1, variant: 'mask', pairnormScale: 1 },
  activation: 'relu',
  residual: 'none',
  alpha: 1,
  dropout: 0.5,
  lr: 0.01,
  weightDecay: 5e-4,
  epochs: EPOCHS,
  seed: 3,
  weights: { init: 'gaussian', gain: 1 },
  featureNorm: 'l1',
};

const dir = mkdtempSync(join(tmpdir(), 'crosscheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const norms: [string, Partial<NormConfig>][] = [
  ['none', { kind: 'none' }],
  ['layernorm', { kind: 'layernorm' }],
  ['contranorm mask, s 0.5, τ 1', { kind: 'contranorm', variant: 'mask', s: 0.5, tau: 1 }],
  ['contranorm identity, s 0.8, τ 0.5', { kind: 'contranorm', variant: 'identity', s: 0.8, tau: 0.5 }],
  ['contranorm code, s 1, τ 2', { kind: 'contranorm', variant: 'code', s: 1, tau: 2 }],
];

describe.skipIf(!available)('NumPy port of the reference trainer (bench/crosscheck/port.py)', () => {
  it.each(norms)(
    '%s: the same losses and accuracies as the reference, epoch by epoch',
    async (label, norm) => {
      const config = { ...base, norm: { ...base.norm, ...norm } };
      const run = await exportRun(config, EPOCHS);
      const file = join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.json`);
      writeFileSync(file, JSON.stringify(run));
      const out = spawnSync('python3', [PORT, file, '--quiet'], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      expect(line, out.stdout).toBeDefined();
      const result = JSON.parse(line!.slice('RESULT '.length)) as Record<string, number>;
      expect(result.referenceEpochsChecked).toBe(EPOCHS);
      expect(result.worstRelLossDiff).toBeLessThan(1e-9);
      expect(result.epochsWithOtherAccuracies).toBe(0);
      // The loss must move, or the comparison says nothing about the backward pass.
      expect(Math.abs(run.reference[EPOCHS - 1].loss - run.reference[0].loss)).toBeGreaterThan(1e-3);
    },
  );
});
