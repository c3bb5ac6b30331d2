// The whole training stack (forward with tapes, backward, read-out, loss) against central finite
// differences of the loss, for every weight matrix and for the input features (which checks
// G_0 = ∂loss/∂H_0 and thereby the whole chain), on a small awkward graph.
// Tolerance: relError ≤ 1e-6 (a correct backward agrees to ~1e-8; a missing term is O(1)).

import { describe, expect, it } from 'vitest';
import type { NormConfig, Residual, Activation } from '../../src/engine/types';
import type { TrainingWeights } from '../../src/training/model';
import { dropoutMask } from '../../src/training/model';
import { backward, forward, type Architecture } from '../../src/training/reference/network';
import { softmaxCrossEntropy } from '../../src/training/reference/loss';
import { layerStats } from '../../src/training/reference/gradients';
import { toSparseRows } from '../../src/training/data';
import { awkwardGraph, numericGradient, randn, relError } from './referenceFd';

const n = 8;
const classes = 3;
const graph = awkwardGraph(n);
const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1]);
const train = Uint32Array.from([0, 1, 3, 4, 6, 7]);

const NONE: NormConfig = { kind: 'none', s: 1, tau: 1, variant: 'code', pairnormScale: 1 };

interface Case {
  name: string;
  norm?: Partial<NormConfig>;
  activation?: Activation;
  residual?: Residual;
  alpha?: number;
  dropout?: number;
  inDim?: number;
  adjacency?: 'rw' | 'sym';
}

const cases: Case[] = [
  { name: 'plain linear GCN (rw)' },
  { name: 'plain, sym, tanh', adjacency: 'sym', activation: 'tanh' },
  {
    name: 'residual + relu (layer 1 skips it: widths differ)',
    residual: 'residual',
    activation: 'relu',
    alpha: 0.7,
  },
  {
    name: 'residual on every layer (input width = hidden)',
    residual: 'residual',
    activation: 'tanh',
    inDim: 4,
  },
  {
    name: 'Lipschitz-bounded residual (divisor frozen)',
    residual: 'lipschitz',
    activation: 'tanh',
    inDim: 4,
  },
  { name: 'ContraNorm(code)+LN+relu', norm: { kind: 'contranorm', s: 0.8, tau: 1 }, activation: 'relu' },
  {
    name: 'ContraNorm(mask)+LN+relu',
    norm: { kind: 'contranorm', s: 1, tau: 0.5, variant: 'mask' },
    activation: 'relu',
  },
  {
    name: 'ContraNorm(identity), sym',
    norm: { kind: 'contranorm', s: 0.5, tau: 1, variant: 'identity' },
    adjacency: 'sym',
  },
  {
    name: 'ContraNorm(paper)',
    norm: { kind: 'contranorm', s: 0.3, tau: 2, variant: 'paper' },
    activation: 'tanh',
  },
  { name: 'LayerNorm + tanh', norm: { kind: 'layernorm' }, activation: 'tanh' },
  { name: 'PairNorm + relu', norm: { kind: 'pairnorm', pairnormScale: 1.5 }, activation: 'relu' },
  { name: 'BatchNorm + residual', norm: { kind: 'batchnorm' }, residual: 'residual', inDim: 4 },
  {
    name: 'dropout 0.4 with fixed masks + relu + residual',
    dropout: 0.4,
    activation: 'relu',
    residual: 'residual',
    inDim: 4,
  },
];

function setup(c: Case): {
  arch: Architecture;
  weights: TrainingWeights;
  x: Float64Array;
  masks: Float64Array[] | null;
} {
  const inDim = c.inDim ?? 5;
  const hidden = 4;
  const depth = 3;
  const dims = [inDim, hidden, hidden, hidden];
  const weights: TrainingWeights = {
    dims,
    layers: [1, 2, 3].map((l) => randn(dims[l - 1] * dims[l], 100 + l, 0.7)),
    out: randn(hidden * classes, 200, 0.7),
    classes,
  };
  const arch: Architecture = {
    adjacency: c.adjacency ?? 'rw',
    norm: { ...NONE, ...c.norm },
    activation: c.activation ?? 'none',
    residual: c.residual ?? 'none',
    alpha: c.alpha ?? 1,
  };
  const masks = c.dropout ? dims.map((d, site) => dropoutMask(5, 0, site, n * d, c.dropout!)) : null;
  expect(depth).toBe(weights.layers.length);
  return { arch, weights, x: randn(n * inDim, 300), masks };
}

describe('training reference: whole-stack gradient vs finite differences', () => {
  for (const c of cases)
    it(c.name, () => {
      const { arch, weights, x, masks } = setup(c);
      const base = forward(arch, weights, graph, x, n, { masks });
      const lipschitzNorms = base.lipschitzNorms; // frozen, as the backward treats them
      const loss = (w: TrainingWeights, feats: Float64Array): number =>
        softmaxCrossEntropy(
          forward(arch, w, graph, feats, n, { masks, lipschitzNorms }).logits,
          classes,
          labels,
          train,
        ).loss;
      const { grad } = softmaxCrossEntropy(base.logits, classes, labels, train);
      const g = backward(arch, weights, graph, n, base, grad, 'all');
      weights.layers.forEach((w, l) => {
        const fd = numericGradient(
          (v) => loss({ ...weights, layers: weights.layers.map((m, k) => (k === l ? v : m)) }, x),
          w,
        );
        expect(relError(g.layers[l], fd), `W_${l + 1}`).toBeLessThan(1e-6);
      });
      const fdOut = numericGradient((v) => loss({ ...weights, out: v }, x), weights.out);
      expect(relError(g.out, fdOut), 'W_out').toBeLessThan(1e-6);
      const fdX = numericGradient((v) => loss(weights, v), x);
      expect(relError(g.hs![0]!, fdX), 'G_0').toBeLessThan(1e-6);
      // The gradient is not trivially zero (a test that could not fail otherwise).
      expect(Math.max(...g.hs![0]!.map(Math.abs))).toBeGreaterThan(1e-6);
      if (arch.residual === 'lipschitz') expect(Math.min(...lipschitzNorms)).toBeGreaterThan(0.5);
    });
});

describe('training reference: sparse first layer and factored G_0 statistics', () => {
  it('sparse input gives the dense path’s logits, weight gradients and G_0 (explicit and drawn masks)', () => {
    const { arch, weights } = setup({ name: 'sparse', activation: 'relu', norm: { kind: 'layernorm' } });
    const inDim = weights.dims[0];
    const x = randn(n * inDim, 301);
    for (let k = 0; k < x.length; k++) if (k % 3 !== 0) x[k] = 0; // a third non-zero
    const sparse = toSparseRows(x, n, inDim);
    const drop = { seed: 9, epoch: 4, p: 0.3 };
    const masks = weights.dims.map((d, site) => dropoutMask(drop.seed, drop.epoch, site, n * d, drop.p));
    for (const opts of [{ masks }, { dropout: drop }]) {
      const dense = forward(arch, weights, graph, x, n, opts);
      const sp = forward(arch, weights, graph, x, n, { ...opts, sparse });
      expect(relError(sp.logits, dense.logits)).toBeLessThan(1e-13);
      const { grad } = softmaxCrossEntropy(dense.logits, classes, labels, train);
      const gd = backward(arch, weights, graph, n, dense, grad, 'all');
      const gs = backward(arch, weights, graph, n, sp, grad, 'all');
      gd.layers.forEach((w, l) => expect(relError(gs.layers[l], w)).toBeLessThan(1e-13));
      expect(relError(gs.hs![0]!, gd.hs![0]!)).toBeLessThan(1e-13);
    }
    // The explicit masks are exactly the ones drawn from the spec.
    const a = forward(arch, weights, graph, x, n, { masks });
    const b = forward(arch, weights, graph, x, n, { dropout: drop });
    expect(Array.from(b.logits)).toEqual(Array.from(a.logits));
  });

  for (const inDim of [5, 4])
    it(`G_0 statistics from the factor P W_1ᵀ equal those of the dense G_0 (input width ${inDim})`, () => {
      // Width 4 = hidden: layer 1 is residual, and G_0 must include the skip term (formed densely).
      const { arch, weights, x } = setup({
        name: 'factored',
        activation: 'tanh',
        residual: 'residual',
        inDim,
      });
      const fwd = forward(arch, weights, graph, x, n);
      const { grad } = softmaxCrossEntropy(fwd.logits, classes, labels, train);
      const dense = backward(arch, weights, graph, n, fwd, grad, 'all');
      const fact = backward(arch, weights, graph, n, fwd, grad, 'factored');
      expect(fact.hs![0] === null).toBe(inDim !== 4);
      const a = layerStats(fwd.hs, dense.hs!, weights.dims, n);
      const b = layerStats(fwd.hs, fact.hs!, weights.dims, n, {
        factor: fact.inputFactor!,
        w: weights.layers[0],
      });
      expect(b[0].gradNorm).toBeCloseTo(a[0].gradNorm, 12);
      expect(b[0].gradMu).toBeCloseTo(a[0].gradMu, 12);
      expect(b.slice(1)).toEqual(a.slice(1));
      // Direct check of the definitions on the dense G_0.
      expect(a[0].gradNorm).toBeCloseTo(Math.hypot(...dense.hs![0]!), 12);
    });
});
