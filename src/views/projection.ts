// 2-D views of a layer for the embedding plot: the run's layers projected with the shared
// definition of src/math/projection.ts, lazily and cached, plus interpolation at fractional depth.
import { ProjectionChain, projectLayer, type Floats, type ProjectionMode } from '../math/projection';

export {
  applyRight,
  covariance,
  procrustes2,
  project,
  rowNormalize,
  topTwoAxes,
  type ProjectionMode,
} from '../math/projection';

export interface LayerInput {
  features?: Floats;
  width: number;
  nonFinite: number;
}

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
  private readonly chain: ProjectionChain;

  constructor(
    private readonly layers: readonly LayerInput[],
    private readonly n: number,
    mode: ProjectionMode,
  ) {
    this.chain = new ProjectionChain(mode);
  }

  get count(): number {
    return this.layers.length;
  }

  get(layer: number): Float64Array | null {
    if (layer < 0 || layer >= this.layers.length) return null;
    while (this.coords.length <= layer) {
      const info = this.layers[this.coords.length]!;
      this.coords.push(projectLayer(this.chain, info.features, this.n, info.width, info.nonFinite));
    }
    return this.coords[layer]!;
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
