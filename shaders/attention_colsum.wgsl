// Column sums of the row-normalized attention map, c_j = Σ_i P_ij / ‖P_i‖, recomputed from the
// row statistics (m, l, l2) of streaming_softmax.wgsl instead of storing P: since
// P_ij = exp(s_ij − m_i)/l_i and ‖P_i‖ = sqrt(l2_i)/l_i, the term is exp(s_ij − m_i)/sqrt(l2_i).
// Written at outp[offset + j]. The mean cosine between distinct rows of P is then
// (Σ_j c_j² − N)/(N(N − 1)) (host side).
//
// Same layout as streaming_softmax.wgsl, with the roles of rows and keys swapped: a workgroup
// owns KB = 16 keys; invocation t scores key t / 4 against queries t % 4, t % 4 + 4, … of each
// tile of TI = 32 query rows staged in workgroup memory, and the four partial sums of a key
// are added at the end. No indexed private arrays.

struct Params {
  n: u32,
  dk: u32,
  offset: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;

const KB: u32 = 16u; // keys per workgroup
const TI: u32 = 32u; // query rows per tile
const DC: u32 = 64u; // columns per chunk of the dot products
const DQ: u32 = 16u; // DC / 4

var<workgroup> kBlock: array<vec4<f32>, 256>; // KB keys × DQ quads
var<workgroup> qTile: array<vec4<f32>, 512>; // TI rows × DQ quads
var<workgroup> sTile: array<f32, 512>; // KB keys × TI rows
var<workgroup> rowM: array<f32, 32>;
var<workgroup> rowInvNorm: array<f32, 32>;
var<workgroup> partial: array<f32, 64>;

fn loadQuad(fromQ: bool, row: u32, col: u32) -> vec4<f32> {
  var r = vec4<f32>(0.0);
  if (row >= p.n) {
    return r;
  }
  let base = row * p.dk + col;
  if (fromQ) {
    if (col < p.dk) { r.x = q[base]; }
    if (col + 1u < p.dk) { r.y = q[base + 1u]; }
    if (col + 2u < p.dk) { r.z = q[base + 2u]; }
    if (col + 3u < p.dk) { r.w = q[base + 3u]; }
  } else {
    if (col < p.dk) { r.x = k[base]; }
    if (col + 1u < p.dk) { r.y = k[base + 1u]; }
    if (col + 2u < p.dk) { r.z = k[base + 2u]; }
    if (col + 3u < p.dk) { r.w = k[base + 3u]; }
  }
  return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let block = linearWorkgroup(wid, nwg);
  let kl = lid / 4u;
  let g = lid % 4u;
  var total = 0.0;
  for (var i0 = 0u; i0 < p.n; i0 += TI) {
    workgroupBarrier();
    for (var t = 0u; t < 8u; t++) {
      sTile[lid + t * 64u] = 0.0;
    }
    if (lid < TI) {
      let gi = i0 + lid;
      var mm = 0.0;
      var inv = 0.0;
      if (gi < p.n) {
        mm = stats[gi * 4u];
        let l2 = stats[gi * 4u + 2u];
        if (l2 > 0.0) {
          inv = 1.0 / sqrt(l2);
        }
      }
      rowM[lid] = mm;
      rowInvNorm[lid] = inv;
    }
    for (var k0 = 0u; k0 < p.dk; k0 += DC) {
      workgroupBarrier();
      for (var t = 0u; t < 4u; t++) {
        let e = lid + t * 64u;
        kBlock[e] = loadQuad(false, block * KB + e / DQ, k0 + (e % DQ) * 4u);
      }
      for (var t = 0u; t < 8u; t++) {
        let e = lid + t * 64u;
        qTile[e] = loadQuad(true, i0 + e / DQ, k0 + (e % DQ) * 4u);
      }
      workgroupBarrier();
      for (var u = 0u; u < 8u; u++) {
        let ii = g + 4u * u;
        var dot = 0.0;
        for (var x = 0u; x < DQ; x++) {
          let kk = kBlock[kl * DQ + x];
          let qq = qTile[ii * DQ + x];
          dot += qq.x * kk.x + qq.y * kk.y + qq.z * kk.z + qq.w * kk.w;
        }
        sTile[kl * TI + ii] += dot;
      }
    }
    // Each invocation reads back only the scores it wrote: no barrier needed before this.
    let iCount = min(TI, p.n - i0);
    for (var u = 0u; u < 8u; u++) {
      let ii = g + 4u * u;
      if (ii < iCount) {
        total += exp(sTile[kl * TI + ii] * p.scale - rowM[ii]) * rowInvNorm[ii];
      }
    }
  }
  partial[lid] = total;
  workgroupBarrier();
  let j = block * KB + kl;
  if (g == 0u && j < p.n) {
    outp[p.offset + j] = partial[lid] + partial[lid + 1u] + partial[lid + 2u] + partial[lid + 3u];
  }
}
