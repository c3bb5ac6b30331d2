// ContraNorm's uniformity loss as a per-layer metric (Guo, Wang, Du & Wang, ICLR 2023, §4: the
// ContraNorm update Z − s·S Z is one gradient step on it). With the row-normalized features
// ẑᵢ = rn(H)ᵢ and ContraNorm's temperature τ:
//
//   L_uniform(H) = (1/N) Σᵢ log( (1/N) Σⱼ exp(ẑᵢ·ẑⱼ / τ) ),
//
// j = i included, as in the code form's softmax S. Its gradient in ẑᵢ is (1/τ)·((S + Sᵀ)Ẑ)ᵢ/N,
// S = softmax(ẐẐᵀ/τ), so Ẑ − s·S Ẑ steps down it. It is 1/τ when every row points the same way
// (complete collapse) and lower the more evenly the directions spread.
//
// It costs O(N²·d) per layer. Above SAMPLE_ROWS rows it is estimated from SAMPLE_ROWS rows taken
// at an even stride, the same rows at every layer (the page says how many).

export const SAMPLE_ROWS = 512;

/** The rows used for n rows: all, or SAMPLE_ROWS at an even stride. */
export function uniformityRows(n: number): number[] {
  const m = Math.min(n, SAMPLE_ROWS);
  return Array.from({ length: m }, (_, k) => Math.floor((k * n) / m));
}

export function uniformityLoss(h: ArrayLike<number>, n: number, width: number, tau: number): number {
  const rows = uniformityRows(n);
  const m = rows.length;
  if (m === 0) return NaN;
  const z = new Float64Array(m * width);
  for (let k = 0; k < m; k++) {
    const o = rows[k] * width;
    let s = 0;
    for (let t = 0; t < width; t++) s += h[o + t] * h[o + t];
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let t = 0; t < width; t++) z[k * width + t] = h[o + t] * inv;
  }
  let total = 0;
  const e = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // log-sum-exp with the row's largest score subtracted: exact for any τ.
    let max = -Infinity;
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let t = 0; t < width; t++) dot += z[i * width + t] * z[j * width + t];
      e[j] = dot / tau;
      if (e[j] > max) max = e[j];
    }
    let sum = 0;
    for (let j = 0; j < m; j++) sum += Math.exp(e[j] - max);
    total += max + Math.log(sum / m);
  }
  return total / m;
}
