// 2-D views of a layer for the embedding plot. Rows are row-normalized (so every point lies
// in the unit disc), the axes are the top two principal axes of those rows, and consecutive
// layers are aligned by an orthogonal 2×2 Procrustes fit (rotation or reflection) so that
// the picture moves continuously with depth instead of flipping or spinning.

type Floats = Float32Array | Float64Array;

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

/**
 * The top two eigenvectors of a symmetric d×d matrix (two columns, each of length d), by
 * orthogonal iteration with a Rayleigh–Ritz step. `warm` (two axes of the same width) speeds
 * convergence when the previous layer's axes are a good guess.
 */
export function topTwoAxes(
  c: Float64Array,
  d: number,
  warm?: [Float64Array, Float64Array],
): [Float64Array, Float64Array] {
  if (d === 1) return [Float64Array.of(1), Float64Array.of(0)];
  let v1 = new Float64Array(d);
  let v2 = new Float64Array(d);
  if (warm && warm[0].length === d) {
    v1.set(warm[0]);
    v2.set(warm[1]);
  }
  // A deterministic start with components along every axis (so no eigenvector is missed).
  for (let j = 0; j < d; j++) {
    v1[j] += 0.1 * Math.cos(1 + 2.3 * j);
    v2[j] += 0.1 * Math.sin(2 + 1.7 * j);
  }
  const mul = (v: Float64Array) => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let acc = 0;
      for (let b = 0; b < d; b++) acc += c[a * d + b] * v[b];
      out[a] = acc;
    }
    return out;
  };
  const orthonormalize = () => {
    let n1 = Math.hypot(...v1);
    if (n1 < 1e-300) {
      v1 = new Float64Array(d);
      v1[0] = 1;
      n1 = 1;
    }
    for (let j = 0; j < d; j++) v1[j] /= n1;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += v1[j] * v2[j];
    for (let j = 0; j < d; j++) v2[j] -= dot * v1[j];
    let n2 = Math.hypot(...v2);
    if (n2 < 1e-12) {
      // Degenerate: take any direction orthogonal to v1.
      v2 = new Float64Array(d);
      const k = Math.abs(v1[0]) < 0.9 ? 0 : 1;
      v2[k] = 1;
      const p = v1[k];
      for (let j = 0; j < d; j++) v2[j] -= p * v1[j];
      n2 = Math.hypot(...v2);
    }
    for (let j = 0; j < d; j++) v2[j] /= n2;
  };
  orthonormalize();
  let trace = 0;
  for (let a = 0; a < d; a++) trace += c[a * d + a];
  if (trace <= 0) return [v1, v2];
  for (let it = 0; it < 300; it++) {
    const p1 = v1.slice();
    v1 = mul(v1);
    v2 = mul(v2);
    orthonormalize();
    let change = 0;
    for (let j = 0; j < d; j++) change += (v1[j] - p1[j]) ** 2;
    if (change < 1e-14 && it > 3) break;
  }
  // Rayleigh–Ritz in span{v1, v2}: order the two axes by variance.
  const c1 = mul(v1);
  const c2 = mul(v2);
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  for (let j = 0; j < d; j++) {
    a11 += v1[j] * c1[j];
    a12 += v1[j] * c2[j];
    a22 += v2[j] * c2[j];
  }
  const theta = 0.5 * Math.atan2(2 * a12, a11 - a22);
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const w1 = new Float64Array(d);
  const w2 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    w1[j] = ct * v1[j] + st * v2[j];
    w2[j] = -st * v1[j] + ct * v2[j];
  }
  return [w1, w2];
}

/** Coordinates (x, y interleaved) of the rows of u on two axes. */
export function project(
  u: Float64Array,
  n: number,
  d: number,
  axes: [Float64Array, Float64Array],
): Float64Array {
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
export function procrustes2(q: Float64Array, p: Float64Array): [number, number, number, number] {
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

export function applyRight(q: Float64Array, r: [number, number, number, number]): Float64Array {
  const out = new Float64Array(q.length);
  for (let i = 0; i < q.length; i += 2) {
    out[i] = q[i] * r[0] + q[i + 1] * r[2];
    out[i + 1] = q[i] * r[1] + q[i + 1] * r[3];
  }
  return out;
}

export interface LayerInput {
  features?: Floats;
  width: number;
  nonFinite: number;
}

export type ProjectionMode = 'pca-aligned' | 'fixed-basis';

/** Per-layer coordinates, however they were computed (here, lazily, or in the projection worker). */
export interface ProjectionSource {
  readonly count: number;
  get(layer: number): Float64Array | null;
}

/**
 * Per-layer 2-D coordinates of one run, computed lazily in layer order (each layer is aligned
 * to the one before it) and cached. `get` returns null for a layer with non-finite values or
 * without features: such a layer is not data and is not drawn.
 */
export class LayerProjections implements ProjectionSource {
  private coords: (Float64Array | null)[] = [];
  private axes: ([Float64Array, Float64Array] | null)[] = [];
  private done = 0;

  constructor(
    private readonly layers: readonly LayerInput[],
    private readonly n: number,
    private readonly mode: ProjectionMode,
  ) {}

  get count(): number {
    return this.layers.length;
  }

  get(layer: number): Float64Array | null {
    if (layer < 0 || layer >= this.layers.length) return null;
    while (this.done <= layer) this.compute(this.done++);
    return this.coords[layer];
  }

  private compute(l: number): void {
    const info = this.layers[l];
    const n = this.n;
    const d = info.width;
    if (!info.features || info.nonFinite > 0) {
      this.coords[l] = null;
      this.axes[l] = null;
      return;
    }
    const u = rowNormalize(info.features, n, d);
    let axes: [Float64Array, Float64Array];
    const basisLayer = this.layers.findIndex((x) => x.width === d);
    if (this.mode === 'fixed-basis' && basisLayer >= 0 && basisLayer < l && this.axes[basisLayer]) {
      // The basis of the first layer with this width (the input's, when widths agree).
      axes = this.axes[basisLayer]!;
      this.axes[l] = axes;
      this.coords[l] = project(u, n, d, axes);
      return;
    }
    const prevAxes = l > 0 ? this.axes[l - 1] : null;
    axes = topTwoAxes(covariance(u, n, d), d, prevAxes && prevAxes[0].length === d ? prevAxes : undefined);
    let q = project(u, n, d, axes);
    const prev = l > 0 ? this.coords[l - 1] : null;
    if (prev) {
      const r = procrustes2(q, prev);
      q = applyRight(q, r);
      // Keep the axes consistent with the aligned picture (the next layer is aligned to it).
      const [a, b] = axes;
      const a2 = new Float64Array(d);
      const b2 = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        a2[j] = a[j] * r[0] + b[j] * r[2];
        b2[j] = a[j] * r[1] + b[j] * r[3];
      }
      axes = [a2, b2];
    }
    this.axes[l] = axes;
    this.coords[l] = q;
  }
}

/** Linear interpolation between two layers' coordinates (t in 0..1). */
export function interpolate(a: Float64Array, b: Float64Array, t: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
  return out;
}

/** Coordinates at a fractional depth: ⌊depth⌋ and ⌈depth⌉ mixed linearly; null when either is not data. */
export function coordsAtDepth(p: ProjectionSource, depth: number): Float64Array | null {
  const lo = Math.max(0, Math.min(p.count - 1, Math.floor(depth)));
  const hi = Math.min(p.count - 1, lo + 1);
  const t = depth - lo;
  const a = p.get(lo);
  if (!a) return null;
  if (t <= 1e-9 || hi === lo) return a;
  const b = p.get(hi);
  if (!b) return t < 0.5 ? a : null;
  return interpolate(a, b, t);
}
