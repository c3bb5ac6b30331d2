// Which singular-value indices each pixel row of the depth × index heat map shows. A real data
// set loaded with its raw features has as many singular values at layer 0 as it has features
// (Cora: 1,433), while the layers after it have at most the hidden width: on a linear index
// axis those layers fill a thin strip at the top. So the rule is:
//  - one row per index while the indices fit (at most LINEAR_ROW_LIMIT, at least 1 px each);
//  - otherwise the index axis is logarithmic, one row per pixel of the block: index i owns the
//    band [log i, log(i + 1)) / log(count + 1) of the height, and a pixel row that covers several
//    indices shows the median of their σᵢ/σ₁ (the middle one: the spectrum is sorted).

/** Up to this many singular values get one row each (when the block is tall enough). */
export const LINEAR_ROW_LIMIT = 64;

export interface RowPlan {
  scale: 'linear' | 'log';
  /** Number of singular-value indices (the most of any layer). */
  count: number;
  /** Rows of the image. */
  drawn: number;
  /** first[r] … last[r]: the 0-based indices drawn row r covers (inclusive). */
  first: Int32Array;
  last: Int32Array;
}

export function rowPlan(count: number, pixels: number): RowPlan {
  const n = Math.max(1, Math.floor(count));
  if (n <= LINEAR_ROW_LIMIT && n <= pixels) {
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    return { scale: 'linear', count: n, drawn: n, first: idx, last: idx.slice() };
  }
  const drawn = Math.max(8, Math.floor(pixels));
  const first = new Int32Array(drawn);
  const last = new Int32Array(drawn);
  const top = Math.log(n + 1);
  for (let r = 0; r < drawn; r++) {
    // 1-based index at the row's top and bottom edge on the log axis.
    const a = Math.exp((r / drawn) * top);
    const b = Math.exp(((r + 1) / drawn) * top);
    const i0 = Math.min(n, Math.floor(a + 1e-9));
    const i1 = Math.min(n, Math.max(i0, Math.ceil(b - 1e-9) - 1));
    first[r] = i0 - 1;
    last[r] = i1 - 1;
  }
  return { scale: 'log', count: n, drawn, first, last };
}

/** Where (0 = top, 1 = bottom of the block) the band of the 1-based index i begins. */
export function indexPosition(plan: RowPlan, i: number): number {
  if (plan.scale === 'linear') return (i - 1) / plan.count;
  return Math.log(i) / Math.log(plan.count + 1);
}

/**
 * The value of drawn row r from one layer's ratios σᵢ/σ₁ (length = that layer's singular-value
 * count): the median of the covered indices that exist at this layer, NaN when none does.
 */
export function rowValue(plan: RowPlan, ratios: ArrayLike<number>, available: number, r: number): number {
  const i0 = plan.first[r];
  const i1 = Math.min(plan.last[r], available - 1);
  if (i0 > i1) return NaN;
  if (i0 === i1) return ratios[i0];
  const vals: number[] = [];
  for (let i = i0; i <= i1; i++) vals.push(ratios[i]);
  vals.sort((x, y) => (Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y));
  const m = vals.length >> 1;
  return vals.length % 2 ? vals[m] : (vals[m - 1] + vals[m]) / 2;
}

/** Powers of ten (and the last index) to label a log index axis with; 1-based. */
export function logIndexTicks(count: number): number[] {
  const out: number[] = [];
  for (let v = 1; v <= count; v *= 10) out.push(v);
  return out;
}
