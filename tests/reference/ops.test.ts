import { describe, expect, it } from 'vitest';
import type { ContraNormVariant, NormConfig } from '../../src/engine/types';
import {
  batchNorm,
  contraNorm,
  layerNorm,
  pairNorm,
  propagate,
  softmaxInPlace,
} from '../../src/engine/reference/ops';
import { buildCsr, type Csr } from '../../src/data/graph';
import { maxAbsDiff, randomMatrix } from './helpers';

const cn = (variant: ContraNormVariant, s = 0.7, tau = 0.6): NormConfig => ({
  kind: 'contranorm',
  s,
  tau,
  variant,
  pairnormScale: 1,
});

/** ContraNorm written out with a dense N×N S, exactly as SPEC §1.3 prints it. */
function denseContraNorm(
  z: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  adj: boolean[][] | null,
): Float64Array {
  const rows = Array.from({ length: n }, (_, i) => Array.from(z.subarray(i * d, (i + 1) * d)));
  const rn = rows.map((r) => {
    const l = Math.max(Math.hypot(...r), 1e-12);
    return r.map((v) => v / l);
  });
  const paper = norm.variant === 'paper';
  const base = paper ? rows : rn;
  const S: number[][] = [];
  for (let i = 0; i < n; i++) {
    const logits = base.map((rj) => rj.reduce((s, v, t) => s + v * base[i][t], 0) / (paper ? 1 : norm.tau));
    const masked = logits.map((v, j) =>
      norm.variant === 'mask' && (i === j || (adj && adj[i][j])) ? -Infinity : v,
    );
    const max = Math.max(...masked);
    if (max === -Infinity) S.push(new Array(n).fill(0));
    else {
      const e = masked.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      S.push(e.map((v) => v / sum));
    }
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      let sz = 0;
      for (let j = 0; j < n; j++) sz += S[i][j] * rows[j][t];
      const zi = rows[i][t];
      out[i * d + t] =
        norm.variant === 'identity'
          ? (1 + norm.s) * zi - norm.s * sz
          : paper
            ? zi - (norm.s / norm.tau) * sz
            : zi - norm.s * sz;
    }
  return layerNorm(out, n, d);
}

function denseAdjacency(graph: Csr, n: number): boolean[][] {
  const a = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let i = 0; i < n; i++)
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) a[i][graph.colIdx[k]] = true;
  return a;
}

describe('ContraNorm: every variant against a dense N×N implementation', () => {
  const n = 7;
  const d = 5;
  const z = randomMatrix(n, d, 21);
  z.fill(0, 3 * d, 4 * d); // a zero row: rn gives 0, so all its logits are 0
  // A star centred on node 0 plus a triangle 4–5–6: node 0 neighbours 1, 2, 3.
  const { graph } = buildCsr(n, [
    [0, 1],
    [0, 2],
    [0, 3],
    [4, 5],
    [5, 6],
    [4, 6],
  ]);
  const adj = denseAdjacency(graph, n);

  it.each(['code', 'identity', 'paper'] as const)('%s', (variant) => {
    const got = contraNorm(z, n, d, cn(variant), graph);
    expect(maxAbsDiff(got, denseContraNorm(z, n, d, cn(variant), null))).toBeLessThan(1e-12);
  });

  it('mask: self and neighbours removed from the softmax', () => {
    const got = contraNorm(z, n, d, cn('mask'), graph);
    expect(maxAbsDiff(got, denseContraNorm(z, n, d, cn('mask'), adj))).toBeLessThan(1e-12);
  });

  it('mask: a row with no non-neighbour contributes S Z = 0 (complete graph: Z″ = layernorm(Z)), no NaN', () => {
    const edges: Array<[number, number]> = [];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) edges.push([i, j]);
    const complete = buildCsr(4, edges).graph;
    const z4 = randomMatrix(4, 3, 22);
    const got = contraNorm(z4, 4, 3, cn('mask'), complete);
    expect(got.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(got, layerNorm(z4, 4, 3))).toBeLessThan(1e-15);
    // A star's centre has no non-neighbour; its leaves repel one another only.
    const star = buildCsr(4, [
      [0, 1],
      [0, 2],
      [0, 3],
    ]).graph;
    const gotStar = contraNorm(z4, 4, 3, cn('mask'), star);
    expect(maxAbsDiff(gotStar, denseContraNorm(z4, 4, 3, cn('mask'), denseAdjacency(star, 4)))).toBeLessThan(
      1e-12,
    );
    expect(maxAbsDiff(gotStar.subarray(0, 3), layerNorm(z4, 4, 3).subarray(0, 3))).toBeLessThan(1e-15);
  });

  it('without a graph, mask removes only self', () => {
    const got = contraNorm(z, n, d, cn('mask'));
    expect(maxAbsDiff(got, denseContraNorm(z, n, d, cn('mask'), null))).toBeLessThan(1e-12);
  });

  it('a tiny τ stays finite (stable softmax); an overflowing one gives NaN, not a hang', () => {
    expect(contraNorm(z, n, d, cn('code', 0.5, 1e-4)).every(Number.isFinite)).toBe(true);
    const overflow = contraNorm(z, n, d, cn('code', 0.5, 1e-310));
    expect(overflow.some(Number.isNaN)).toBe(true);
  });
});

describe('softmax, LayerNorm, BatchNorm, PairNorm', () => {
  it('softmax is stable, masks −∞ and reports a fully masked row', () => {
    const s = Float64Array.of(1000, 1001, -Infinity);
    expect(softmaxInPlace(s)).toBe(true);
    expect(s[1] / s[0]).toBeCloseTo(Math.E, 12);
    expect(s[2]).toBe(0);
    const all = Float64Array.of(-Infinity, -Infinity);
    expect(softmaxInPlace(all)).toBe(false);
  });

  it('LayerNorm rows and BatchNorm columns have mean 0 and variance v/(v+1e-5)', () => {
    const x = randomMatrix(6, 4, 30, 3);
    const ln = layerNorm(x, 6, 4);
    for (let i = 0; i < 6; i++) {
      const r = Array.from(ln.subarray(i * 4, i * 4 + 4));
      expect(Math.abs(r.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
      const raw = Array.from(x.subarray(i * 4, i * 4 + 4));
      const mean = raw.reduce((a, b) => a + b, 0) / 4;
      const v = raw.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
      expect(r.reduce((a, b) => a + b * b, 0) / 4).toBeCloseTo(v / (v + 1e-5), 12);
    }
    const bn = batchNorm(x, 6, 4);
    for (let t = 0; t < 4; t++) {
      const col = Array.from({ length: 6 }, (_, i) => bn[i * 4 + t]);
      expect(Math.abs(col.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
    }
  });

  it('PairNorm centres columns and scales the mean squared row norm to s²', () => {
    const x = randomMatrix(8, 3, 31, 5);
    const p = pairNorm(x, 8, 3, 2);
    let sq = 0;
    for (let t = 0; t < 3; t++)
      expect(
        Math.abs(Array.from({ length: 8 }, (_, i) => p[i * 3 + t]).reduce((a, b) => a + b, 0)),
      ).toBeLessThan(1e-12);
    for (const v of p) sq += v * v;
    expect(sq / 8).toBeCloseTo(4, 6);
  });
});

describe('propagation Â H (Ã = A + I)', () => {
  // Path 0 – 1 – 2. Degrees with self loops: 2, 3, 2.
  const { graph } = buildCsr(3, [
    [0, 1],
    [1, 2],
  ]);
  const h = Float64Array.of(1, 10, 100); // one column

  it('rw: D̃⁻¹Ã H averages each closed neighbourhood', () => {
    expect(maxAbsDiff(propagate(graph, h, 3, 1, 'rw'), [11 / 2, 111 / 3, 110 / 2])).toBeLessThan(1e-13);
  });

  it('sym: D̃^{-1/2} Ã D̃^{-1/2} H', () => {
    const want = [
      1 / 2 + 10 / Math.sqrt(6),
      1 / Math.sqrt(6) + 10 / 3 + 100 / Math.sqrt(6),
      10 / Math.sqrt(6) + 100 / 2,
    ];
    expect(maxAbsDiff(propagate(graph, h, 3, 1, 'sym'), want)).toBeLessThan(1e-13);
  });

  it('uses edge weights when present (self loop weight 1)', () => {
    const weighted = buildCsr(2, [[0, 1]], [3]).graph;
    // D̃ = diag(4, 4); rw row 0: (1·h0 + 3·h1)/4
    expect(
      maxAbsDiff(propagate(weighted, Float64Array.of(1, 5), 2, 1, 'rw'), [(1 + 15) / 4, (3 + 5) / 4]),
    ).toBeLessThan(1e-15);
  });

  it('preserves a constant signal under rw (row-stochastic)', () => {
    const constant = Float64Array.of(2, 7, 2, 7, 2, 7); // every row (2, 7)
    expect(maxAbsDiff(propagate(graph, constant, 3, 2, 'rw'), constant)).toBeLessThan(1e-14);
  });
});
