// Inverted dropout with a precomputed mask (src/training/model.ts `dropoutMask`): y = x ∘ mask,
// and the backward is the same product, ∂x = ∂y ∘ mask. A null mask means eval mode (identity).

export function applyMask(x: Float64Array, mask: Float64Array | null): Float64Array {
  if (!mask) return x;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * mask[i];
  return out;
}
