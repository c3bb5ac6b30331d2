// Chunked Gram matrices for the spectrum and the consensus distance μ. For each chunk of
// CHUNK rows: the chunk's column means m (float32), the residual sums r = Σ_{i ∈ chunk} c_i, and
// the chunk-centered Gram G_ab = Σ_{i ∈ chunk} c_ia·c_ib, where c_i = fl(H_i − m) are the centred
// rows as rounded to float32 (a relative perturbation of the data of at most 2⁻²⁴, which moves a
// singular value by as little: errors in the data enter the spectrum linearly).
// Layout at outp[offset + chunk·(2d + d(d+1))]: d means, d residual sums, then G's upper
// triangle (a ≤ b, row by row: T = d(d+1)/2 entries, see triIndex) twice, G = hi + lo (a
// float-float pair; the host adds them in float64 and mirrors the triangle). G is symmetric, so
// the lower triangle would only double what is read back.
// The host combines chunks in float64 (layerMetrics.ts), with δ_k = m_k − γ:
//   HᵀH = Σ_k G_k + r_k m_kᵀ + m_k r_kᵀ + n_k m_k m_kᵀ,   centred Gram = the same with δ_k for m_k.
//
// Why float-float: errors in a Gram matrix enter the spectrum as their square root. A Gram kept in
// float32 (relative error 2⁻²⁴ ≈ 6e-8 per entry, more after 1,024 sequential additions) puts
// σ_k/σ₁ of an exact-rank matrix at 1e-4–1e-3 instead of 0. So every product is taken exactly
// (each factor split into 12-bit halves by masking its low mantissa bits, so the partial products
// are exact in float32 and fusing them into FMAs changes nothing) and summed with Knuth's TwoSum
// into a (hi, lo) pair, as in Ogita, Rump & Oishi's Dot2 ("Accurate sum and dot product", 2005).
// This needs float32 additions that the compiler does not reassociate: a fast-math compiler would
// drop the compensation, and tests/engine/gramAccuracy.test.ts, measuring the floor, would fail.
//
// Entry points: `means` (one invocation per (chunk, column)), then either `gram`, a tiled product
// Cᵀ·C per chunk laid out like matmul.wgsl (a 64×64 tile of G per workgroup, 4×4 per
// invocation in vec4 accumulators, rows staged 16 at a time in workgroup memory), or
// `gramRows`, one invocation per (chunk, a, quad of b) looping over the chunk's rows with no
// workgroup memory and no barriers (faster on CPU-emulated adapters, see matmul_rows.wgsl).
// Hardware GPUs run gram_cooperative.wgsl instead, which spreads a chunk over many workgroups.
// The float-float helpers (hi12, dot2, twoSum) are float_float.wgsl, and the record layout and
// the tile-pair product gram_tiles.wgsl, both prepended by the engine.

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> outp: array<f32>;

@compute @workgroup_size(64)
fn means(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * p.d) {
    return;
  }
  let chunk = idx / p.d;
  let c = idx % p.d;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var s = 0.0;
  var t = 0.0;
  for (var r = r0; r < r1; r++) {
    twoSum(&s, &t, h[r * p.d + c]);
  }
  let m = (s + t) / f32(r1 - r0);
  // The residual Σ fl(H_ic − m), which the host needs because m is rounded.
  var rs = 0.0;
  var rt = 0.0;
  for (var r = r0; r < r1; r++) {
    twoSum(&rs, &rt, h[r * p.d + c] - m);
  }
  let base = chunkBase(chunk);
  outp[base + c] = m;
  outp[base + p.d + c] = rs + rt;
}


// Writes the (hi, lo) pair of G[a][b..b+3], keeping only the upper triangle (b + t ≥ a) within d.
fn store(a: u32, b: u32, base: u32, hi: vec4<f32>, lo: vec4<f32>) {
  if (a >= p.d) {
    return;
  }
  let o = base + 2u * p.d;
  let tri = triangle();
  for (var t = 0u; t < 4u; t++) {
    if (b + t >= a && b + t < p.d) {
      let e = triIndex(a, b + t);
      outp[o + e] = hi[t];
      outp[o + tri + e] = lo[t];
    }
  }
}

// Workgroups: x over the (d/64)² tiles of C, y over chunks.
@compute @workgroup_size(16, 16)
fn gram(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let tiles = (p.d + TILE - 1u) / TILE;
  let a0 = (wid.x / tiles) * TILE;
  let b0 = (wid.x % tiles) * TILE;
  // Tiles below the diagonal hold no entry of the upper triangle (uniform: the whole workgroup).
  if (a0 > b0) {
    return;
  }
  let chunk = wid.y;
  let base = chunkBase(chunk);
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  let t = tilePair(a0, b0, r0, r1, base, lid, lid3.x, lid3.y);
  let a = a0 + lid3.y * 4u;
  let b = b0 + lid3.x * 4u;
  store(a, b, base, t.hi0, t.lo0);
  store(a + 1u, b, base, t.hi1, t.lo1);
  store(a + 2u, b, base, t.hi2, t.lo2);
  store(a + 3u, b, base, t.hi3, t.lo3);
}

// Workgroups: 1-D over chunks × d × ⌈d/4⌉ invocations (folded past 65535).
@compute @workgroup_size(64)
fn gramRows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let quads = (p.d + 3u) / 4u;
  let perChunk = p.d * quads;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * perChunk) {
    return;
  }
  let chunk = idx / perChunk;
  let a = (idx % perChunk) / quads;
  let b = ((idx % perChunk) % quads) * 4u;
  let base = chunkBase(chunk);
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  let ma = outp[base + a];
  var mb = vec4<f32>(0.0);
  var live = vec4<f32>(0.0);
  for (var t = 0u; t < 4u; t++) {
    if (b + t < p.d) {
      mb[t] = outp[base + b + t];
      live[t] = 1.0;
    }
  }
  let bLast = min(b + 3u, p.d - 1u);
  var acc = vec4<f32>(0.0);
  var err = vec4<f32>(0.0);
  for (var r = r0; r < r1; r++) {
    let row = r * p.d;
    let ha = h[row + a] - ma;
    // Columns past d read a valid neighbour (bLast) and are zeroed by `live`.
    let hb = vec4<f32>(h[row + b], h[row + min(b + 1u, bLast)], h[row + min(b + 2u, bLast)], h[row + bLast]);
    dot2(&acc, &err, vec4<f32>(ha), (hb - mb) * live);
  }
  store(a, b, base, acc, err);
}
