// Every WGSL kernel against the float64 reference, in real WebGPU (headless Chromium; SwiftShader
// where there is no GPU), on awkward shapes. Inputs are rounded to float32 first, so the errors
// measured are those of the float32 kernels alone.
//
// Tolerances, relative to the scale of the reference output (its largest |entry|):
//   matmul, sparse product, residual:        2e-6 · (terms summed), at least 1e-6
//   softmax-based (attention, ContraNorm):   1e-4 (exp, and sums over N keys in float32)
//   LayerNorm / BatchNorm / PairNorm:         1e-4 (division by a float32 standard deviation)
import { describe, expect, it } from 'vitest';
import { useHarnessPage } from '../browser/harnessPage';
import type { ContraNormVariant, NormConfig } from '../../src/engine/types';

const harness = useHarnessPage();

type Figures = { maxAbsErr: number; scale: number; nonFinite: number; length: number };
function expectClose(f: Figures, relTol: number, label: string): void {
  expect(f.nonFinite, `${label}: non-finite mismatches`).toBe(0);
  expect(f.length, `${label}: compared nothing`).toBeGreaterThan(0);
  const rel = f.maxAbsErr / Math.max(f.scale, 1e-30);
  expect(
    rel,
    `${label}: max |gpu − ref| = ${f.maxAbsErr.toExponential(3)} at scale ${f.scale.toExponential(3)}`,
  ).toBeLessThanOrEqual(relTol);
}

const norm = (kind: NormConfig['kind'], extra: Partial<NormConfig> = {}): NormConfig => ({
  kind,
  s: 0.5,
  tau: 1,
  variant: 'code',
  pairnormScale: 1,
  ...extra,
});

describe('matmul.wgsl (tiled) and matmul_rows.wgsl (barrier-free): dense H·W', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [67, 13, 5],
    [130, 70, 129],
    [1000, 64, 64],
    [3, 200, 1],
  ];
  for (const variant of ['tiled', 'rows'] as const) {
    for (const [m, k, n] of shapes) {
      it(`${variant}: ${m}×${k} · ${k}×${n}`, async () => {
        const f = await harness().evaluate((a) => window.harness.kernelMatmul(a), {
          m,
          k,
          n,
          seed: m + k + n,
          variant,
        });
        expectClose(f, Math.max(1e-6, 2e-6 * k), `matmul ${m}×${k}×${n}`);
      });
    }
  }
});

describe('spmm.wgsl: sparse Â·H over CSR', () => {
  const cases = [
    { n: 1, d: 1, graph: { kind: 'empty' } },
    { n: 7, d: 3, graph: { kind: 'star' } },
    { n: 100, d: 65, graph: { kind: 'half-isolated', avgDegree: 4, seed: 3 } },
    { n: 513, d: 1, graph: { kind: 'random', avgDegree: 6, seed: 5 } },
    { n: 70_001, d: 5, graph: { kind: 'random', avgDegree: 8, seed: 9 } },
  ] as const;
  for (const adjacency of ['rw', 'sym'] as const) {
    for (const c of cases) {
      it(`${adjacency}: N=${c.n}, d=${c.d}, ${c.graph.kind}`, async () => {
        const f = await harness().evaluate((a) => window.harness.kernelSpmm(a), {
          ...c,
          adjacency,
          seed: c.n,
        });
        expectClose(f, 1e-5, `spmm ${adjacency} N=${c.n}`);
      });
    }
  }
});

describe('streaming_softmax.wgsl: softmax(QKᵀ·scale)·V without an N×N buffer', () => {
  const cases = [
    { n: 1, dk: 1, dv: 1, scale: 1 },
    { n: 33, dk: 7, dv: 65, scale: 0.3 },
    { n: 100, dk: 64, dv: 64, scale: 1 / 8 },
    { n: 257, dk: 130, dv: 3, scale: 0.1 },
    { n: 64, dk: 16, dv: 16, scale: 4 }, // peaked rows: the running max changes often
  ];
  for (const c of cases) {
    it(`N=${c.n}, dk=${c.dk}, dv=${c.dv}, scale=${c.scale}`, async () => {
      const r = await harness().evaluate((a) => window.harness.kernelStreamingSoftmax(a), {
        ...c,
        seed: c.n + c.dk,
      });
      expectClose(r.out, 1e-4, 'attention output');
      expect(r.rowNormErr, 'row norm ‖P_i‖ from the streamed statistics').toBeLessThan(1e-4);
    });
  }
});

describe('attention_tiled.wgsl (hardware GPUs): the same product, one row per lane, keys split', () => {
  // Run on this adapter although it is a software one: correctness does not depend on the adapter.
  const cases = [
    { n: 1, dk: 1, dv: 1, scale: 1 },
    { n: 33, dk: 7, dv: 65, scale: 0.3 }, // two output chunks, the second 1 column wide
    { n: 100, dk: 64, dv: 64, scale: 1 / 8 },
    { n: 1000, dk: 64, dv: 64, scale: 1 / 8 }, // keys split over 11 workgroups, then merged
    { n: 300, dk: 3, dv: 5, scale: 0.5 }, // widths not multiples of 4
    { n: 64, dk: 16, dv: 16, scale: 4 }, // peaked rows: the running max changes often
    { n: 257, dk: 130, dv: 3, scale: 0.1 }, // too wide for registers: the streaming kernel runs
  ];
  for (const c of cases) {
    it(`N=${c.n}, dk=${c.dk}, dv=${c.dv}, scale=${c.scale}`, async () => {
      const r = await harness().evaluate((a) => window.harness.kernelStreamingSoftmax(a), {
        ...c,
        seed: c.n + c.dk,
        kernelSet: 'hardware' as const,
      });
      expectClose(r.out, 1e-4, 'attention output');
      expect(r.rowNormErr, 'row norm ‖P_i‖ from the merged statistics').toBeLessThan(1e-4);
    });
  }
  it('rows split over several dispatches (a lowered work budget per dispatch)', async () => {
    const r = await harness().evaluate((a) => window.harness.kernelStreamingSoftmax(a), {
      n: 700,
      dk: 8,
      dv: 8,
      scale: 0.5,
      seed: 4,
      kernelSet: 'hardware' as const,
      maxDispatchFlops: 64 * 700 * 32 * 3, // three row blocks per dispatch
    });
    expectClose(r.out, 1e-4, 'attention output');
    expect(r.rowNormErr).toBeLessThan(1e-4);
  });
  for (const variant of ['code', 'mask', 'paper'] as const) {
    for (const { n, d, graph, tau } of [
      { n: 45, d: 9, graph: { kind: 'half-isolated' as const, avgDegree: 3, seed: 1 }, tau: 0.5 },
      { n: 900, d: 32, graph: { kind: 'random' as const, avgDegree: 6, seed: 2 }, tau: 0.1 },
      { n: 200, d: 66, graph: { kind: 'star' as const }, tau: 1 },
    ]) {
      it(`contranorm ${variant} N=${n} d=${d} τ=${tau} ${graph.kind}`, async () => {
        const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
          n,
          d,
          norm: norm('contranorm', { variant, s: 0.8, tau }),
          activation: 'relu' as const,
          graph,
          seed: n + d,
          kernelSet: 'hardware' as const,
        });
        expectClose(f, 2e-4, `contranorm ${variant}`);
      });
    }
  }
});

describe('normalizations (rowwise, column_stats, column_norm, rownorm + streaming softmax)', () => {
  const shapes = [
    { n: 1, d: 1 },
    { n: 2, d: 1 },
    { n: 37, d: 5 },
    { n: 300, d: 70 },
  ];
  for (const kind of ['layernorm', 'batchnorm', 'pairnorm'] as const) {
    for (const { n, d } of shapes) {
      it(`${kind} N=${n} d=${d}`, async () => {
        const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
          n,
          d,
          norm: norm(kind, { pairnormScale: 1.7 }),
          activation: 'none' as const,
          graph: { kind: 'none' as const },
          seed: n * d,
          scale: 3,
        });
        expectClose(f, 1e-4, `${kind} N=${n} d=${d}`);
      });
    }
  }
  const variants: ContraNormVariant[] = ['code', 'identity', 'mask', 'paper'];
  for (const variant of variants) {
    for (const { n, d, graph } of [
      { n: 1, d: 1, graph: { kind: 'empty' as const } },
      { n: 45, d: 9, graph: { kind: 'half-isolated' as const, avgDegree: 3, seed: 1 } },
      { n: 200, d: 66, graph: { kind: 'star' as const } },
    ]) {
      it(`contranorm ${variant} N=${n} d=${d} ${graph.kind}`, async () => {
        const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
          n,
          d,
          norm: norm('contranorm', { variant, s: 0.8, tau: 0.5 }),
          activation: 'relu' as const,
          graph,
          seed: n + d,
        });
        expectClose(f, 2e-4, `contranorm ${variant}`);
      });
    }
  }
  it('contranorm mask: every row of a complete graph has no non-neighbour (S·Z = 0, no NaN)', async () => {
    const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
      n: 12,
      d: 4,
      norm: norm('contranorm', { variant: 'mask' }),
      activation: 'none' as const,
      graph: { kind: 'complete' as const },
      seed: 2,
    });
    expectClose(f, 1e-4, 'contranorm mask on a complete graph');
  });
  // 2/τ = 200 is past the fixed maximum's span: the softmax tracks its running maximum.
  for (const variant of ['code', 'mask'] as const) {
    it(`contranorm ${variant} with a small temperature τ = 0.01 stays finite and matches`, async () => {
      const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
        n: 80,
        d: 8,
        norm: norm('contranorm', { variant, tau: 0.01, s: 0.5 }),
        activation: 'none' as const,
        graph:
          variant === 'mask'
            ? { kind: 'half-isolated' as const, avgDegree: 3, seed: 5 }
            : { kind: 'none' as const },
        seed: 4,
      });
      expectClose(f, 1e-3, `contranorm ${variant} τ=0.01`);
    });
  }
  for (const activation of ['relu', 'tanh'] as const) {
    it(`activation ${activation} (with large inputs for tanh)`, async () => {
      const f = await harness().evaluate((a) => window.harness.kernelNormalize(a), {
        n: 50,
        d: 3,
        norm: norm('none'),
        activation,
        graph: { kind: 'none' as const },
        seed: 8,
        scale: 100,
      });
      expectClose(f, 1e-6, activation);
    });
  }
});

describe('residual and Lipschitz-bounded residual (rowwise.wgsl)', () => {
  for (const residual of ['residual', 'lipschitz'] as const) {
    it(`${residual} N=77 d=13`, async () => {
      const f = await harness().evaluate((a) => window.harness.kernelResidual(a), {
        n: 77,
        d: 13,
        alpha: 0.7,
        lipschitzNorm: 2.3,
        residual,
        seed: 5,
      });
      expectClose(f, 1e-6, residual);
    });
  }
});
