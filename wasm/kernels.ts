// The fast CPU engine's float32 kernels, in AssemblyScript compiled to WebAssembly with 128-bit
// SIMD (wasm/README.md says why AssemblyScript). Only the work that grows faster than N·d lives
// here: dense products, the sparse Â·H and the streaming softmax of attention and ContraNorm. The
// TypeScript side (src/engine/fast/kernels.ts) lays the operands out in this module's memory:
//
//   - every matrix is row-major float32, its rows padded (with zeros) to the stride the kernel
//     names, so that the inner loops load whole v128s;
//   - pointers are byte offsets into the exported memory; sizes are element counts.
//
// Register blocking: a block of 4 rows × 8 columns (two v128 per row, eight accumulators) is
// updated per step of the shared dimension, with the row operands broadcast from scalars. Eight
// accumulators, two column loads and four broadcasts fit the 16 vector registers of x86-64 SSE
// and of AArch64 NEON, so V8 keeps them all in registers.

// Two builds of this file (wasm/plugin.ts): plain SIMD, and with relaxed SIMD, whose fused
// multiply-add halves the arithmetic instructions of every inner loop below (x86-64 FMA3, AArch64
// FMLA); the TypeScript side takes the relaxed build wherever the engine validates it. Whether
// the product is rounded once (fused) or twice is the engine's choice: both are within the
// float32 tolerances the kernels are tested against.

/** a·b + c on four float32 lanes. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Start of the free memory after the module's own static data. */
export function heapBase(): usize {
  return __heap_base;
}

// ---------------------------------------------------------------------------------------------
// Dense product

/**
 * out (n × mp) = x (n × k, row stride k) · w (k × mp); mp is a multiple of 8 (w's columns padded
 * with zeros). Rows are taken four at a time, then one at a time for the rest.
 */
export function matmul(x: usize, n: i32, k: i32, w: usize, mp: i32, out: usize): void {
  const wRow = (<usize>mp) << 2;
  const xRow = (<usize>k) << 2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = x + <usize>i * xRow;
    const x1 = x0 + xRow;
    const x2 = x1 + xRow;
    const x3 = x2 + xRow;
    const o0 = out + <usize>i * wRow;
    for (let c = 0; c < mp; c += 8) {
      let a00 = f32x4.splat(0),
        a01 = f32x4.splat(0),
        a10 = f32x4.splat(0),
        a11 = f32x4.splat(0),
        a20 = f32x4.splat(0),
        a21 = f32x4.splat(0),
        a30 = f32x4.splat(0),
        a31 = f32x4.splat(0);
      let wp = w + ((<usize>c) << 2);
      for (let t = 0; t < k; t++) {
        const w0 = v128.load(wp);
        const w1 = v128.load(wp, 16);
        const off = (<usize>t) << 2;
        const s0 = f32x4.splat(load<f32>(x0 + off));
        const s1 = f32x4.splat(load<f32>(x1 + off));
        const s2 = f32x4.splat(load<f32>(x2 + off));
        const s3 = f32x4.splat(load<f32>(x3 + off));
        a00 = madd(s0, w0, a00);
        a01 = madd(s0, w1, a01);
        a10 = madd(s1, w0, a10);
        a11 = madd(s1, w1, a11);
        a20 = madd(s2, w0, a20);
        a21 = madd(s2, w1, a21);
        a30 = madd(s3, w0, a30);
        a31 = madd(s3, w1, a31);
        wp += wRow;
      }
      const o = o0 + ((<usize>c) << 2);
      v128.store(o, a00);
      v128.store(o, a01, 16);
      v128.store(o + wRow, a10);
      v128.store(o + wRow, a11, 16);
      v128.store(o + 2 * wRow, a20);
      v128.store(o + 2 * wRow, a21, 16);
      v128.store(o + 3 * wRow, a30);
      v128.store(o + 3 * wRow, a31, 16);
    }
  }
  for (; i < n; i++) {
    const x0 = x + <usize>i * xRow;
    const o0 = out + <usize>i * wRow;
    for (let c = 0; c < mp; c += 8) {
      let a0 = f32x4.splat(0),
        a1 = f32x4.splat(0);
      let wp = w + ((<usize>c) << 2);
      for (let t = 0; t < k; t++) {
        const s = f32x4.splat(load<f32>(x0 + ((<usize>t) << 2)));
        a0 = madd(s, v128.load(wp), a0);
        a1 = madd(s, v128.load(wp, 16), a1);
        wp += wRow;
      }
      v128.store(o0 + ((<usize>c) << 2), a0);
      v128.store(o0 + ((<usize>c) << 2), a1, 16);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sparse propagation

/**
 * out_i = self_i · x_i + Σ_k coef_k · x_{col_k} over row i of a CSR (rowPtr n+1 u32, col u32,
 * coef f32), for rows [r0, r1); x and out have row stride dp (a multiple of 4).
 */
export function propagate(
  rowPtr: usize,
  col: usize,
  coef: usize,
  self: usize,
  x: usize,
  dp: i32,
  r0: i32,
  r1: i32,
  out: usize,
): void {
  const row = (<usize>dp) << 2;
  for (let i = r0; i < r1; i++) {
    const o = out + <usize>i * row;
    const xi = x + <usize>i * row;
    const si = f32x4.splat(load<f32>(self + ((<usize>i) << 2)));
    for (let c: usize = 0; c < row; c += 16) v128.store(o + c, f32x4.mul(si, v128.load(xi + c)));
    const k1 = load<u32>(rowPtr + ((<usize>(i + 1)) << 2));
    for (let k = load<u32>(rowPtr + ((<usize>i) << 2)); k < k1; k++) {
      const j = load<u32>(col + ((<usize>k) << 2));
      const a = f32x4.splat(load<f32>(coef + ((<usize>k) << 2)));
      const xj = x + <usize>j * row;
      for (let c: usize = 0; c < row; c += 16)
        v128.store(o + c, madd(a, v128.load(xj + c), v128.load(o + c)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// exp on four lanes

// exp(x) = 2^n · e^r, n = round(x·log₂e), r = x − n·ln2 (ln2 split in two for exactness),
// e^r by its degree-6 Taylor polynomial on |r| ≤ ln2/2 (relative error below 2e-7).
// Lanes below −87 (including −∞, the mask) give exactly 0; NaN stays NaN.
// @ts-ignore: decorator
@inline
function exp4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-87.0));
  const xc = f32x4.min(x, f32x4.splat(88.72)); // ln(largest float32)
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.4426950408889634)));
  let r = f32x4.sub(xc, f32x4.mul(n, f32x4.splat(0.693145751953125)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^n through the exponent bits; n ∈ [−126, 127] here (x ≥ −87 in the lanes that are kept),
  // split in two factors so that n = 128 (x near 88.7) does not overflow the bit trick.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const h = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(f32x4.mul(p, s1), s2), under);
}

// exp for the softmax, whose arguments s − m are ≤ 0 up to rounding: the same reduction and
// polynomial as exp4 in fused multiply-adds, and 2^n from one exponent field, which holds for
// n ∈ [−126, 127], i.e. x ∈ [−87.3, 88]; there is no clamp above (the softmax never gets there).
// Lanes below −87 (including −∞, the mask) give exactly 0; NaN stays NaN.
// @ts-ignore: decorator
@inline
function expSoftmax4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  let r = madd(n, f32x4.splat(-0.693145751953125), x);
  r = madd(n, f32x4.splat(-1.428606765330187e-6), r);
  let p = madd(f32x4.splat(1.0 / 720.0), r, f32x4.splat(1.0 / 120.0));
  p = madd(p, r, f32x4.splat(1.0 / 24.0));
  p = madd(p, r, f32x4.splat(1.0 / 6.0));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, scale), under);
}

/** expSoftmax4 over len floats (len a multiple of 4), in place; for its tests. */
export function expSoftmaxInPlace(x: usize, len: i32): void {
  for (let i: usize = 0; i < (<usize>len) << 2; i += 16) v128.store(x + i, expSoftmax4(v128.load(x + i)));
}

/** Vector exp over len floats (len a multiple of 4), in place; for the tests of exp4. */
export function expInPlace(x: usize, len: i32): void {
  for (let i: usize = 0; i < (<usize>len) << 2; i += 16) v128.store(x + i, exp4(v128.load(x + i)));
}

// ---------------------------------------------------------------------------------------------
// Streaming softmax: O = softmax(scale · Q Kᵀ) V, one row block at a time, never N×N

/** Keys per tile: the scores of 4 rows × TILE keys live in `scratch` (4·TILE floats). */
const TILE: i32 = 64;

// Scores of the 4 query rows at q (row stride dkp) against keys [j0, j0 + jt) of kt (dk × np,
// row stride np), times scale, into s (4 rows × TILE).
// @ts-ignore: decorator
@inline
function scoreTile(q: usize, dkp: i32, dk: i32, kt: usize, np: i32, j0: i32, jt: i32, scale: f32, s: usize): void {
  const qRow = (<usize>dkp) << 2;
  const ktRow = (<usize>np) << 2;
  const sRow = (<usize>TILE) << 2;
  const sc = f32x4.splat(scale);
  for (let jb = 0; jb < jt; jb += 8) {
    let a00 = f32x4.splat(0),
      a01 = f32x4.splat(0),
      a10 = f32x4.splat(0),
      a11 = f32x4.splat(0),
      a20 = f32x4.splat(0),
      a21 = f32x4.splat(0),
      a30 = f32x4.splat(0),
      a31 = f32x4.splat(0);
    let kp = kt + ((<usize>(j0 + jb)) << 2);
    for (let t = 0; t < dk; t++) {
      const k0 = v128.load(kp);
      const k1 = v128.load(kp, 16);
      const off = (<usize>t) << 2;
      const s0 = f32x4.splat(load<f32>(q + off));
      const s1 = f32x4.splat(load<f32>(q + qRow + off));
      const s2 = f32x4.splat(load<f32>(q + 2 * qRow + off));
      const s3 = f32x4.splat(load<f32>(q + 3 * qRow + off));
      a00 = madd(s0, k0, a00);
      a01 = madd(s0, k1, a01);
      a10 = madd(s1, k0, a10);
      a11 = madd(s1, k1, a11);
      a20 = madd(s2, k0, a20);
      a21 = madd(s2, k1, a21);
      a30 = madd(s3, k0, a30);
      a31 = madd(s3, k1, a31);
      kp += ktRow;
    }
    const o = s + ((<usize>jb) << 2);
    v128.store(o, f32x4.mul(a00, sc));
    v128.store(o, f32x4.mul(a01, sc), 16);
    v128.store(o + sRow, f32x4.mul(a10, sc));
    v128.store(o + sRow, f32x4.mul(a11, sc), 16);
    v128.store(o + 2 * sRow, f32x4.mul(a20, sc));
    v128.store(o + 2 * sRow, f32x4.mul(a21, sc), 16);
    v128.store(o + 3 * sRow, f32x4.mul(a30, sc));
    v128.store(o + 3 * sRow, f32x4.mul(a31, sc), 16);
  }
}

// Set to −∞ the scores of keys that row `i` (global index) must not see within [j0, j0 + jt):
// keys ≥ n (padding), itself when maskSelf, and the columns of its row in the exclusion CSR
// (sorted; ex[r] holds the row's read position, advanced monotonically across tiles).
// @ts-ignore: decorator
@inline
function maskTile(
  srow: usize,
  i: i32,
  n: i32,
  j0: i32,
  jt: i32,
  maskSelf: bool,
  exCol: usize,
  exPos: usize,
  exEnd: u32,
): void {
  const ninf: f32 = -Infinity;
  for (let j = max(n, j0); j < j0 + jt; j++) store<f32>(srow + ((<usize>(j - j0)) << 2), ninf);
  if (maskSelf && i >= j0 && i < j0 + jt) store<f32>(srow + ((<usize>(i - j0)) << 2), ninf);
  if (exCol != 0) {
    let p = load<u32>(exPos);
    while (p < exEnd) {
      const j = <i32>load<u32>(exCol + ((<usize>p) << 2));
      if (j >= j0 + jt) break;
      if (j >= j0) store<f32>(srow + ((<usize>(j - j0)) << 2), ninf);
      p++;
    }
    store<u32>(exPos, p);
  }
}

// Horizontal max and sum of a v128.
// @ts-ignore: decorator
@inline
function hmax(v: v128): f32 {
  const m = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
}
// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

// acc_r += Σ_j p_rj · V_j for the 4 rows r of acc (row stride vRow) and the tile's keys
// [j0, j0 + jt) (p in s, 4 rows × TILE), 8 columns × 4 rows in registers per pass over the keys.
// @ts-ignore: decorator
@inline
function pvTile(s: usize, v: usize, vRow: usize, dvp: i32, j0: i32, jt: i32, acc: usize): void {
  const sRow = (<usize>TILE) << 2;
  for (let c = 0; c < dvp; c += 8) {
    const cOff = (<usize>c) << 2;
    const ar = acc + cOff;
    let a00 = v128.load(ar),
      a01 = v128.load(ar, 16),
      a10 = v128.load(ar + vRow),
      a11 = v128.load(ar + vRow, 16),
      a20 = v128.load(ar + 2 * vRow),
      a21 = v128.load(ar + 2 * vRow, 16),
      a30 = v128.load(ar + 3 * vRow),
      a31 = v128.load(ar + 3 * vRow, 16);
    let vp = v + <usize>j0 * vRow + cOff;
    for (let j = 0; j < jt; j++) {
      const v0 = v128.load(vp);
      const v1 = v128.load(vp, 16);
      const off = (<usize>j) << 2;
      const p0 = f32x4.splat(load<f32>(s + off));
      const p1 = f32x4.splat(load<f32>(s + sRow + off));
      const p2 = f32x4.splat(load<f32>(s + 2 * sRow + off));
      const p3 = f32x4.splat(load<f32>(s + 3 * sRow + off));
      a00 = madd(p0, v0, a00);
      a01 = madd(p0, v1, a01);
      a10 = madd(p1, v0, a10);
      a11 = madd(p1, v1, a11);
      a20 = madd(p2, v0, a20);
      a21 = madd(p2, v1, a21);
      a30 = madd(p3, v0, a30);
      a31 = madd(p3, v1, a31);
      vp += vRow;
    }
    v128.store(ar, a00);
    v128.store(ar, a01, 16);
    v128.store(ar + vRow, a10);
    v128.store(ar + vRow, a11, 16);
    v128.store(ar + 2 * vRow, a20);
    v128.store(ar + 2 * vRow, a21, 16);
    v128.store(ar + 3 * vRow, a30);
    v128.store(ar + 3 * vRow, a31, 16);
  }
}

/**
 * Rows [r0, r1) of O = softmax(scale·Q Kᵀ) V, streamed over key tiles with the online softmax
 * (FlashAttention-2's order: scores, running max, rescale, P·V, all per 4-row block).
 *
 *   q      (r1 − r0 rounded up to 4) × dkp, the block's own rows (padding rows are computed, then dropped)
 *   kt     dk × np, Kᵀ with np a multiple of 8 (keys ≥ n are masked)
 *   v      np × dvp, dvp a multiple of 8
 *   o      (r1 − r0) × dvp, the output rows
 *   stats  3 floats per output row: the row max m, Σ exp(s − m), Σ exp(2(s − m)) (for ‖P_i‖)
 *   fixedMax  when finite, m is this constant for every row (ContraNorm's unit rows bound the
 *          score by 1/τ): no running max and no rescaling; the caller uses it only where the
 *          smallest score cannot underflow against it
 *   maskSelf, exRowPtr/exCol (CSR of excluded keys per row, 0 for none): ContraNorm's `mask`
 *   scratch  4·TILE + 4·dvp + 20 floats
 *   rowScores, c  (attention similarity; 0 for none) rowScores holds 4·np floats, the block's
 *          exp(s − m_t) under each tile's running max m_t, then those 4·⌈np/TILE⌉ maxima; once a
 *          row's max m and sums are final, c_j += P_ij/‖P_i‖ = exp(s − m_t)·exp(m_t − m)/(Σ‖P_i‖)
 *          costs one multiply-add per key (no second pass over the scores' dot products, nor a
 *          second exp); c has np floats
 *
 * A row whose every key is masked gets O = 0 and Σ = 0. A NaN score makes its row NaN.
 */
export function softmaxRows(
  q: usize,
  dkp: i32,
  dk: i32,
  kt: usize,
  n: i32,
  np: i32,
  v: usize,
  dvp: i32,
  r0: i32,
  r1: i32,
  scale: f32,
  fixedMax: f32,
  maskSelf: bool,
  exRowPtr: usize,
  exCol: usize,
  o: usize,
  stats: usize,
  scratch: usize,
  rowScores: usize,
  c: usize,
): void {
  const fixed = isFinite(fixedMax);
  const npBytes = (<usize>np) << 2;
  const sRow = (<usize>TILE) << 2;
  const vRow = (<usize>dvp) << 2;
  const qRow = (<usize>dkp) << 2;
  const s = scratch;
  const acc = s + 4 * sRow;
  // Per-row state of the 4-row block, in memory (no allocation in kernels): the read position in
  // the exclusion CSR and its end (u32), the running max m, Σ exp(s − m) and Σ exp(2(s − m)).
  const exPos = acc + 4 * vRow;
  const exEnd = exPos + 16;
  const ms = exEnd + 16;
  const ls = ms + 16;
  const qs = ls + 16;
  const ninf: f32 = -Infinity;
  const tiles = (np + TILE - 1) / TILE;
  const tileMax = rowScores + 4 * npBytes;
  for (let b = r0; b < r1; b += 4) {
    const rows = min(4, r1 - b);
    const qb = q + <usize>(b - r0) * qRow;
    memory.fill(acc, 0, 4 * vRow);
    for (let r = 0; r < 4; r++) {
      const ro = (<usize>r) << 2;
      store<f32>(ms + ro, fixed ? fixedMax : ninf);
      store<f32>(ls + ro, 0);
      store<f32>(qs + ro, 0);
      if (exRowPtr != 0) {
        const i = min(b + r, n - 1);
        store<u32>(exPos + ro, load<u32>(exRowPtr + ((<usize>i) << 2)));
        store<u32>(exEnd + ro, b + r < n ? load<u32>(exRowPtr + ((<usize>(i + 1)) << 2)) : 0);
      }
    }
    for (let j0 = 0; j0 < np; j0 += TILE) {
      const jt = min(TILE, np - j0);
      scoreTile(qb, dkp, dk, kt, np, j0, jt, scale, s);
      for (let r = 0; r < 4; r++) {
        const ro = (<usize>r) << 2;
        const sr = s + <usize>r * sRow;
        maskTile(sr, b + r, n, j0, jt, maskSelf, exCol, exPos + ro, load<u32>(exEnd + ro));
        // Running max, and the rescale of what was accumulated under the old max.
        if (!fixed) {
          let mv = v128.load(sr);
          for (let j = 4; j < jt; j += 4) mv = f32x4.max(mv, v128.load(sr + ((<usize>j) << 2)));
          const old = load<f32>(ms + ro);
          const mNew = max(old, hmax(mv));
          if (mNew > old && old > ninf) {
            const f = Mathf.exp(old - mNew);
            const fv = f32x4.splat(f);
            const ar = acc + <usize>r * vRow;
            for (let c: usize = 0; c < vRow; c += 16) v128.store(ar + c, f32x4.mul(v128.load(ar + c), fv));
            store<f32>(ls + ro, load<f32>(ls + ro) * f);
            store<f32>(qs + ro, load<f32>(qs + ro) * f * f);
          }
          store<f32>(ms + ro, mNew);
        }
        // p = exp(s − m); a row still at m = −∞ has seen only masked keys, its p are 0.
        const m = load<f32>(ms + ro);
        const mv = f32x4.splat(m > ninf ? m : 0);
        let lv = f32x4.splat(0),
          qv = f32x4.splat(0);
        for (let j = 0; j < jt; j += 4) {
          const off = (<usize>j) << 2;
          const p = expSoftmax4(f32x4.sub(v128.load(sr + off), mv));
          v128.store(sr + off, p);
          lv = f32x4.add(lv, p);
          qv = madd(p, p, qv);
        }
        store<f32>(ls + ro, load<f32>(ls + ro) + hsum(lv));
        store<f32>(qs + ro, load<f32>(qs + ro) + hsum(qv));
        if (rowScores != 0) {
          memory.copy(rowScores + <usize>r * npBytes + ((<usize>j0) << 2), sr, (<usize>jt) << 2);
          store<f32>(tileMax + ((<usize>(r * tiles + j0 / TILE)) << 2), m > ninf ? m : 0);
        }
      }
      pvTile(s, v, vRow, dvp, j0, jt, acc);
    }
    // O = acc / Σ; rows that saw no key stay 0.
    for (let r = 0; r < rows; r++) {
      const ro = (<usize>r) << 2;
      const l = load<f32>(ls + ro);
      const inv = f32x4.splat(l > 0 ? 1 / l : 0);
      const ar = acc + <usize>r * vRow;
      const orow = o + <usize>(b - r0 + r) * vRow;
      for (let c: usize = 0; c < vRow; c += 16) v128.store(orow + c, f32x4.mul(v128.load(ar + c), inv));
      const st = stats + <usize>(b - r0 + r) * 12;
      store<f32>(st, load<f32>(ms + ro));
      store<f32>(st, l, 4);
      store<f32>(st, load<f32>(qs + ro), 8);
      // c_j += P_ij/‖P_i‖ = exp(s_ij − m_i)/(Σ_i ‖P_i‖), ‖P_i‖ = sqrt(Σ exp(2(s − m)))/Σ_i.
      if (c != 0 && l > 0) {
        const norm = Mathf.sqrt(load<f32>(qs + ro)) / l;
        const f: f32 = <f32>1 / (l * max(norm, <f32>1e-12));
        const m = load<f32>(ms + ro);
        const sr = rowScores + <usize>r * npBytes;
        // keys ≥ n were masked to −∞ above: their p are 0
        for (let t = 0; t < tiles; t++) {
          const ft = f32x4.splat(f * Mathf.exp(load<f32>(tileMax + ((<usize>(r * tiles + t)) << 2)) - m));
          const jEnd = (<usize>min(np, (t + 1) * TILE)) << 2;
          for (let j: usize = (<usize>(t * TILE)) << 2; j < jEnd; j += 16)
            v128.store(c + j, madd(v128.load(sr + j), ft, v128.load(c + j)));
        }
      }
    }
  }
}

/**
 * Gram matrix in float64 of rows of x (float32, row stride dp) minus `shift` (float64, d; 0 for
 * none): g (d × gs, float64, gs = d rounded up to 2) += Σ_i (x_i − shift)(x_i − shift)ᵀ, lower
 * triangle and diagonal only (the caller mirrors it). Four rows at a time share each load and
 * store of g. `rows` is scratch for 4 rows of gs float64.
 */
export function gram64(x: usize, n: i32, d: i32, dp: i32, shift: usize, g: usize, rows: usize): void {
  const gs = (d + 1) & ~1;
  const gRow = (<usize>gs) << 3;
  const xRow = (<usize>dp) << 2;
  memory.fill(rows, 0, 4 * gRow);
  for (let i = 0; i < n; i += 4) {
    const m = min(4, n - i);
    for (let r = 0; r < 4; r++) {
      const dst = rows + <usize>r * gRow;
      if (r >= m) {
        memory.fill(dst, 0, gRow);
        continue;
      }
      const src = x + <usize>(i + r) * xRow;
      for (let t = 0; t < d; t++) {
        const sh: f64 = shift != 0 ? load<f64>(shift + ((<usize>t) << 3)) : 0;
        store<f64>(dst + ((<usize>t) << 3), <f64>load<f32>(src + ((<usize>t) << 2)) - sh);
      }
    }
    for (let a = 0; a < d; a++) {
      const ao = (<usize>a) << 3;
      const r0 = f64x2.splat(load<f64>(rows + ao));
      const r1 = f64x2.splat(load<f64>(rows + gRow + ao));
      const r2 = f64x2.splat(load<f64>(rows + 2 * gRow + ao));
      const r3 = f64x2.splat(load<f64>(rows + 3 * gRow + ao));
      const ga = g + <usize>a * gRow;
      const bEnd = (<usize>((a + 2) & ~1)) << 3; // columns 0..a, rounded up to a pair
      for (let b: usize = 0; b < bEnd; b += 16) {
        let acc = v128.load(ga + b);
        acc = f64x2.add(acc, f64x2.mul(r0, v128.load(rows + b)));
        acc = f64x2.add(acc, f64x2.mul(r1, v128.load(rows + gRow + b)));
        acc = f64x2.add(acc, f64x2.mul(r2, v128.load(rows + 2 * gRow + b)));
        acc = f64x2.add(acc, f64x2.mul(r3, v128.load(rows + 3 * gRow + b)));
        v128.store(ga + b, acc);
      }
    }
  }
}

/**
 * The symmetric case of softmaxRows: ContraNorm's S·Z with unmasked rows and the fixed maximum m
 * (u_i·u_j = u_j·u_i, so p_ij = exp(scale·u_i·u_j − m) = p_ji). Each pair of rows is scored once:
 * the 4-row block at b scores the keys j ≥ b only, adds p_ij·z_j to its own rows (the row side)
 * and p_ij·z_i to the rows j ≥ b + 4 (the column side); pairs with j < b were done by the block
 * that holds j. So a row's sums come from every block at or before it: the caller gives each
 * thread a range of blocks, and adds the threads' partial sums before dividing.
 *
 *   u      np × dk, the unit rows (rows ≥ n zero); ut: dk × np, its transpose; np a multiple of 8
 *   z      np × dvp, dvp a multiple of 8 (rows ≥ n zero)
 *   r0, r1 the blocks' rows, r0 a multiple of 4
 *   acc    np × dvp, += Σ_j p_ij z_j (not divided); l: np floats, += Σ_j p_ij (both zeroed by the caller)
 *   scratch  4·TILE floats
 *
 * A NaN in u makes its row's and column's scores NaN: every row's sums then hold a NaN, as in
 * softmaxRows (where the NaN key poisons every row).
 */
export function softmaxSymmetric(
  u: usize,
  ut: usize,
  dk: i32,
  n: i32,
  np: i32,
  z: usize,
  dvp: i32,
  r0: i32,
  r1: i32,
  scale: f32,
  m: f32,
  acc: usize,
  l: usize,
  scratch: usize,
): void {
  const sRow = (<usize>TILE) << 2;
  const vRow = (<usize>dvp) << 2;
  const qRow = (<usize>dk) << 2;
  const s = scratch;
  const ninf: f32 = -Infinity;
  const mv = f32x4.splat(m);
  for (let b = r0; b < r1; b += 4) {
    const start = b & ~7; // scoreTile takes keys 8 at a time
    const qb = u + <usize>b * qRow;
    const accB = acc + <usize>b * vRow;
    for (let j0 = start; j0 < np; j0 += TILE) {
      const jt = min(TILE, np - j0);
      scoreTile(qb, dk, dk, ut, np, j0, jt, scale, s);
      for (let r = 0; r < 4; r++) {
        const sr = s + <usize>r * sRow;
        // Keys before the block (done by an earlier block), keys ≥ n, and padding rows: p = 0.
        if (b + r >= n) memory.fill(sr, 0, sRow);
        else {
          for (let j = j0; j < b; j++) store<f32>(sr + ((<usize>(j - j0)) << 2), ninf);
          for (let j = max(n, j0); j < j0 + jt; j++) store<f32>(sr + ((<usize>(j - j0)) << 2), ninf);
          let lv = f32x4.splat(0);
          for (let j = 0; j < jt; j += 4) {
            const off = (<usize>j) << 2;
            const p = expSoftmax4(f32x4.sub(v128.load(sr + off), mv));
            v128.store(sr + off, p);
            lv = f32x4.add(lv, p);
          }
          const lr = l + ((<usize>(b + r)) << 2);
          store<f32>(lr, load<f32>(lr) + hsum(lv));
        }
      }
      pvTile(s, z, vRow, dvp, j0, jt, accB);
      // Column side: keys j ≥ b + 4 get Σ_r p_rj z_{b+r} and Σ_r p_rj; keys ≥ n have p = 0.
      const jFrom = max(j0, b + 4);
      const jTo = min(j0 + jt, n);
      if (jFrom >= jTo) continue;
      for (let j = jFrom; j < jTo; j += 4) {
        const off = (<usize>(j - j0)) << 2;
        const lj = l + ((<usize>j) << 2);
        const sum = f32x4.add(
          f32x4.add(v128.load(s + off), v128.load(s + sRow + off)),
          f32x4.add(v128.load(s + 2 * sRow + off), v128.load(s + 3 * sRow + off)),
        );
        v128.store(lj, f32x4.add(v128.load(lj), sum));
      }
      for (let c = 0; c < dvp; c += 8) {
        const cOff = (<usize>c) << 2;
        const zb = z + <usize>b * vRow + cOff;
        const z00 = v128.load(zb),
          z01 = v128.load(zb, 16),
          z10 = v128.load(zb + vRow),
          z11 = v128.load(zb + vRow, 16),
          z20 = v128.load(zb + 2 * vRow),
          z21 = v128.load(zb + 2 * vRow, 16),
          z30 = v128.load(zb + 3 * vRow),
          z31 = v128.load(zb + 3 * vRow, 16);
        let ap = acc + <usize>jFrom * vRow + cOff;
        for (let j = jFrom; j < jTo; j++) {
          const off = (<usize>(j - j0)) << 2;
          const p0 = f32x4.splat(load<f32>(s + off));
          const p1 = f32x4.splat(load<f32>(s + sRow + off));
          const p2 = f32x4.splat(load<f32>(s + 2 * sRow + off));
          const p3 = f32x4.splat(load<f32>(s + 3 * sRow + off));
          let a0 = v128.load(ap);
          let a1 = v128.load(ap, 16);
          a0 = madd(p0, z00, a0);
          a1 = madd(p0, z01, a1);
          a0 = madd(p1, z10, a0);
          a1 = madd(p1, z11, a1);
          a0 = madd(p2, z20, a0);
          a1 = madd(p2, z21, a1);
          a0 = madd(p3, z30, a0);
          a1 = madd(p3, z31, a1);
          v128.store(ap, a0);
          v128.store(ap, a1, 16);
          ap += vRow;
        }
      }
    }
  }
}

/**
 * The O(N·d) sums of a layer's metrics (metrics.ts LayerSums) in float64 from float32 rows x
 * (n × d, row stride d), the same sums in the same order as the reference's computeLayerSums:
 *   out[0..d)      Σ_i x_i                 out[d..2d)  Σ_i x_i/max(‖x_i‖, 1e-12)
 *   out[2d]        Σ_i ‖x_i‖²/max(‖x_i‖, 1e-12)²   out[2d + 1]  ‖x‖²_F
 *   out[2d + 2]    Σ_i ‖x_i − γ‖², γ = (Σ_i x_i)/n (a second pass with γ known)
 *   out[2d + 3]    the number of NaN and ±∞ entries
 * out has 2d + 4 float64.
 */
export function layerSums64(x: usize, n: i32, d: i32, out: usize): void {
  const colSum = out;
  const unitColSum = out + ((<usize>d) << 3);
  memory.fill(out, 0, (<usize>(2 * d + 4)) << 3);
  let unitRowCount: f64 = 0;
  let sumSq: f64 = 0;
  let nonFinite: f64 = 0;
  for (let i = 0; i < n; i++) {
    const row = x + ((<usize>i * <usize>d) << 2);
    let sq: f64 = 0;
    for (let t = 0; t < d; t++) {
      const v = <f64>load<f32>(row + ((<usize>t) << 2));
      const ct = colSum + ((<usize>t) << 3);
      store<f64>(ct, load<f64>(ct) + v);
      sq += v * v;
      if (!isFinite(v)) nonFinite += 1;
    }
    sumSq += sq;
    const inv: f64 = 1 / max(Math.sqrt(sq), 1e-12);
    for (let t = 0; t < d; t++) {
      const ut = unitColSum + ((<usize>t) << 3);
      store<f64>(ut, load<f64>(ut) + <f64>load<f32>(row + ((<usize>t) << 2)) * inv);
    }
    unitRowCount += sq * inv * inv;
  }
  let centered: f64 = 0;
  for (let i = 0; i < n; i++) {
    const row = x + ((<usize>i * <usize>d) << 2);
    for (let t = 0; t < d; t++) {
      const c = <f64>load<f32>(row + ((<usize>t) << 2)) - load<f64>(colSum + ((<usize>t) << 3)) / <f64>n;
      centered += c * c;
    }
  }
  const tail = out + ((<usize>(2 * d)) << 3);
  store<f64>(tail, unitRowCount);
  store<f64>(tail, sumSq, 8);
  store<f64>(tail, centered, 16);
  store<f64>(tail, nonFinite, 24);
}

/**
 * Σ_i Σ_{j∈N(i)} ‖x_i − x_j‖² (SPEC §2's Dirichlet sum) in float64 over a CSR's stored (both-way)
 * entries, unweighted, from float32 rows of stride d.
 */
export function dirichlet64(rowPtr: usize, col: usize, x: usize, n: i32, d: i32): f64 {
  let s: f64 = 0;
  const rowBytes = (<usize>d) << 2;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * rowBytes;
    const k1 = load<u32>(rowPtr + ((<usize>(i + 1)) << 2));
    for (let k = load<u32>(rowPtr + ((<usize>i) << 2)); k < k1; k++) {
      const xj = x + <usize>load<u32>(col + ((<usize>k) << 2)) * rowBytes;
      for (let t: usize = 0; t < rowBytes; t += 4) {
        const diff = <f64>load<f32>(xi + t) - <f64>load<f32>(xj + t);
        s += diff * diff;
      }
    }
  }
  return s;
}

/** out (np × dk, zero rows from n on) = the rows of x (n × d) divided by max(‖x_i‖, 1e-12), norms in float64. */
export function rowNormalize(x: usize, n: i32, d: i32, out: usize, np: i32): void {
  const row = (<usize>d) << 2;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * row;
    const oi = out + <usize>i * row;
    let s: f64 = 0;
    for (let t: usize = 0; t < row; t += 4) {
      const v = <f64>load<f32>(xi + t);
      s += v * v;
    }
    const inv: f64 = 1 / max(Math.sqrt(s), 1e-12);
    for (let t: usize = 0; t < row; t += 4) store<f32>(oi + t, <f32>(<f64>load<f32>(xi + t) * inv));
  }
  memory.fill(out + <usize>n * row, 0, <usize>(np - n) * row);
}

/** out (d × np) = xᵀ for x (n × d); columns from n on are zero. */
export function transpose(x: usize, n: i32, d: i32, out: usize, np: i32): void {
  const outRow = (<usize>np) << 2;
  for (let t = 0; t < d; t++) {
    const o = out + <usize>t * outRow;
    for (let j = 0; j < n; j++) store<f32>(o + ((<usize>j) << 2), load<f32>(x + ((<usize>(j * d + t)) << 2)));
    memory.fill(o + ((<usize>n) << 2), 0, <usize>(np - n) << 2);
  }
}

/**
 * ContraNorm's last steps (SPEC §1.3) on rows of stride dvp: y_i = keep·z_i − pull·acc_i/l_i,
 * rounded to float32, then LayerNorm (y − mean)/sqrt(var + 1e-5) with mean and biased variance in
 * float64, into out (n × d, stride d).
 */
export function contraNormFinish(
  z: usize,
  acc: usize,
  l: usize,
  n: i32,
  d: i32,
  dvp: i32,
  keep: f32,
  pull: f32,
  y: usize,
  out: usize,
): void {
  const vRow = (<usize>dvp) << 2;
  const oRow = (<usize>d) << 2;
  for (let i = 0; i < n; i++) {
    const inv: f32 = <f32>1 / load<f32>(l + ((<usize>i) << 2));
    const zi = z + <usize>i * vRow;
    const ai = acc + <usize>i * vRow;
    let mean: f64 = 0;
    for (let t: usize = 0; t < oRow; t += 4) {
      const v: f32 = keep * load<f32>(zi + t) - pull * (load<f32>(ai + t) * inv);
      store<f32>(y + t, v);
      mean += <f64>v;
    }
    mean /= <f64>d;
    let v2: f64 = 0;
    for (let t: usize = 0; t < oRow; t += 4) {
      const c = <f64>load<f32>(y + t) - mean;
      v2 += c * c;
    }
    const s: f64 = 1 / Math.sqrt(v2 / <f64>d + 1e-5);
    const oi = out + <usize>i * oRow;
    for (let t: usize = 0; t < oRow; t += 4) store<f32>(oi + t, <f32>((<f64>load<f32>(y + t) - mean) * s));
  }
}

// ---------------------------------------------------------------------------------------------
// Eigenvalues of a symmetric d×d matrix in float64: src/math/spectrum.ts's algorithm (Householder
// tridiagonalization, then implicit QL with Wilkinson shifts), statement for statement, for the
// fast engine's per-layer spectrum. The TypeScript side scales, checks finiteness and sorts.

/**
 * m (n×n float64, row-major, lower triangle read and destroyed) to tridiagonal form: diag[i] the
 * diagonal, off[i] the entry (i, i−1), off[0] = 0. p: n float64 of scratch.
 */
function tridiagonalize(m: usize, n: i32, diag: usize, off: usize, p: usize): void {
  for (let i = n - 1; i >= 1; i--) {
    const l = i - 1;
    const ri = m + ((<usize>(i * n)) << 3);
    let h: f64 = 0;
    if (l > 0) {
      let sc: f64 = 0;
      for (let k = 0; k <= l; k++) sc += Math.abs(load<f64>(ri + ((<usize>k) << 3)));
      if (sc == 0) {
        store<f64>(off + ((<usize>i) << 3), load<f64>(ri + ((<usize>l) << 3)));
      } else {
        for (let k = 0; k <= l; k++) {
          const a = ri + ((<usize>k) << 3);
          const v = load<f64>(a) / sc;
          store<f64>(a, v);
          h += v * v;
        }
        const f = load<f64>(ri + ((<usize>l) << 3));
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        store<f64>(off + ((<usize>i) << 3), sc * g);
        h -= f * g;
        store<f64>(ri + ((<usize>l) << 3), f - g);
        memory.fill(p, 0, (<usize>(l + 1)) << 3);
        for (let j = 0; j <= l; j++) {
          const rj = m + ((<usize>(j * n)) << 3);
          const uj = load<f64>(ri + ((<usize>j) << 3));
          let acc: f64 = 0;
          for (let k = 0; k < j; k++) {
            const ajk = load<f64>(rj + ((<usize>k) << 3));
            acc += ajk * load<f64>(ri + ((<usize>k) << 3));
            const pk = p + ((<usize>k) << 3);
            store<f64>(pk, load<f64>(pk) + ajk * uj);
          }
          const pj = p + ((<usize>j) << 3);
          store<f64>(pj, load<f64>(pj) + (acc + load<f64>(rj + ((<usize>j) << 3)) * uj));
        }
        let ff: f64 = 0;
        for (let j = 0; j <= l; j++) {
          const pj = p + ((<usize>j) << 3);
          const v = load<f64>(pj) / h;
          store<f64>(pj, v);
          ff += v * load<f64>(ri + ((<usize>j) << 3));
        }
        const hh = ff / (h + h);
        for (let j = 0; j <= l; j++) {
          const pj = p + ((<usize>j) << 3);
          store<f64>(pj, load<f64>(pj) - hh * load<f64>(ri + ((<usize>j) << 3)));
        }
        for (let j = 0; j <= l; j++) {
          const rj = m + ((<usize>(j * n)) << 3);
          const uj = load<f64>(ri + ((<usize>j) << 3));
          const qj = load<f64>(p + ((<usize>j) << 3));
          for (let k = 0; k <= j; k++) {
            const a = rj + ((<usize>k) << 3);
            store<f64>(a, load<f64>(a) - (uj * load<f64>(p + ((<usize>k) << 3)) + qj * load<f64>(ri + ((<usize>k) << 3))));
          }
        }
      }
    } else {
      store<f64>(off + ((<usize>i) << 3), load<f64>(ri + ((<usize>l) << 3)));
    }
    store<f64>(diag + ((<usize>i) << 3), h);
  }
  store<f64>(off, 0);
  for (let i = 0; i < n; i++) store<f64>(diag + ((<usize>i) << 3), load<f64>(m + ((<usize>(i * n + i)) << 3)));
}

/** Implicit QL on (d, e), e[i] the entry (i, i−1); d gets the eigenvalues. false if it did not converge. */
function tridiagonalQL(d: usize, e: usize, n: i32): bool {
  for (let i = 1; i < n; i++) store<f64>(e + ((<usize>(i - 1)) << 3), load<f64>(e + ((<usize>i) << 3)));
  store<f64>(e + ((<usize>(n - 1)) << 3), 0);
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(load<f64>(d + ((<usize>m) << 3))) + Math.abs(load<f64>(d + ((<usize>(m + 1)) << 3)));
        if (Math.abs(load<f64>(e + ((<usize>m) << 3))) <= f64.EPSILON * dd) break;
      }
      if (m == l) break;
      if (++iter > 60) return false;
      const dl = load<f64>(d + ((<usize>l) << 3));
      const el = load<f64>(e + ((<usize>l) << 3));
      let g = (load<f64>(d + ((<usize>(l + 1)) << 3)) - dl) / (2 * el);
      let r = Math.hypot(g, 1);
      g = load<f64>(d + ((<usize>m) << 3)) - dl + el / (g + (g >= 0 ? r : -r));
      let s: f64 = 1;
      let c: f64 = 1;
      let p: f64 = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const ei = load<f64>(e + ((<usize>i) << 3));
        const f = s * ei;
        const b = c * ei;
        r = Math.hypot(f, g);
        store<f64>(e + ((<usize>(i + 1)) << 3), r);
        if (r == 0) {
          const a = d + ((<usize>(i + 1)) << 3);
          store<f64>(a, load<f64>(a) - p);
          store<f64>(e + ((<usize>m) << 3), 0);
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = load<f64>(d + ((<usize>(i + 1)) << 3)) - p;
        r = (load<f64>(d + ((<usize>i) << 3)) - g) * s + 2 * c * b;
        p = s * r;
        store<f64>(d + ((<usize>(i + 1)) << 3), g + p);
        g = c * r - b;
      }
      if (underflow) continue;
      const a = d + ((<usize>l) << 3);
      store<f64>(a, load<f64>(a) - p);
      store<f64>(e + ((<usize>l) << 3), g);
      store<f64>(e + ((<usize>m) << 3), 0);
    }
  }
  return true;
}

/**
 * Eigenvalues (unordered, into diag) of the symmetric n×n float64 matrix m (full, destroyed);
 * off and p: n float64 each of scratch. Returns 1, or 0 when QL did not converge.
 */
export function symmetricEigenvalues64(m: usize, n: i32, diag: usize, off: usize, p: usize): i32 {
  tridiagonalize(m, n, diag, off, p);
  return tridiagonalQL(diag, off, n) ? 1 : 0;
}
