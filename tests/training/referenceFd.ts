// Finite-difference helpers for the float64 training reference tests.

import { buildCsr, type Csr } from '../../src/data/graph';
import { Rng } from '../../src/math/random';

export function randn(length: number, seed: number, std = 1): Float64Array {
  const m = new Float64Array(length);
  new Rng(seed, 0x7e57).fillNormal(m, std);
  return m;
}

/**
 * Central differences of a scalar function at x, every coordinate: (f(x+h) − f(x−h))/2h.
 * With h = 1e-5 and smooth float64 functions of O(1) inputs the truncation error is
 * O(h²·f''') ≈ 1e-10 and the rounding error O(ε/h) ≈ 1e-11, so agreement to ~1e-7 relative
 * is what a correct backward shows; a wrong term shows as O(1) relative error.
 */
export function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) {
    const keep = x[k];
    x[k] = keep + h;
    const up = f(x);
    x[k] = keep - h;
    const down = f(x);
    x[k] = keep;
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

/** ⟨a, b⟩: turns a vector-valued op into the scalar whose gradient is the op's backward of b. */
export function inner(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** max |a − b| / max(1, max |b|): the error relative to the gradient's scale. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let err = 0;
  let scale = 1e-300;
  for (let k = 0; k < a.length; k++) {
    err = Math.max(err, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return err / Math.max(scale, 1e-3);
}

/**
 * A small awkward graph on n ≥ 6 nodes: node 0 is adjacent to every other node except the
 * last, node n−1 is isolated, plus a path through the middle. So under ContraNorm's `mask`
 * variant row 0 keeps one entry only (the isolated node) — and with `universal` node 0 is
 * joined to all nodes, leaving its row fully masked.
 */
export function awkwardGraph(n: number, universal = false): Csr {
  const edges: [number, number][] = [];
  for (let j = 1; j < (universal ? n : n - 1); j++) edges.push([0, j]);
  for (let j = 1; j < n - 2; j++) edges.push([j, j + 1]);
  return buildCsr(n, edges).graph;
}
