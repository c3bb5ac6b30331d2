// The training kernels of src/training/gpu in real WebGPU (headless Chromium;
// SwiftShader here), each gradient checked against central finite differences of the float64
// forward (see tests/browser/cases/training.ts): |⟨∂L/∂X_gpu, V⟩ − fd| / ‖∂L/∂X_gpu‖₂ over random
// directions V ~ N(0, I) (an estimate of the gradient's relative error ‖e‖/‖g‖), after
// subtracting the float64 rounding floor of the difference quotient.
//
// Tolerances (relative, as above), about ten times the worst figure measured on SwiftShader:
//   dense product, sparse propagation, activation:  1e-5 (measured ≤ 6e-7). float32 sums of a
//     few hundred terms; the difference quotient of a (piecewise) linear map is exact in float64.
//   LayerNorm, BatchNorm, PairNorm, ContraNorm:       1e-4 (measured ≤ 8e-6, the worst on the
//     fully masked `mask` graph). Divisions by float32 standard deviations, exp() and sums over
//     N keys in float32. A 1% error in one term of a backward moves these figures to ~1e-3.
//   cross-entropy: loss 1e-5 relative (1e-4 at 4.2M rows: float32 chunk sums), accuracy counts
//     exact, gradient entries 1e-5 of the largest, finite differences 1e-4 (5e-4 at 4.2M rows).
//   Adam: the displacement w − w₀ after 10 steps, 1e-4 of its largest entry (float32 w).
//   whole network: loss 1e-5, every weight gradient 1e-3 of its matrix's largest entry against
//     the float64 reference backward (three float32 layers), finite differences of the reference
//     loss in weight space 1e-4 (measured ≤ 1.3e-6); ‖G_ℓ‖ 1e-3 relative, μ 1e-3 absolute.
//   trainer vs reference trainer over 20 epochs: loss 1e-3 relative per epoch (float32 Adam
//     steps drift slowly from float64 ones), training accuracy within one node.
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import type { NormConfig } from '../../src/engine/types';
import type { FdFigures } from '../browser/cases/training';

const harness = useHarnessPage();

function expectFd(f: FdFigures, tol: number, label: string): void {
  expect(f.nonFinite, `${label}: non-finite`).toBe(0);
  expect(
    f.worstRel,
    `${label}: |⟨g,V⟩ − fd| = ${f.worstErr.toExponential(3)} at scale ${f.worstScale.toExponential(3)}`,
  ).toBeLessThanOrEqual(tol);
}

type Figures = { maxAbsErr: number; scale: number; nonFinite: number; length: number };
function expectClose(f: Figures, relTol: number, label: string): void {
  expect(f.nonFinite, `${label}: non-finite`).toBe(0);
  expect(f.length, `${label}: compared nothing`).toBeGreaterThan(0);
  expect(
    f.maxAbsErr,
    `${label}: max |gpu − ref| = ${f.maxAbsErr.toExponential(3)} at scale ${f.scale.toExponential(3)}`,
  ).toBeLessThanOrEqual(relTol * Math.max(f.scale, 1e-30));
}

const norm = (kind: NormConfig['kind'], extra: Partial<NormConfig> = {}): NormConfig => ({
  kind,
  s: 0.7,
  tau: 0.5,
  variant: 'code',
  pairnormScale: 1.5,
  ...extra,
});

describe('backward_dense.wgsl: ∂W = Hᵀ G (chunked, no atomics) and ∂H = G Wᵀ', () => {
  for (const [n, k, m] of [
    [1, 1, 1],
    [67, 13, 5],
    [300, 70, 3],
    [1000, 1, 9],
  ] as const) {
    it(`${n}×${k} · ${k}×${m}`, async () => {
      const r = await harness().evaluate((a) => window.harness.trainDenseBackward(a), {
        n,
        k,
        m,
        seed: n + k,
      });
      expectFd(r.dW, 1e-5, 'dW');
      expectFd(r.dX, 1e-5, 'dX');
    });
  }
});

describe('spmm.wgsl on the CSR of Âᵀ: propagation backward', () => {
  const cases = [
    { n: 1, d: 1, graph: { kind: 'empty' } },
    { n: 7, d: 3, graph: { kind: 'star' } },
    { n: 100, d: 5, graph: { kind: 'half-isolated', avgDegree: 4, seed: 3 } },
    { n: 300, d: 2, graph: { kind: 'random', avgDegree: 6, seed: 5 } },
  ] as const;
  for (const adjacency of ['rw', 'sym'] as const)
    for (const c of cases)
      it(`${adjacency}: N=${c.n}, d=${c.d}, ${c.graph.kind}`, async () => {
        const r = await harness().evaluate((a) => window.harness.trainSpmmBackward(a), {
          ...c,
          adjacency,
          seed: c.n + 1,
        });
        expectFd(r, 1e-5, `${adjacency} ${c.graph.kind}`);
      });
});

describe('backward_pointwise.wgsl and dropout.wgsl: activation backward and dropout', () => {
  for (const act of ['none', 'relu', 'tanh'] as const)
    it(`actBackward ${act}, 1000 entries, α = 0.7`, async () => {
      const r = await harness().evaluate((a) => window.harness.trainActBackward(a), {
        count: 1000,
        act,
        alpha: 0.7,
        seed: 3,
      });
      if (!('worstRel' in r)) throw new Error('expected a finite-difference check');
      expectFd(r, 1e-5, act);
    });
  it('actBackward relu over 4.3M entries (> 65535·64: folded 2-D dispatch)', async () => {
    const r = await harness().evaluate((a) => window.harness.trainActBackward(a), {
      count: 4_300_001,
      act: 'relu' as const,
      alpha: 1,
      seed: 4,
    });
    if (!('elementwise' in r)) throw new Error('expected an elementwise check');
    expectClose(r.elementwise, 1e-6, 'folded relu backward');
  });
  // The shader draws its own mask; it must drop exactly dropoutMask's entries (the reference
  // trainer's), including past 65535·64 entries (folded dispatch) and at p next to 1.
  for (const [count, p, beta] of [
    [1001, 0.5, 1],
    [13, 0, 0],
    [4_300_001, 0.6, 0.5],
    [100, 1 - 2 ** -33, 1],
  ] as const)
    it(`dropout: ${count} entries, p = ${p}, β = ${beta}`, async () => {
      const r = await harness().evaluate((a) => window.harness.trainDropout(a), { count, p, beta, seed: 9 });
      expectClose(r, 1e-6, 'dropout');
      expect(r.maskMismatches).toBe(0);
      if (p > 0) expect(r.dropped).toBeGreaterThan(0);
      if (p > 0.99) expect(r.dropped).toBe(count);
    });
});

describe('normalization backward: LayerNorm, BatchNorm, PairNorm, ContraNorm (streaming)', () => {
  const cases: {
    n: number;
    d: number;
    norm: NormConfig;
    graph: Record<string, unknown> & { kind: string };
  }[] = [
    { n: 1, d: 1, norm: norm('layernorm'), graph: { kind: 'none' } },
    { n: 1, d: 7, norm: norm('layernorm'), graph: { kind: 'none' } },
    { n: 100, d: 33, norm: norm('layernorm'), graph: { kind: 'none' } },
    { n: 1, d: 3, norm: norm('batchnorm'), graph: { kind: 'none' } },
    { n: 300, d: 5, norm: norm('batchnorm'), graph: { kind: 'none' } },
    { n: 70, d: 1, norm: norm('batchnorm'), graph: { kind: 'none' } },
    { n: 1, d: 3, norm: norm('pairnorm'), graph: { kind: 'none' } },
    { n: 300, d: 5, norm: norm('pairnorm'), graph: { kind: 'none' } },
    { n: 70, d: 1, norm: norm('pairnorm'), graph: { kind: 'none' } },
    { n: 1, d: 1, norm: norm('contranorm'), graph: { kind: 'none' } },
    { n: 70, d: 5, norm: norm('contranorm'), graph: { kind: 'none' } },
    { n: 130, d: 65, norm: norm('contranorm'), graph: { kind: 'none' } },
    { n: 70, d: 5, norm: norm('contranorm', { variant: 'identity' }), graph: { kind: 'none' } },
    { n: 7, d: 3, norm: norm('contranorm', { variant: 'mask' }), graph: { kind: 'star' } },
    { n: 6, d: 2, norm: norm('contranorm', { variant: 'mask' }), graph: { kind: 'complete' } },
    {
      n: 100,
      d: 5,
      norm: norm('contranorm', { variant: 'mask' }),
      graph: { kind: 'half-isolated', avgDegree: 4, seed: 2 },
    },
    { n: 40, d: 4, norm: norm('contranorm', { variant: 'paper' }), graph: { kind: 'none' } },
    // contranorm_train.wgsl's shapes: one 32-column chunk held in registers (d = 32 exactly,
    // the trainer's hidden width; d = 31, a partial last quad), and two chunks (d = 36) whose dot
    // products come from memory; N not a multiple of the 64-wide workgroup, isolated nodes.
    // The tiled entry points (d ≤ 32) stage 16 rows at a time: N = 97 and 17 end on a tile of
    // one row, N = 1 and 7 are shorter than a tile, N = 130 spans three workgroups; the tracked
    // maximum of `paper` (the max moves inside a tile) and a mask with isolated nodes.
    {
      n: 67,
      d: 32,
      norm: norm('contranorm', { variant: 'mask' }),
      graph: { kind: 'half-isolated', avgDegree: 4, seed: 3 },
    },
    { n: 50, d: 31, norm: norm('contranorm'), graph: { kind: 'none' } },
    {
      n: 97,
      d: 32,
      norm: norm('contranorm', { variant: 'mask' }),
      graph: { kind: 'half-isolated', avgDegree: 4, seed: 5 },
    },
    { n: 17, d: 8, norm: norm('contranorm', { variant: 'paper' }), graph: { kind: 'none' } },
    { n: 130, d: 16, norm: norm('contranorm'), graph: { kind: 'none' } },
    {
      n: 45,
      d: 36,
      norm: norm('contranorm', { variant: 'mask' }),
      graph: { kind: 'random', avgDegree: 6, seed: 4 },
    },
  ];
  for (const c of cases) {
    const label = `${c.norm.kind}${c.norm.kind === 'contranorm' ? ` ${c.norm.variant}` : ''}: N=${c.n}, d=${c.d}, ${c.graph.kind}`;
    it(label, async () => {
      const r = await harness().evaluate((a) => window.harness.trainNormBackward(a as never), {
        ...c,
        seed: c.n * 7 + c.d,
        scale: c.norm.variant === 'paper' ? 0.5 : 1,
      });
      expectClose(r.forward, 1e-4, `${label} forward`);
      expectFd(r.fd, 1e-4, label);
    });
  }
});

describe('cross_entropy.wgsl: loss, gradient and accuracy counts over the index roles', () => {
  for (const [n, classes, every] of [
    [1, 1, 1],
    [130, 7, 3],
    [4_200_001, 2, 3],
  ] as const)
    it(`N=${n}, C=${classes}${n > 4_194_240 ? ' (folded dispatch, 4101 chunks)' : ''}`, async () => {
      const r = await harness().evaluate((a) => window.harness.trainCrossEntropy(a), {
        n,
        classes,
        trainEvery: every,
        seed: 5,
      });
      expect(Math.abs(r.loss - r.expectedLoss)).toBeLessThanOrEqual(
        (n > 1e6 ? 1e-4 : 1e-5) * Math.max(1, r.expectedLoss),
      );
      expect(r.counts).toEqual(r.expectedCounts);
      expectClose(r.grad, 1e-5, 'gradient');
      expectFd(r.fd, n > 1e6 ? 5e-4 : 1e-4, 'loss finite differences');
    });
});

describe('adam.wgsl: PyTorch Adam with L2 weight decay', () => {
  it('1001 parameters, 10 steps, gradients from 1e-3 to 10', async () => {
    const r = await harness().evaluate((a) => window.harness.trainAdam(a), {
      count: 1001,
      steps: 10,
      lr: 0.01,
      weightDecay: 5e-4,
      seed: 2,
    });
    expectClose(r, 1e-4, 'Adam displacement');
  });
});

describe('the GPU network (src/training/gpu/network.ts) against the float64 reference backward', () => {
  const base = { kind: 'none', s: 0.7, tau: 0.5, variant: 'code', pairnormScale: 1.5 } as const;
  const configs = [
    { label: 'norm none, relu', over: {} },
    {
      label: 'layernorm, relu, residual',
      over: { norm: { ...base, kind: 'layernorm' }, residual: 'residual' },
    },
    {
      label: 'contranorm code, relu, residual, sym',
      over: { norm: { ...base, kind: 'contranorm' }, residual: 'residual', adjacency: 'sym' },
    },
    {
      label: 'contranorm mask, tanh',
      over: { norm: { ...base, kind: 'contranorm', variant: 'mask' }, activation: 'tanh' },
    },
    { label: 'batchnorm, relu', over: { norm: { ...base, kind: 'batchnorm' } } },
    {
      label: 'pairnorm, none, residual α=0.5',
      over: { norm: { ...base, kind: 'pairnorm' }, activation: 'none', residual: 'residual', alpha: 0.5 },
    },
    {
      label: 'layernorm, relu, dropout 0.4 (epoch 3 masks)',
      over: { norm: { ...base, kind: 'layernorm' }, dropout: 0.4 },
      epoch: 3,
    },
    {
      label: 'contranorm code, relu, Lipschitz-bounded residual α=0.8',
      over: { norm: { ...base, kind: 'contranorm' }, residual: 'lipschitz', alpha: 0.8 },
    },
  ] as const;
  for (const c of configs)
    it(c.label, async () => {
      const r = await harness().evaluate(
        (a) =>
          window.harness.trainNetworkGradients({
            config: window.harness.csbmConfig(a.over as never),
            dropoutEpoch: a.epoch,
          }),
        { over: c.over, epoch: 'epoch' in c ? c.epoch : undefined },
      );
      expect(Math.abs(r.loss - r.refLoss)).toBeLessThanOrEqual(1e-5 * Math.max(1, r.refLoss));
      r.perMatrix.forEach((m, i) => expectClose(m, 1e-3, `∂W${i + 1}`));
      expectFd(r.fd, 1e-4, 'loss along a weight direction');
      // Gradient statistics: the GPU's column statistics give ‖G_ℓ‖ and μ(G_ℓ), μ(H_ℓ).
      for (const [l, s] of r.gpuNormMu.entries()) {
        const ref = r.refStats[l]!;
        expect(Math.abs(s.gradNorm - ref.gradNorm), `‖G_${l}‖`).toBeLessThanOrEqual(1e-3 * ref.gradNorm);
        expect(Math.abs(s.gradMu - ref.gradMu), `μ(G_${l})`).toBeLessThanOrEqual(1e-3);
        expect(Math.abs(s.repMu - ref.repMu), `μ(H_${l})`).toBeLessThanOrEqual(1e-3);
      }
    });
});

describe('the GPU trainer against the reference trainer (CSBM, 20 epochs)', () => {
  const base = { kind: 'none', s: 0.7, tau: 0.5, variant: 'code', pairnormScale: 1 } as const;
  for (const c of [
    {
      label: 'layernorm, relu, residual',
      over: { norm: { ...base, kind: 'layernorm' }, residual: 'residual' },
    },
    { label: 'contranorm code, relu', over: { norm: { ...base, kind: 'contranorm' } } },
    {
      label: 'pairnorm, relu, Lipschitz-bounded residual',
      over: { norm: { ...base, kind: 'pairnorm' }, residual: 'lipschitz' },
    },
    {
      label: "layernorm, tanh, dropout 0.5 (the reference trainer's masks)",
      over: { norm: { ...base, kind: 'layernorm' }, activation: 'tanh', dropout: 0.5 },
    },
  ] as const)
    it(c.label, async () => {
      const r = await harness().evaluate(
        (a) => window.harness.trainCompareTrainers({ config: window.harness.csbmConfig(a as never) }),
        c.over,
      );
      console.log(
        `${c.label}: 20 epochs in ${r.gpuMs.toFixed(0)} ms on the GPU (${r.gpuEpochMs.toFixed(1)} ms/epoch), ` +
          `${r.refMs.toFixed(0)} ms on the reference (${r.refEpochMs.toFixed(1)} ms/epoch)`,
      );
      expect(r.engine.kind).toBe('gpu');
      expect(r.gpu.length).toBe(20);
      for (let e = 0; e < 20; e++) {
        const g = r.gpu[e]!;
        const f = r.ref[e]!;
        expect(Math.abs(g.loss - f.loss), `epoch ${e} loss ${g.loss} vs ${f.loss}`).toBeLessThanOrEqual(
          1e-3 * f.loss,
        );
        // Accuracies: a node whose two best logits are within float32 noise may flip; allow one node.
        expect(Math.abs(g.trainAcc - f.trainAcc)).toBeLessThanOrEqual(1 / 30 + 1e-9);
      }
      expect(r.gpu[19]!.loss).toBeLessThan(r.gpu[0]!.loss);
      for (const [l, s] of r.gpuGradients.entries()) {
        const ref = r.refGradients[l]!;
        expect(Math.abs(s.gradNorm - ref.gradNorm), `‖G_${l}‖`).toBeLessThanOrEqual(1e-3 * ref.gradNorm);
        expect(Math.abs(s.gradMu - ref.gradMu), `μ(G_${l})`).toBeLessThanOrEqual(1e-3);
      }
    });
});
