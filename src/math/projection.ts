// The 2-D picture of a layer, one definition for every engine and the page. Rows are
// row-normalized (so every point lies in the unit disc), the axes are the top two principal axes
// of those rows, and consecutive layers are aligned by an orthogonal 2×2 Procrustes fit (rotation
// or reflection) so that the picture moves continuously with depth instead of flipping or
// spinning. All in float64.
//
// ProjectionChain splits a layer's projection into the two steps an engine may do in different
// places: `axes` (from the layer's covariance: the float64 path computes it from the features, the
// GPU engine from its own reductions) and `align` (from the coordinates on those axes). Each is
// called in layer order. The alignment needs only the coordinates and the previous layer's, so an
// engine can project on the GPU and read back N×2 numbers per layer instead of N×d.

import { topEigenvectors } from './spectrum';

export type Floats = Float32Array | Float64Array;

/** rn(H): rows scaled to unit length (rows shorter than 1e-12 stay as they are, as in SPEC). */
export function rowNormalize(x: Floats, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += x[i * d + j] * x[i * d + j];
    const inv = 1 / Math.max(Math.sqrt(ss), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j] * inv;
  }
  return out;
}

/** Column-centered covariance (d×d, row-major) of the rows of u. */
export function covariance(u: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += u[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = u[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) c[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) c[a * d + b] = c[b * d + a];
  return c;
}

/** Orthogonal-iteration steps tried from a warm start before the direct solve takes over. */
const WARM_STEPS = 12;

/**
 * The top two eigenvectors of a symmetric d×d matrix (two columns, each of length d).
 * From `warm` (the previous layer's axes, same width) a few steps of orthogonal iteration usually
 * settle the plane the two span, at 4d² flops a step; if they do not (λ2 ≈ λ3, common in a layer
 * ContraNorm has spread, moves the plane by a tiny factor a step), or there is no warm start, the
 * direct Householder + QL solve (topEigenvectors, ~(4/3)d³ flops whatever the spectrum) decides.
 * Only the plane matters for the picture: the alignment absorbs any rotation or reflection in it.
 */
export function topTwoAxes(c: Float64Array, d: number, warm?: Axes): Axes {
  if (d === 1) return [Float64Array.of(1), Float64Array.of(0)];
  let trace = 0;
  for (let a = 0; a < d; a++) trace += c[a * d + a];
  if (!(trace > 0)) return [unitVector(d, 0), unitVector(d, 1)];
  if (warm && warm[0].length === d) {
    const settled = refinePlane(c, d, warm[0], warm[1], WARM_STEPS);
    if (settled) return settled;
  }
  const direct = topEigenvectors(c, d, 2);
  if (!direct) return [unitVector(d, 0), unitVector(d, 1)];
  return [direct.vectors[0]!, direct.vectors[1]!];
}

function unitVector(d: number, i: number): Float64Array {
  const v = new Float64Array(d);
  v[i] = 1;
  return v;
}

/**
 * Orthogonal iteration on the plane span{a, b} for at most `steps` steps, then a Rayleigh–Ritz
 * step inside it (axes ordered by variance). Null when the plane has not settled (moved by more
 * than 1e-14, as 2 − ‖P_new P_old‖²_F) within the steps, or degenerates.
 */
function refinePlane(
  c: Float64Array,
  d: number,
  a: Float64Array,
  b: Float64Array,
  steps: number,
): Axes | null {
  const mul = (v: Float64Array, out = new Float64Array(d)) => {
    for (let i = 0; i < d; i++) {
      let acc = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) acc += c[row + j] * v[j];
      out[i] = acc;
    }
    return out;
  };
  const dot = (x: Float64Array, y: Float64Array) => {
    let acc = 0;
    for (let j = 0; j < d; j++) acc += x[j] * y[j];
    return acc;
  };
  /** Gram–Schmidt in place; false when the two are (numerically) dependent. */
  const orthonormalize = (x: Float64Array, y: Float64Array): boolean => {
    const nx = Math.sqrt(dot(x, x));
    if (!(nx > 1e-150)) return false;
    for (let j = 0; j < d; j++) x[j] /= nx;
    const p = dot(x, y);
    for (let j = 0; j < d; j++) y[j] -= p * x[j];
    const ny = Math.sqrt(dot(y, y));
    if (!(ny > 1e-12 * nx)) return false;
    for (let j = 0; j < d; j++) y[j] /= ny;
    return true;
  };
  // A nudge along every axis: a warm plane that is invariant under c but not its top one (the
  // new layer's top directions orthogonal to the old) would otherwise look settled. Nudged, it
  // moves visibly and the direct solve takes over; the true top plane pulls the nudge back in.
  let v1 = Float64Array.from(a, (x, j) => x + 1e-6 * Math.cos(1 + 2.3 * j));
  let v2 = Float64Array.from(b, (x, j) => x + 1e-6 * Math.sin(2 + 1.7 * j));
  if (!orthonormalize(v1, v2)) return null;
  let w1 = new Float64Array(d);
  let w2 = new Float64Array(d);
  let settled = false;
  let lastMoved = Infinity;
  for (let it = 0; it < steps && !settled; it++) {
    const p1 = v1;
    const p2 = v2;
    v1 = mul(p1, w1);
    v2 = mul(p2, w2);
    w1 = p1;
    w2 = p2;
    if (!orthonormalize(v1, v2)) return null;
    const moved = 2 - (dot(v1, p1) ** 2 + dot(v1, p2) ** 2 + dot(v2, p1) ** 2 + dot(v2, p2) ** 2);
    settled = moved < 1e-14 && it > 0;
    // The movement shrinks geometrically, by about (λ3/λ2)² a step: give up as soon as the
    // steps left cannot bring it under the tolerance (a slow plane costs three steps, not all).
    if (!settled && it > 0) {
      const rate = moved / lastMoved;
      if (!(rate < 1) || Math.log(1e-14 / moved) / Math.log(rate) > steps - 1 - it) return null;
    }
    lastMoved = moved;
  }
  if (!settled) return null;
  const c1 = mul(v1);
  const c2 = mul(v2);
  const a11 = dot(v1, c1);
  const a12 = dot(v1, c2);
  const a22 = dot(v2, c2);
  const theta = 0.5 * Math.atan2(2 * a12, a11 - a22);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const x1 = new Float64Array(d);
  const x2 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    x1[j] = ct * v1[j] + st * v2[j];
    x2[j] = -st * v1[j] + ct * v2[j];
  }
  return [x1, x2];
}

/** Coordinates (x, y interleaved) of the rows of u on two axes. */
export function project(u: Float64Array, n: number, d: number, axes: Axes): Float64Array {
  const out = new Float64Array(2 * n);
  const [a, b] = axes;
  for (let i = 0; i < n; i++) {
    let x = 0;
    let y = 0;
    for (let j = 0; j < d; j++) {
      x += u[i * d + j] * a[j];
      y += u[i * d + j] * b[j];
    }
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/**
 * The orthogonal 2×2 matrix R (rotation or reflection, row-major [r00, r01, r10, r11]) that
 * minimizes ‖Q R − P‖_F for point sets Q and P (x, y interleaved, same n).
 */
export function procrustes2(q: Float64Array, p: Float64Array): Rotation2 {
  let m00 = 0;
  let m01 = 0;
  let m10 = 0;
  let m11 = 0;
  for (let i = 0; i < q.length; i += 2) {
    m00 += q[i] * p[i];
    m01 += q[i] * p[i + 1];
    m10 += q[i + 1] * p[i];
    m11 += q[i + 1] * p[i + 1];
  }
  // Maximize tr(Rᵀ M), M = QᵀP, over rotations [[c, −s], [s, c]] and reflections [[c, s], [s, −c]].
  const rotA = m00 + m11;
  const rotB = m10 - m01;
  const refA = m00 - m11;
  const refB = m10 + m01;
  if (Math.hypot(rotA, rotB) >= Math.hypot(refA, refB)) {
    const t = Math.atan2(rotB, rotA);
    return [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
  }
  const t = Math.atan2(refB, refA);
  return [Math.cos(t), Math.sin(t), Math.sin(t), -Math.cos(t)];
}

export function applyRight(q: Float64Array, r: Rotation2): Float64Array {
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i += 2) {
    out[i] = q[i] * r[0] + q[i + 1] * r[2];
    out[i + 1] = q[i] * r[1] + q[i + 1] * r[3];
  }
  return out;
}

export type ProjectionMode = 'pca-aligned' | 'fixed-basis';

export type Axes = [Float64Array, Float64Array];
/** An orthogonal 2×2 matrix, row-major [r00, r01, r10, r11]. */
export type Rotation2 = [number, number, number, number];

const IDENTITY: Rotation2 = [1, 0, 0, 1];

interface ChainLayer {
  width: number;
  /** The axes the layer's coordinates are taken on (before alignment); null: not data. */
  axes: Axes | null;
  /** Fixed-basis layers reuse this earlier layer's axes and its alignment. */
  basisOf: number | null;
  /** Set by align(): the alignment applied to the coordinates on `axes`. */
  rotation: Rotation2 | null;
}

/**
 * The per-layer steps of the projection of one run, in layer order. For layer ℓ:
 * 1. `axes(width, covariance)`: the axes to project rn(H_ℓ) on; the top two principal axes
 *    of the covariance (warm-started from the previous layer’s axes, or solved directly), or, in
 *    'fixed-basis' mode, the axes of the first layer of this width. null covariance: the layer is
 *    not data (non-finite, or no features): it gets no axes and no coordinates.
 * 2. `align(layer, q)`: q = rn(H_ℓ)·axes (x, y interleaved) turned into the drawn coordinates:
 *    Procrustes-aligned to the previous layer's coordinates ('pca-aligned', and a basis layer), or
 *    rotated as its basis layer was ('fixed-basis').
 * The picture depends only on the span of the two axes (the alignment absorbs any rotation or
 * reflection within it), so warm-starting from unaligned axes gives the same coordinates.
 */
export class ProjectionChain {
  private readonly layers: ChainLayer[] = [];
  private readonly firstOfWidth = new Map<number, number>();
  private prevCoords: Float64Array | null = null;
  private aligned = 0;

  constructor(readonly mode: ProjectionMode) {}

  /** Layers whose axes are known. */
  get planned(): number {
    return this.layers.length;
  }

  /** Layers whose coordinates are known. */
  get done(): number {
    return this.aligned;
  }

  /**
   * Step 1 for the next layer; returns the axes its rows are to be projected on, or null.
   * `solved`: the covariance's top two eigenvectors, when the caller has them already (the GPU
   * engine solves them off this thread); used where this layer needs axes of its own.
   */
  axes(width: number, covariance: Float64Array | null, solved?: Axes | null): Axes | null {
    const l = this.layers.length;
    const basisLayer = this.firstOfWidth.get(width) ?? l;
    if (!this.firstOfWidth.has(width)) this.firstOfWidth.set(width, l);
    if (!covariance) {
      this.layers.push({ width, axes: null, basisOf: null, rotation: null });
      return null;
    }
    const basis = this.layers[basisLayer];
    if (this.mode === 'fixed-basis' && basisLayer < l && basis?.axes) {
      this.layers.push({ width, axes: basis.axes, basisOf: basisLayer, rotation: null });
      return basis.axes;
    }
    const prev = this.layers[l - 1];
    const warm = prev?.axes && prev.width === width ? prev.axes : undefined;
    const axes = solved ?? topTwoAxes(covariance, width, warm);
    this.layers.push({ width, axes, basisOf: null, rotation: null });
    return axes;
  }

  /** Step 2 for layer `layer` (the next one to align): its drawn coordinates, or null when not data. */
  align(layer: number, q: Float32Array | Float64Array | null): Float64Array | null {
    if (layer !== this.aligned) throw new Error(`projection: layer ${layer} aligned out of order`);
    const info = this.layers[layer];
    if (!info) throw new Error(`projection: layer ${layer} aligned before its axes`);
    this.aligned++;
    if (!info.axes || !q) {
      this.prevCoords = null;
      return null;
    }
    const coords = Float64Array.from(q);
    let r: Rotation2;
    if (info.basisOf !== null) r = this.layers[info.basisOf]!.rotation ?? IDENTITY;
    else r = this.prevCoords ? procrustes2(coords, this.prevCoords) : IDENTITY;
    info.rotation = r;
    const out = applyRight(coords, r);
    this.prevCoords = out;
    return out;
  }

  /** A copy to continue from (an engine's incremental cache extends a run with it). */
  clone(): ProjectionChain {
    const c = new ProjectionChain(this.mode);
    this.layers.forEach((l) => c.layers.push({ ...l }));
    this.firstOfWidth.forEach((v, k) => c.firstOfWidth.set(k, v));
    c.prevCoords = this.prevCoords;
    c.aligned = this.aligned;
    return c;
  }
}

/** Coordinates of one layer in float64 from its features (the CPU engines and the page's own path). */
export function projectLayer(
  chain: ProjectionChain,
  features: Floats | undefined,
  n: number,
  width: number,
  nonFinite: number,
): Float64Array | null {
  const layer = chain.planned;
  if (!features || nonFinite > 0) {
    chain.axes(width, null);
    return chain.align(layer, null);
  }
  const u = rowNormalize(features, n, width);
  const axes = chain.axes(width, covariance(u, n, width))!;
  return chain.align(layer, project(u, n, width, axes));
}
