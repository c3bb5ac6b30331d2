// The fast CPU engine's WebAssembly kernels (wasm/kernels.ts through src/engine/fast/kernels.ts)
// against the float64 reference, in Node's WebAssembly (the same V8 as Chromium's), on awkward
// shapes: N = 1, d = 1, sizes that are not multiples of the kernels' 4-row, 8-column and 64-key
// blocks, isolated nodes, weighted edges, fully masked rows, NaN. Inputs are rounded to float32
// first, so the errors measured are those of the float32 kernels alone. Every case runs on both
// builds of the kernels (plain SIMD; relaxed SIMD's fused multiply-add). The whole engine, with
// its worker threads, runs the GPU engine's 64-layer stack cases in tests/engine/stacks.test.ts.
//
// Tolerances, relative to the scale of the reference output (its largest |entry|), the GPU
// kernels' (tests/engine/kernels.test.ts):
//   matmul, sparse product:                 2e-6 · (terms summed), at least 1e-6
//   softmax-based (attention, ContraNorm):  1e-4
//   vector exp:                             4e-7 relative, per entry
import { beforeAll, describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { FastKernels, kernelModule, type KernelBuild } from '../../src/engine/fast/kernels';
import { fastOps } from '../../src/engine/fast/ops';
import { createFastEngine } from '../../src/engine/fast/engine';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import * as ref from '../../src/engine/reference/ops';
import { computeLayerSums, countNonFinite, gramOf } from '../../src/engine/reference/layerSums';
import { buildCsr, type Csr } from '../../src/data/graph';
import { Rng } from '../../src/math/random';
import { defaultConfig } from '../../src/engine/config';
import { singularValuesFromGram } from '../../src/math/spectrum';
import type { ContraNormVariant, EngineConfig, NormConfig } from '../../src/engine/types';
import type { LayerOps } from '../../src/engine/reference/layers';

// Node 20 accepts relaxed SIMD only behind this flag (Chromium by default), so both builds of
// the kernels run here. It must be set before the first module is compiled.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const BUILDS: readonly KernelBuild[] = ['plain', 'relaxed'];

let kernels: FastKernels;
let ops: LayerOps;

function gaussian(count: number, seed: number, scale = 1): Float64Array {
  const rng = new Rng(seed, 4242);
  return Float64Array.from({ length: count }, () => Math.fround(scale * rng.normal()));
}

function randomGraph(n: number, avgDegree: number, seed: number, span = n, weighted = false): Csr {
  const rng = new Rng(seed, 77);
  const edges: [number, number][] = [];
  for (let e = 0; e < Math.round((span * avgDegree) / 2); e++) edges.push([rng.int(span), rng.int(span)]);
  const weights = weighted ? edges.map((_, i) => [0.5, 2, 0, 1][i % 4]) : undefined;
  return buildCsr(n, edges, weights).graph;
}

function completeGraph(n: number): Csr {
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j]);
  return buildCsr(n, edges).graph;
}

/** max |got − want| over max |want|; non-finite entries must sit at the same places. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, relTol: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    expect(Number.isFinite(got[i]), `${label}: entry ${i} got ${got[i]}, want ${want[i]}`).toBe(
      Number.isFinite(want[i]),
    );
    if (!Number.isFinite(want[i])) continue;
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  expect(err / Math.max(scale, 1e-30), `${label}: max error ${err} at scale ${scale}`).toBeLessThanOrEqual(
    relTol,
  );
}

const norm = (variant: ContraNormVariant, extra: Partial<NormConfig> = {}): NormConfig => ({
  kind: 'contranorm',
  s: 0.5,
  tau: 1,
  variant,
  pairnormScale: 1,
  ...extra,
});

it('Node accepts the relaxed build with the flag, so both builds are tested below', async () => {
  await expect(kernelModule('relaxed')).resolves.toBeInstanceOf(WebAssembly.Module);
});

for (const build of BUILDS)
  describe(`${build} build`, () => {
    beforeAll(async () => {
      kernels = await FastKernels.create(await kernelModule(build));
      ops = fastOps(kernels, (op) => Promise.resolve([kernels.softmaxBlock(op, 0, op.n)]));
    });

    describe('vector exp (exp4)', () => {
      it('matches Math.exp to 4e-7 on [−87, 88.7]; −∞ and x < −87 give 0; NaN stays NaN', () => {
        const xs: number[] = [];
        for (let x = -87; x <= 88; x += 0.0173) xs.push(x);
        xs.push(0, -0, 1e-8, -1e-8, 88.5);
        while (xs.length % 4) xs.push(0);
        const got = kernels.exp(Float32Array.from(xs));
        xs.forEach((x, i) => {
          const want = Math.exp(Math.fround(x));
          expect(Math.abs(got[i] - want) / want, `exp(${x})`).toBeLessThanOrEqual(4e-7);
        });
        const special = kernels.exp(Float32Array.from([-Infinity, -87.5, -1000, NaN]));
        expect(Array.from(special.subarray(0, 3))).toEqual([0, 0, 0]);
        expect(special[3]).toBeNaN();
      });

      it('the softmax exp matches Math.exp to 4e-7 on [−87, 1] (its arguments are ≤ 0); −∞, x < −87 give 0; NaN stays NaN', () => {
        const xs: number[] = [];
        for (let x = -87; x <= 1; x += 0.00731) xs.push(x);
        xs.push(0, -0, 1e-8, -1e-8, -86.99);
        while (xs.length % 4) xs.push(0);
        const got = kernels.expSoftmax(Float32Array.from(xs));
        xs.forEach((x, i) => {
          const want = Math.exp(Math.fround(x));
          expect(Math.abs(got[i] - want) / want, `exp(${x})`).toBeLessThanOrEqual(4e-7);
        });
        const special = kernels.expSoftmax(Float32Array.from([-Infinity, -87.5, -1000, NaN]));
        expect(Array.from(special.subarray(0, 3))).toEqual([0, 0, 0]);
        expect(special[3]).toBeNaN();
      });
    });

    describe('dense H·W', () => {
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [3, 1, 9],
        [67, 13, 5],
        [130, 70, 129],
        [1000, 64, 64],
      ];
      for (const [n, k, m] of shapes)
        it(`${n}×${k} · ${k}×${m}`, () => {
          const x = gaussian(n * k, 1);
          const w = gaussian(k * m, 2);
          expectClose(
            kernels.matmul(Float32Array.from(x), n, k, w, m),
            ref.matmul(x, n, k, w, m),
            Math.max(2e-6 * k, 1e-6),
            'matmul',
          );
        });
    });

    describe('sparse Â·H', () => {
      const cases: { name: string; n: number; d: number; graph: () => Csr }[] = [
        { name: 'one node, no edges, d = 1', n: 1, d: 1, graph: () => buildCsr(1, []).graph },
        { name: 'half the nodes isolated, d = 5', n: 101, d: 5, graph: () => randomGraph(101, 4, 3, 50) },
        {
          name: 'weighted edges (some 0), d = 64',
          n: 300,
          d: 64,
          graph: () => randomGraph(300, 6, 4, 300, true),
        },
        {
          name: 'star, d = 3',
          n: 70,
          d: 3,
          graph: () =>
            buildCsr(
              70,
              Array.from({ length: 69 }, (_, i) => [0, i + 1] as [number, number]),
            ).graph,
        },
      ];
      for (const c of cases)
        for (const adjacency of ['rw', 'sym'] as const)
          it(`${c.name}, ${adjacency}`, () => {
            const g = c.graph();
            const x = gaussian(c.n * c.d, 5);
            const maxDeg = Math.max(
              1,
              ...Array.from({ length: c.n }, (_, i) => g.rowPtr[i + 1] - g.rowPtr[i]),
            );
            expectClose(
              kernels.propagate(g, Float32Array.from(x), c.n, c.d, adjacency),
              ref.propagate(g, x, c.n, c.d, adjacency),
              Math.max(2e-6 * (maxDeg + 1), 1e-6),
              'propagate',
            );
          });
    });

    describe('ContraNorm (streaming softmax S·Z, then LayerNorm), every variant', () => {
      const shapes: { n: number; d: number; graph?: () => Csr }[] = [
        { n: 1, d: 1 },
        { n: 7, d: 3, graph: () => randomGraph(7, 2, 6) },
        { n: 130, d: 16, graph: () => randomGraph(130, 6, 7, 65) },
        { n: 333, d: 64, graph: () => randomGraph(333, 8, 8, 333, true) },
      ];
      for (const { n, d, graph } of shapes)
        for (const variant of ['code', 'identity', 'mask', 'paper'] as const)
          for (const tau of [1, 0.1, 0.01])
            it(`n = ${n}, d = ${d}, ${variant}, τ = ${tau}`, async () => {
              const g = graph?.();
              const z = gaussian(n * d, n + d, 0.5);
              const cfg = norm(variant, { tau, s: 0.7 });
              const got = await ops.normalize(Float32Array.from(z), n, d, cfg, g);
              expectClose(got, ref.contraNorm(z, n, d, cfg, g), 1e-4, `${variant} τ=${tau}`);
            });

      it('mask on a complete graph: every key is masked, S·Z = 0 (no NaN), as the reference', async () => {
        const n = 9;
        const d = 4;
        const z = gaussian(n * d, 11);
        const g = completeGraph(n);
        const cfg = norm('mask');
        expectClose(
          await ops.normalize(Float32Array.from(z), n, d, cfg, g),
          ref.contraNorm(z, n, d, cfg, g),
          1e-4,
          'all masked',
        );
      });

      it('fixed maximum 1/τ and the running maximum give the same S·Z', () => {
        const n = 200;
        const d = 24;
        const u = ref.rowNormalize(Float32Array.from(gaussian(n * d, 12)), n, d);
        const op = {
          n,
          dk: d,
          dv: d,
          q: u,
          k: u,
          v: u,
          scale: 10,
          maskSelf: false,
          exclude: null,
          colSums: false,
        };
        const fixed = kernels.softmaxBlock({ ...op, fixedMax: 10 }, 0, n).o;
        const running = kernels.softmaxBlock({ ...op, fixedMax: Infinity }, 0, n).o;
        expectClose(fixed, running, 1e-5, 'fixed vs running');
      });

      it('the symmetric kernel, split into row ranges as over threads, gives the streaming kernel’s S·Z', () => {
        for (const [n, d] of [
          [1, 1],
          [5, 3],
          [130, 16],
          [333, 64],
        ] as const) {
          const z = Float32Array.from(gaussian(n * d, 14 + n));
          const u = ref.rowNormalize(z, n, d);
          const op = {
            n,
            dk: d,
            dv: d,
            q: u,
            k: u,
            v: z,
            scale: 2,
            fixedMax: 2,
            maskSelf: false,
            exclude: null,
            colSums: false,
          };
          const want = kernels.softmaxBlock(op, 0, n).o;
          // Ranges of 4-row blocks, one of them empty, the last ending past n (padding rows).
          const r4 = Math.ceil(n / 4) * 4;
          const edges = [0, Math.min(r4, 4), Math.min(r4, 4), Math.floor(r4 / 8) * 4, r4].sort(
            (a, b) => a - b,
          );
          const blocks = edges
            .slice(1)
            .map((r1, i) => kernels.softmaxBlock({ ...op, symmetric: true }, Math.min(edges[i], r1), r1));
          const acc = new Float64Array(n * d);
          const l = new Float64Array(n);
          for (const b of blocks) {
            expect(b.partial).toBe(true);
            b.o.forEach((v, i) => (acc[i] += v));
            b.stats.forEach((v, i) => (l[i] += v));
          }
          const got = acc.map((v, i) => v / l[Math.floor(i / d)]);
          expectClose(got, want, 1e-5, `symmetric n = ${n}, d = ${d}`);
        }
      });

      it('a NaN in Z is not hidden: the same entries are non-finite as in the reference', async () => {
        const n = 40;
        const d = 8;
        const z = gaussian(n * d, 13);
        z[5 * d + 2] = NaN;
        const cfg = norm('code');
        const got = await ops.normalize(Float32Array.from(z), n, d, cfg);
        const want = ref.contraNorm(z, n, d, cfg);
        const bad = (a: ArrayLike<number>) => Array.from(a).filter((v) => !Number.isFinite(v)).length;
        expect(bad(got)).toBe(bad(want));
        expect(bad(got)).toBeGreaterThan(0);
      });
    });

    describe('attention P·V and the attention-map sums', () => {
      for (const [n, k, m] of [
        [1, 1, 1],
        [5, 3, 13],
        [100, 16, 16],
        [257, 64, 32],
      ] as const)
        it(`${n} tokens, ${k} → ${m}`, async () => {
          const x = gaussian(n * k, 21);
          const [wq, wk, wv] = [22, 23, 24].map((s) => gaussian(k * m, s, 1 / Math.sqrt(k)));
          const got = await ops.attention(Float32Array.from(x), n, k, { wq, wk, wv }, m);
          const want = ref.attention(x, n, k, { wq, wk, wv }, m);
          expectClose(got.pv, want.pv, 1e-4, 'P·V');
          expectClose(got.sums.unitColSum, want.sums.unitColSum, 1e-4, 'Σ_i P_ij/‖P_i‖');
          expect(Math.abs(got.sums.unitRowCount - want.sums.unitRowCount)).toBeLessThanOrEqual(1e-4 * n);
        });
    });

    describe('Gram matrix in float64 of float32 rows', () => {
      for (const [n, d] of [
        [1, 1],
        [5, 3],
        [130, 17],
        [1000, 64],
      ] as const)
        for (const centered of [false, true])
          it(`${n}×${d}${centered ? ', centered' : ''}: equal to the reference's float64 sums to 1e-12`, () => {
            const x = Float32Array.from(gaussian(n * d, 31));
            const shift = centered ? ref.columnMeans(x, n, d) : null;
            expectClose(kernels.gram(x, n, d, shift), gramOf(x, n, d, shift), 1e-12, 'gram');
          });
      it('a layer’s metric sums equal the reference’s computeLayerSums and countNonFinite', () => {
        for (const [n, d, withGraph] of [
          [1, 1, false],
          [5, 3, true],
          [3, 17, true], // n < d: the n×n Gram
          [130, 17, true],
          [1000, 64, false],
        ] as const)
          for (const centered of [false, true]) {
            const x = Float32Array.from(gaussian(n * d, 33 + n));
            const graph = withGraph ? randomGraph(n, 3, 34) : undefined;
            const options = { graph, centered, attention: null };
            const { sums, nonFinite } = kernels.layerSums(x, n, d, options);
            const want = computeLayerSums(x, n, d, options);
            const label = `${n}×${d}${centered ? ' centered' : ''}`;
            expectClose(sums.gram, want.gram, 1e-12, `${label} gram`);
            expectClose(sums.colSum, want.colSum, 1e-12, `${label} colSum`);
            expectClose(sums.unitColSum, want.unitColSum, 1e-12, `${label} unitColSum`);
            for (const key of ['unitRowCount', 'sumSq', 'centeredSumSq', 'dirichletSum'] as const) {
              const [a, b] = [sums[key], want[key]];
              if (a === null || b === null) expect(a, `${label} ${key}`).toBe(b);
              else
                expect(Math.abs(a - b), `${label} ${key}`).toBeLessThanOrEqual(
                  1e-12 * Math.max(1, Math.abs(b)),
                );
            }
            expect(sums.dirichletSum === null).toBe(!graph);
            expect(nonFinite).toBe(0);
          }
      });

      it('metric sums of a layer with NaN and ±∞: counted, and non-finite where the reference’s are', () => {
        const n = 9;
        const d = 5;
        const x = Float32Array.from(gaussian(n * d, 35));
        x[3] = NaN;
        x[17] = Infinity;
        x[40] = -Infinity;
        const options = { graph: randomGraph(n, 3, 36), centered: false, attention: null };
        const { sums, nonFinite } = kernels.layerSums(x, n, d, options);
        const want = computeLayerSums(x, n, d, options);
        expect(nonFinite).toBe(countNonFinite(x));
        expect(nonFinite).toBe(3);
        for (const key of ['unitRowCount', 'sumSq', 'centeredSumSq', 'dirichletSum'] as const)
          expect(Number.isFinite(sums[key]), key).toBe(Number.isFinite(want[key]));
        sums.colSum.forEach((v, t) => expect(Number.isFinite(v)).toBe(Number.isFinite(want.colSum[t])));
        sums.unitColSum.forEach((v, t) => expect(Number.isNaN(v)).toBe(Number.isNaN(want.unitColSum[t])));
      });

      it('singular values from a Gram: the reference eigensolver’s to 1e-12 of σ₁, on awkward spectra', () => {
        const gramOfRows = (rows: number, side: number, seed: number, rank = side): Float64Array => {
          const x = gaussian(rows * side, seed);
          // rank-deficient: every column beyond `rank` copies column 0 (repeated and zero eigenvalues)
          for (let i = 0; i < rows; i++) for (let t = rank; t < side; t++) x[i * side + t] = x[i * side];
          return gramOf(x, rows, side, null);
        };
        const identity = (side: number): Float64Array => {
          const g = new Float64Array(side * side);
          for (let i = 0; i < side; i++) g[i * side + i] = 1;
          return g;
        };
        const cases: [string, Float64Array, number, number][] = [
          ['1×1', gramOfRows(3, 1, 40), 1, 1],
          ['2×2, count 5', gramOfRows(4, 2, 41), 2, 5],
          ['5×5, count 3', gramOfRows(9, 5, 42), 5, 3],
          ['64×64', gramOfRows(300, 64, 43), 64, 64],
          ['64×64 of rank 3', gramOfRows(300, 64, 44, 3), 64, 64],
          ['17×17 identity (one repeated eigenvalue)', identity(17), 17, 17],
          ['zero 4×4', new Float64Array(16), 4, 4],
        ];
        for (const [label, g, side, count] of cases) {
          const got = kernels.singularValues(g, side, count);
          const want = singularValuesFromGram(g, side, count);
          expect(got.length, label).toBe(want.length);
          const s1 = Math.max(want[0] ?? 0, 1e-300);
          want.forEach((w, i) =>
            expect(Math.abs(got[i] - w) / s1, `${label} σ_${i}`).toBeLessThanOrEqual(1e-12),
          );
        }
        const bad = gramOfRows(6, 3, 45);
        bad[4] = NaN;
        expect(Array.from(kernels.singularValues(bad, 3, 3)).every(Number.isNaN)).toBe(true);
        bad[4] = Infinity;
        expect(Array.from(kernels.singularValues(bad, 3, 3)).every(Number.isNaN)).toBe(true);
      });

      it('a NaN row makes the Gram non-finite, as in the reference', () => {
        const x = Float32Array.from(gaussian(40 * 4, 32));
        x[7] = NaN;
        const got = kernels.gram(x, 40, 4, null);
        expect(Array.from(got).some((v) => Number.isNaN(v))).toBe(true);
      });
    });

    describe('the fast engine without worker threads (as in Node) against the reference', () => {
      const c = defaultConfig();
      const configs: [string, EngineConfig][] = [
        [
          'GCN, ContraNorm mask, sym, tanh, Lipschitz residual',
          {
            ...c,
            layers: 12,
            adjacency: 'sym',
            activation: 'tanh',
            residual: 'lipschitz',
            alpha: 0.5,
            norm: { ...c.norm, kind: 'contranorm', variant: 'mask' },
          },
        ],
        ['GCN, PairNorm, d = 7', { ...c, layers: 12, hidden: 7, norm: { ...c.norm, kind: 'pairnorm' } }],
        [
          'Transformer, 101 tokens, d = 13, post-ContraNorm',
          {
            ...c,
            model: 'transformer',
            dataset: { kind: 'tokens', n: 101, featureDim: 13, clusters: 4, separation: 2, seed: 3 },
            layers: 12,
            hidden: 13,
            residual: 'residual',
            norm: { ...c.norm, kind: 'contranorm' },
          },
        ],
      ];
      for (const [name, config] of configs)
        it(name, async () => {
          const fast = await createFastEngine({ threads: 0, build });
          const a = await fast.run(config, { features: 'all' });
          const b = await createReferenceEngine().run(config, { features: 'all' });
          expect(a.engine).toBe('cpu');
          for (let l = 0; l <= config.layers; l++) {
            expectClose(a.layers[l].features!, b.layers[l].features!, 1e-3, `layer ${l} features`);
            const ra = a.layers[l].metrics.effectiveRank;
            const rb = b.layers[l].metrics.effectiveRank;
            expect(Math.abs(ra - rb), `layer ${l} effective rank`).toBeLessThanOrEqual(0.03 + 0.01 * rb);
          }
          fast.dispose();
        });
    });
  });
