// Column sums of the row-normalized attention map, c_j = Σ_i P_ij / ‖P_i‖, recomputed from the
// row statistics (m, l, l2) of streaming_softmax.wgsl instead of storing P: since
// P_ij = exp(s_ij − m_i)/l_i and ‖P_i‖ = sqrt(l2_i)/l_i, the term is exp(s_ij − m_i)/sqrt(l2_i).
// Written at outp[offset + j]. The mean cosine between distinct rows of P is then (Σ_j c_j² − N)/(N(N − 1)) (host side).
// One invocation per key j; query rows arrive in tiles of 32 staged in workgroup memory.

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

const WG: u32 = 64u;
const TI: u32 = 32u;
const DC: u32 = 64u;

var<workgroup> qTile: array<f32, 2048>; // TI query rows × DC columns
var<workgroup> rowM: array<f32, 32>;
var<workgroup> rowInvNorm: array<f32, 32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let j = linearWorkgroup(wid, nwg) * WG + lid;
  let valid = j < p.n;
  var total = 0.0;
  for (var i0 = 0u; i0 < p.n; i0 += TI) {
    let iCount = min(TI, p.n - i0);
    var s: array<f32, 32>;
    for (var ii = 0u; ii < TI; ii++) {
      s[ii] = 0.0;
    }
    for (var k0 = 0u; k0 < p.dk; k0 += DC) {
      workgroupBarrier();
      for (var t = 0u; t < TI * DC / WG; t++) {
        let e = lid + t * WG;
        let gi = i0 + e / DC;
        let gk = k0 + e % DC;
        var val = 0.0;
        if (gi < p.n && gk < p.dk) {
          val = q[gi * p.dk + gk];
        }
        qTile[e] = val;
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
      workgroupBarrier();
      if (valid) {
        let kCount = min(DC, p.dk - k0);
        for (var kk = 0u; kk < kCount; kk++) {
          let kv = k[j * p.dk + k0 + kk];
          for (var ii = 0u; ii < TI; ii++) {
            s[ii] += kv * qTile[ii * DC + kk];
          }
        }
      }
    }
    if (valid) {
      for (var ii = 0u; ii < iCount; ii++) {
        total += exp(s[ii] * p.scale - rowM[ii]) * rowInvNorm[ii];
      }
    }
  }
  if (valid) {
    outp[p.offset + j] = total;
  }
}
