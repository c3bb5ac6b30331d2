// Every backward op of the float64 training reference against central finite differences of
// its float64 forward (the forward engine's own ops where they exist), on small random inputs.
// Tolerance: relError ≤ 1e-6 (see referenceFd.ts: a correct backward agrees to ~1e-8 here).

import { describe, expect, it } from 'vitest';
import type { Activation, Adjacency, NormConfig } from '../../src/engine/types';
import { contraNorm as engineContraNorm } from '../../src/engine/reference/ops';
import { activate, activationBackward } from '../../src/training/reference/activation';
import { contraNormBackward, contraNormForward } from '../../src/training/reference/contranorm';
import { matmul, matmulGradInput, matmulGradWeight } from '../../src/training/reference/dense';
import {
  batchNorm,
  batchNormBackward,
  layerNorm,
  layerNormBackward,
  pairNorm,
  pairNormBackward,
} from '../../src/training/reference/norms';
import { propagate, propagateTranspose } from '../../src/training/reference/propagate';
import { softmaxCrossEntropy } from '../../src/training/reference/loss';
import { adamStep, createAdamState } from '../../src/training/reference/adam';
import { dropoutMask } from '../../src/training/model';
import { awkwardGraph, inner, numericGradient, randn, relError } from './referenceFd';

const TOL = 1e-6;

describe('training reference: backward of each op vs central differences', () => {
  const n = 7;
  const d = 4;

  for (const adjacency of ['rw', 'sym'] as Adjacency[])
    it(`propagation Â·H (${adjacency}): Âᵀ scattered from the CSR`, () => {
      const graph = awkwardGraph(n);
      const x = randn(n * d, 1);
      const g = randn(n * d, 2);
      const fd = numericGradient((v) => inner(propagate(graph, v, n, d, adjacency), g), x);
      expect(relError(propagateTranspose(graph, g, n, d, adjacency), fd)).toBeLessThan(TOL);
    });

  it('rw: Âᵀ really differs from Â (the test above would miss a transpose slip otherwise)', () => {
    const graph = awkwardGraph(n);
    const g = randn(n * d, 3);
    expect(
      relError(propagate(graph, g, n, d, 'rw'), propagateTranspose(graph, g, n, d, 'rw')),
    ).toBeGreaterThan(0.01);
  });

  it('dense product X W: ∂X = ∂Y Wᵀ, ∂W = Xᵀ ∂Y (with exact zeros in X)', () => {
    const k = 5;
    const m = 3;
    const x = randn(n * k, 4);
    for (let i = 0; i < x.length; i += 3) x[i] = 0; // the sparse path skips these
    const w = randn(k * m, 5);
    const g = randn(n * m, 6);
    const fx = numericGradient((v) => inner(matmul(v, n, k, w, m), g), x);
    const fw = numericGradient((v) => inner(matmul(x, n, k, v, m), g), w);
    expect(relError(matmulGradInput(g, n, m, w, k), fx)).toBeLessThan(TOL);
    expect(relError(matmulGradWeight(x, n, k, g, m), fw)).toBeLessThan(TOL);
  });

  for (const act of ['none', 'relu', 'tanh'] as Activation[])
    it(`activation ${act}`, () => {
      const x = randn(n * d, 7);
      for (let k = 0; k < x.length; k++) if (Math.abs(x[k]) < 1e-3) x[k] = 0.5; // away from relu's kink
      const g = randn(n * d, 8);
      const fd = numericGradient((v) => inner(activate(v.slice(), act), g), x);
      expect(relError(activationBackward(activate(x.slice(), act), g, act), fd)).toBeLessThan(TOL);
    });

  it('LayerNorm', () => {
    const x = randn(n * d, 9, 2);
    const g = randn(n * d, 10);
    const fd = numericGradient((v) => inner(layerNorm(v, n, d), g), x);
    expect(relError(layerNormBackward(x, g, n, d), fd)).toBeLessThan(TOL);
  });

  it('BatchNorm', () => {
    const x = randn(n * d, 11, 2);
    const g = randn(n * d, 12);
    const fd = numericGradient((v) => inner(batchNorm(v, n, d), g), x);
    expect(relError(batchNormBackward(x, g, n, d), fd)).toBeLessThan(TOL);
  });

  for (const scale of [1, 2.5])
    it(`PairNorm (s_pn = ${scale})`, () => {
      const x = randn(n * d, 13);
      const g = randn(n * d, 14);
      const fd = numericGradient((v) => inner(pairNorm(v, n, d, scale), g), x);
      expect(relError(pairNormBackward(x, g, n, d, scale), fd)).toBeLessThan(TOL);
    });

  const cases: { name: string; norm: Partial<NormConfig>; universal?: boolean; n?: number; d?: number }[] = [
    { name: 'code, τ = 1, s = 0.5', norm: { variant: 'code', s: 0.5, tau: 1 } },
    { name: 'code, τ = 0.3, s = 1', norm: { variant: 'code', s: 1, tau: 0.3 }, n: 9, d: 3 },
    { name: 'identity, τ = 0.5, s = 0.8', norm: { variant: 'identity', s: 0.8, tau: 0.5 } },
    {
      name: 'mask (one node adjacent to all but an isolated one)',
      norm: { variant: 'mask', s: 0.7, tau: 1 },
    },
    {
      name: 'mask (one node adjacent to everyone: its row contributes 0)',
      norm: { variant: 'mask', s: 0.7, tau: 0.5 },
      universal: true,
    },
    { name: 'paper, τ = 2, s = 0.5', norm: { variant: 'paper', s: 0.5, tau: 2 }, d: 6 },
  ];
  for (const c of cases)
    it(`ContraNorm ${c.name}: forward = engine, backward = finite differences`, () => {
      const nn = c.n ?? n;
      const dd = c.d ?? d;
      const norm: NormConfig = {
        kind: 'contranorm',
        s: 1,
        tau: 1,
        variant: 'code',
        pairnormScale: 1,
        ...c.norm,
      };
      const graph = awkwardGraph(nn, c.universal);
      const z = randn(nn * dd, 15, 0.8);
      const g = randn(nn * dd, 16);
      const { out, tape } = contraNormForward(z, nn, dd, norm, graph);
      expect(relError(out, engineContraNorm(z, nn, dd, norm, graph))).toBeLessThan(1e-12);
      const fd = numericGradient((v) => inner(engineContraNorm(v, nn, dd, norm, graph), g), z);
      expect(relError(contraNormBackward(tape, g, nn, dd, norm, graph), fd)).toBeLessThan(TOL);
    });

  it('ContraNorm mask: a fully masked row passes gradient only through its own identity term', () => {
    // Node 0 of the universal graph has no finite score: Y_0 = Z_0, so ∂Y_0/∂Z_j = 0 for j ≠ 0.
    const nn = 6;
    const norm: NormConfig = { kind: 'contranorm', s: 0.7, tau: 1, variant: 'mask', pairnormScale: 1 };
    const graph = awkwardGraph(nn, true);
    const z = randn(nn * d, 17);
    const { tape } = contraNormForward(z, nn, d, norm, graph);
    expect(Array.from(tape.sz.subarray(0, d))).toEqual([0, 0, 0, 0]);
  });

  it('softmax cross-entropy over the training nodes (mean)', () => {
    const classes = 3;
    const logits = randn(n * classes, 18, 2);
    const labels = Int32Array.from([0, 1, 2, 1, 0, 2, 1]);
    const nodes = Uint32Array.from([0, 2, 3, 6]);
    const fd = numericGradient((v) => softmaxCrossEntropy(v, classes, labels, nodes).loss, logits);
    const { grad, loss } = softmaxCrossEntropy(logits, classes, labels, nodes);
    expect(relError(grad, fd)).toBeLessThan(TOL);
    // Rows outside the training nodes get no gradient; the loss is a mean of positive terms.
    expect(Array.from(grad.subarray(classes, 2 * classes))).toEqual([0, 0, 0]);
    expect(loss).toBeGreaterThan(0);
  });
});

describe('training reference: dropout masks and Adam', () => {
  it('dropout masks are seeded, inverted (0 or 1/(1−p)) and keep about 1−p of the entries', () => {
    const p = 0.6;
    const m = dropoutMask(3, 7, 1, 20000, p);
    expect(dropoutMask(3, 7, 1, 20000, p)).toEqual(m);
    expect(dropoutMask(3, 8, 1, 20000, p)).not.toEqual(m);
    const kept = m.filter((v) => v !== 0);
    expect(kept.every((v) => v === 1 / (1 - p))).toBe(true);
    // Binomial(20000, 0.4): std ≈ 69 entries, so ±400 is ~6 std.
    expect(Math.abs(kept.length - 8000)).toBeLessThan(400);
    expect(dropoutMask(3, 7, 1, 10, 0).every((v) => v === 1)).toBe(true);
  });

  it('Adam with weight decay: two steps against a hand computation (PyTorch semantics)', () => {
    const w = Float64Array.from([0.5, -1, 2]);
    const g1 = Float64Array.from([0.1, 0.2, -0.3]);
    const g2 = Float64Array.from([-0.05, 0.4, 0.0]);
    const lr = 0.01;
    const wd = 0.1;
    const state = createAdamState([w]);
    const ours = w.slice();
    adamStep([ours], [g1], state, { lr, weightDecay: wd });
    adamStep([ours], [g2], state, { lr, weightDecay: wd });
    // By hand, coordinate by coordinate.
    const b1 = 0.9;
    const b2 = 0.999;
    const expected = Array.from(w, (w0, k) => {
      let x = w0;
      let m = 0;
      let v = 0;
      [g1[k], g2[k]].forEach((gk, step) => {
        const t = step + 1;
        const gg = gk + wd * x;
        m = b1 * m + (1 - b1) * gg;
        v = b2 * v + (1 - b2) * gg * gg;
        x = x - (lr * m) / (1 - b1 ** t) / (Math.sqrt(v / (1 - b2 ** t)) + 1e-8);
      });
      return x;
    });
    for (let k = 0; k < 3; k++) expect(ours[k]).toBeCloseTo(expected[k], 14);
    // First step of Adam moves each weight by lr·sign(g + wd·w) (up to ε): a sanity anchor.
    const one = w.slice();
    adamStep([one], [g1], createAdamState([one]), { lr, weightDecay: wd });
    for (let k = 0; k < 3; k++) expect(one[k] - w[k]).toBeCloseTo(-lr * Math.sign(g1[k] + wd * w[k]), 8);
  });
});
