// Graph generators whose structure the eye can check: a plain stochastic block model, a ring
// lattice, a 2-D grid and a random geometric graph. Pure functions of their spec, seeded
// through src/math/random.ts like the other built-in sets.
//
// Features. A plain SBM gets class-free N(0, 1) features, so whatever the classes do under
// smoothing comes from the graph alone. The ring, the grid and the geometric graph get a
// spectral (positional) embedding: the first low-frequency Fourier modes of their domain
// (for the ring and the grid these are exactly eigenvectors of the graph Laplacian), plus a
// little seeded noise. A GCN layer is a low-pass filter, so on these sets one can watch the
// high frequencies (and the noise) die first and the lowest mode last, before everything
// collapses to one point.

import type { Dataset, DatasetSpec } from './types';
import { Rng } from '../math/random';
import { buildCsr, type Csr } from './graph';
import { blockLabels, canonicalSpecId as id, connectGraph, DATA_DOMAIN } from './generatorParts';

type Spec<K extends DatasetSpec['kind']> = Extract<DatasetSpec, { kind: K }>;

const KIND_ID = { sbm: 4, ring: 5, grid: 6, geometric: 7 } as const;
const PART = { edges: 2, positions: 3, noise: 4, bridges: 5 } as const;
/** Std of the noise added to the positional features (the modes have RMS 1). */
export const POSITIONAL_NOISE = 0.2;

/** Grow-only pair list (u0, v0, u1, v1, …). */
class Pairs {
  data = new Uint32Array(256);
  length = 0;
  push(u: number, v: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = u;
    this.data[this.length++] = v;
  }
  result(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Number of skipped candidates before the next success of a Bernoulli(p) sequence. */
function geometricSkip(rng: Rng, logQ: number): number {
  return Math.floor(Math.log(1 - rng.uniform()) / logQ);
}

/**
 * Each of the `count` candidates succeeds independently with probability p; calls `hit`
 * with the index of each success (Batagelj–Brandes skipping: O(successes), not O(count)).
 */
function bernoulliIndices(count: number, p: number, rng: Rng, hit: (index: number) => void): void {
  if (p <= 0 || count <= 0) return;
  if (p >= 1) {
    for (let k = 0; k < count; k++) hit(k);
    return;
  }
  const logQ = Math.log(1 - p);
  for (let k = geometricSkip(rng, logQ); k < count; k += 1 + geometricSkip(rng, logQ)) hit(k);
}

/**
 * Plain SBM. With blocks of about s = n/k nodes, p_in = avgDegree·homophily/(s − 1) and
 * p_out = avgDegree·(1 − homophily)/(n − s) (each capped at 1), so a node expects avgDegree
 * neighbours, a `homophily` share of them in its own class. The sample is then made
 * connected by (components − 1) bridging edges, as the contextual SBM is (see connectGraph).
 */
export function sbm(spec: Spec<'sbm'>): Dataset {
  const { n, classes: k, featureDim: dim } = spec;
  const labels = blockLabels(n, k);
  const start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) start[labels[i] + 1]++;
  for (let c = 0; c < k; c++) start[c + 1] += start[c];
  const s = n / k;
  const pIn =
    k === 1 ? spec.avgDegree / Math.max(1, n - 1) : (spec.avgDegree * spec.homophily) / Math.max(1, s - 1);
  const pOut = k === 1 ? 0 : (spec.avgDegree * (1 - spec.homophily)) / (n - s);
  const rng = new Rng(spec.seed, DATA_DOMAIN, KIND_ID.sbm, PART.edges);
  const pairs = new Pairs();
  for (let a = 0; a < k; a++) {
    const sa = start[a + 1] - start[a];
    // Inside block a: candidate t ↦ the t-th pair (i, j), j < i, in row order.
    let row = 1;
    let rowStart = 0;
    bernoulliIndices((sa * (sa - 1)) / 2, Math.min(1, pIn), rng, (t) => {
      while (t >= rowStart + row) {
        rowStart += row;
        row++;
      }
      pairs.push(start[a] + row, start[a] + (t - rowStart));
    });
    for (let b = a + 1; b < k; b++) {
      const sb = start[b + 1] - start[b];
      bernoulliIndices(sa * sb, Math.min(1, pOut), rng, (t) =>
        pairs.push(start[a] + Math.floor(t / sb), start[b] + (t % sb)),
      );
    }
  }
  const graph = connectGraph(
    buildCsr(n, pairs.result()).graph,
    n,
    labels,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.sbm, PART.bridges),
  );
  const features = new Float32Array(n * dim);
  new Rng(spec.seed, DATA_DOMAIN, KIND_ID.sbm, PART.noise).fillNormal(features);
  return {
    id: id(spec),
    name: `stochastic block model (n=${n}, ${k} classes, degree ${spec.avgDegree}, homophily ${spec.homophily})`,
    n,
    featureDim: dim,
    features,
    graph,
    labels,
    numClasses: k,
  };
}

/** Add N(0, POSITIONAL_NOISE²) noise from the spec's noise stream. */
function addNoise(x: Float32Array, rng: Rng): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] += POSITIONAL_NOISE * rng.normal();
  return x;
}

/**
 * Ring lattice: node i is joined to i ± 1, …, i ± h with h = round(avgDegree/2) (at least 1,
 * at most ⌊(n−1)/2⌋). Classes are contiguous arcs. Feature j is √2·cos or √2·sin (j even /
 * odd) of 2π·f·i/n with f = ⌊j/2⌋ + 1: the cycle's Laplacian eigenvectors of the f lowest
 * frequencies.
 */
export function ring(spec: Spec<'ring'>): Dataset {
  const { n, featureDim: dim } = spec;
  const h = Math.max(1, Math.min(Math.round(spec.avgDegree / 2), Math.floor((n - 1) / 2)));
  const pairs = new Pairs();
  if (n > 1) for (let i = 0; i < n; i++) for (let o = 1; o <= h; o++) pairs.push(i, (i + o) % n);
  const features = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const angle = (2 * Math.PI * (Math.floor(j / 2) + 1) * i) / n;
      features[i * dim + j] = Math.SQRT2 * (j % 2 === 0 ? Math.cos(angle) : Math.sin(angle));
    }
  addNoise(features, new Rng(spec.seed, DATA_DOMAIN, KIND_ID.ring, PART.noise));
  return {
    id: id(spec),
    name: `ring lattice (n=${n}, ${2 * h} neighbours each)`,
    n,
    featureDim: dim,
    features,
    graph: n > 1 ? buildCsr(n, pairs.result()).graph : emptyGraph(n),
    labels: blockLabels(n, spec.classes),
    numClasses: spec.classes,
  };
}

function emptyGraph(n: number): Csr {
  return { rowPtr: new Uint32Array(n + 1), colIdx: new Uint32Array(0) };
}

/**
 * Feature j of a point (x, y) in the unit square: √2·cos(π·f·x) for even j, √2·cos(π·f·y)
 * for odd j, f = ⌊j/2⌋ + 1 (the square's Neumann Laplacian eigenfunctions; on the grid's
 * cell centres, eigenvectors of each path's Laplacian).
 */
function squareModes(xs: Float64Array, ys: Float64Array, dim: number): Float32Array {
  const n = xs.length;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      const f = Math.floor(j / 2) + 1;
      out[i * dim + j] = Math.SQRT2 * Math.cos(Math.PI * f * (j % 2 === 0 ? xs[i] : ys[i]));
    }
  return out;
}

/** Class of a point by its x coordinate in [0, 1): k vertical bands. */
function bandLabels(xs: Float64Array, k: number): Int32Array {
  const labels = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) labels[i] = Math.min(k - 1, Math.floor(xs[i] * k));
  return labels;
}

/**
 * 2-D grid: n nodes in rows of c = ⌈√n⌉ columns (the last row may be partial), each joined to
 * its right and lower neighbour. Classes are vertical bands of columns; features are the
 * grid's low-frequency cosine modes of the cell centres (see squareModes).
 */
export function grid(spec: Spec<'grid'>): Dataset {
  const { n, featureDim: dim } = spec;
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const pairs = new Pairs();
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / cols);
    const c = i % cols;
    xs[i] = (c + 0.5) / cols;
    ys[i] = (r + 0.5) / rows;
    if (c + 1 < cols && i + 1 < n) pairs.push(i, i + 1);
    if (i + cols < n) pairs.push(i, i + cols);
  }
  const features = addNoise(
    squareModes(xs, ys, dim),
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.grid, PART.noise),
  );
  return {
    id: id(spec),
    name: `grid (${rows}×${cols}, n=${n})`,
    n,
    featureDim: dim,
    features,
    graph: buildCsr(n, pairs.result()).graph,
    labels: bandLabels(xs, spec.classes),
    numClasses: spec.classes,
  };
}

/**
 * Random geometric graph: n uniform points in the unit square, two joined when their distance
 * is at most `radius` (found through a grid of radius-sized cells). Not made connected: a
 * bridge would be an edge no point distance justifies; the load summary counts components.
 * Classes are vertical bands; features are the square's cosine modes at the points.
 */
export function geometric(spec: Spec<'geometric'>): Dataset {
  const { n, featureDim: dim, radius } = spec;
  const rng = new Rng(spec.seed, DATA_DOMAIN, KIND_ID.geometric, PART.positions);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = rng.uniform();
    ys[i] = rng.uniform();
  }
  const cells = Math.max(1, Math.min(Math.floor(1 / radius), Math.ceil(Math.sqrt(n))));
  const cellOf = (x: number) => Math.min(cells - 1, Math.floor(x * cells));
  // Counting sort of the points by cell.
  const head = new Int32Array(cells * cells + 1);
  for (let i = 0; i < n; i++) head[cellOf(ys[i]) * cells + cellOf(xs[i]) + 1]++;
  for (let c = 0; c < cells * cells; c++) head[c + 1] += head[c];
  const cursor = head.slice(0, cells * cells);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[cellOf(ys[i]) * cells + cellOf(xs[i])]++] = i;
  const r2 = radius * radius;
  const pairs = new Pairs();
  for (let i = 0; i < n; i++) {
    const cx = cellOf(xs[i]);
    const cy = cellOf(ys[i]);
    for (let gy = Math.max(0, cy - 1); gy <= Math.min(cells - 1, cy + 1); gy++)
      for (let gx = Math.max(0, cx - 1); gx <= Math.min(cells - 1, cx + 1); gx++) {
        const c = gy * cells + gx;
        for (let t = head[c]; t < head[c + 1]; t++) {
          const j = order[t];
          if (j <= i) continue;
          const dx = xs[i] - xs[j];
          const dy = ys[i] - ys[j];
          if (dx * dx + dy * dy <= r2) pairs.push(i, j);
        }
      }
  }
  const features = addNoise(
    squareModes(xs, ys, dim),
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID.geometric, PART.noise),
  );
  return {
    id: id(spec),
    name: `random geometric graph (n=${n}, radius ${radius})`,
    n,
    featureDim: dim,
    features,
    graph: buildCsr(n, pairs.result()).graph,
    labels: bandLabels(xs, spec.classes),
    numClasses: spec.classes,
  };
}
