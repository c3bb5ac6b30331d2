// Chunked Gram matrices for the spectrum and the consensus distance μ. For each chunk of
// CHUNK rows: the chunk's column means m, and the chunk-centered Gram
//   C_ab = Σ_{i ∈ chunk} (H_ia − m_a)(H_ib − m_b).
// Layout at outp[offset + chunk·(d + d²)]: d means, then the d×d block.
// The host combines chunks in float64: HᵀH = Σ_k (C_k + n_k m_k m_kᵀ), and the column-centered
// Gram = Σ_k C_k + Σ_k n_k (m_k − γ)(m_k − γ)ᵀ. Centering inside each chunk keeps float32
// cancellation out of μ and the centered spectrum exactly when rows become nearly equal.
//
// Entry points: `means` (one invocation per (chunk, column)), then either `gram`, a tiled product
// Hcᵀ·Hc per chunk laid out like matmul.wgsl (a 64×64 tile of C per workgroup, 4×4 per
// invocation in vec4 accumulators, rows staged 16 at a time in workgroup memory), or
// `gramRows`, one invocation per (chunk, a, quad of b) looping over the chunk's rows with no
// workgroup memory and no barriers (faster on CPU-emulated adapters, see matmul_rows.wgsl).

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> outp: array<f32>;

const CHUNK: u32 = 1024u;
const TILE: u32 = 64u;
const KT: u32 = 16u;

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
  for (var r = r0; r < r1; r++) {
    s += h[r * p.d + c];
  }
  outp[p.offset + chunk * (p.d + p.d * p.d) + c] = s / f32(r1 - r0);
}

var<workgroup> aTile: array<f32, 1024>; // KT rows × TILE columns (the a side)
var<workgroup> bTile: array<vec4<f32>, 256>; // KT rows × TILE/4 column quads (the b side)

fn centered(r: u32, c: u32, r1: u32, base: u32) -> f32 {
  if (r >= r1 || c >= p.d) {
    return 0.0;
  }
  return h[r * p.d + c] - outp[base + c];
}

fn store(a: u32, b: u32, base: u32, v: vec4<f32>) {
  if (a >= p.d) {
    return;
  }
  let o = base + p.d + a * p.d + b;
  if (b < p.d) { outp[o] = v.x; }
  if (b + 1u < p.d) { outp[o + 1u] = v.y; }
  if (b + 2u < p.d) { outp[o + 2u] = v.z; }
  if (b + 3u < p.d) { outp[o + 3u] = v.w; }
}

// Workgroups: x over the (d/64)² tiles of C, y over chunks.
@compute @workgroup_size(16, 16)
fn gram(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let tiles = (p.d + TILE - 1u) / TILE;
  let a0 = (wid.x / tiles) * TILE;
  let b0 = (wid.x % tiles) * TILE;
  let chunk = wid.y;
  let base = p.offset + chunk * (p.d + p.d * p.d);
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  let tx = lid3.x;
  let ty = lid3.y;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = r0; k0 < r1; k0 += KT) {
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 256u;
      aTile[e] = centered(k0 + e / TILE, a0 + e % TILE, r1, base);
    }
    let rb = k0 + lid / 16u;
    let cb = b0 + (lid % 16u) * 4u;
    bTile[lid] = vec4<f32>(centered(rb, cb, r1, base), centered(rb, cb + 1u, r1, base),
                           centered(rb, cb + 2u, r1, base), centered(rb, cb + 3u, r1, base));
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      let bq = bTile[kk * 16u + tx];
      acc0 += aTile[kk * TILE + ty * 4u] * bq;
      acc1 += aTile[kk * TILE + ty * 4u + 1u] * bq;
      acc2 += aTile[kk * TILE + ty * 4u + 2u] * bq;
      acc3 += aTile[kk * TILE + ty * 4u + 3u] * bq;
    }
    workgroupBarrier();
  }
  let b = b0 + tx * 4u;
  store(a0 + ty * 4u, b, base, acc0);
  store(a0 + ty * 4u + 1u, b, base, acc1);
  store(a0 + ty * 4u + 2u, b, base, acc2);
  store(a0 + ty * 4u + 3u, b, base, acc3);
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
  let base = p.offset + chunk * (p.d + p.d * p.d);
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
  for (var r = r0; r < r1; r++) {
    let row = r * p.d;
    let ha = h[row + a] - ma;
    // Columns past d read a valid neighbour (bLast) and are zeroed by `live`.
    let hb = vec4<f32>(h[row + b], h[row + min(b + 1u, bLast)], h[row + min(b + 2u, bLast)], h[row + bLast]);
    acc += ha * (hb - mb) * live;
  }
  let o = base + p.d + a * p.d + b;
  outp[o] = acc.x;
  if (b + 1u < p.d) { outp[o + 1u] = acc.y; }
  if (b + 2u < p.d) { outp[o + 2u] = acc.z; }
  if (b + 3u < p.d) { outp[o + 3u] = acc.w; }
}
