// out = softmax_row(scale · Q Kᵀ, optionally masked) · V without ever forming the N×N matrix:
// the online (streaming) softmax of Milakov & Gimelshein, as in FlashAttention. Used for
// self-attention (Q, K, V projections, scale 1/√d) and for ContraNorm's S·Z (Q = K = rn(Z) and
// scale 1/τ; or Q = K = Z, scale 1 for the `paper` form).
//
// One invocation per query row i, 64 rows a workgroup; workgroups along y take 64-column chunks
// of the output, so any width of V fits in a fixed private accumulator. Key rows arrive in
// tiles of 32 staged in workgroup memory (their dot products in chunks of 64 columns, so any
// width of Q fits too).
//
// mask = 1 (ContraNorm `mask`): j = i and the graph neighbours of i (CSR, columns sorted) are
// excluded, found by walking the sorted neighbour list alongside the ascending key index. A row
// with nothing left gets out = 0 (l = 0), as SPEC §1.3 asks.
//
// stats (when writeStats = 1): per row (m, l, l2): the row max of the scores, Σ exp(s − m) and
// Σ exp(2(s − m)), so that P_ij = exp(s_ij − m_i)/l_i and ‖P_i‖ = sqrt(l2_i)/l_i, for the
// attention-map metric.

struct Params {
  n: u32,
  dk: u32,
  dv: u32,
  mask: u32,
  writeStats: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(5) var<storage, read> colIdx: array<u32>;
@group(0) @binding(6) var<storage, read_write> outp: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<f32>;

const WG: u32 = 64u;
const TJ: u32 = 32u;
const DC: u32 = 64u;

var<workgroup> kTile: array<f32, 2048>; // TJ key rows × DC columns of K
var<workgroup> vTile: array<f32, 2048>; // TJ key rows × DC columns of V

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * WG + lid;
  let valid = i < p.n;
  let c0 = wid.y * DC;
  let cCount = min(DC, p.dv - c0);

  var m = NEG_BIG;
  var l = 0.0;
  var l2 = 0.0;
  var acc: array<f32, 64>;
  for (var c = 0u; c < DC; c++) {
    acc[c] = 0.0;
  }
  var nb = 0u;
  var nbEnd = 0u;
  if (valid && p.mask == 1u) {
    nb = rowPtr[i];
    nbEnd = rowPtr[i + 1u];
  }

  for (var j0 = 0u; j0 < p.n; j0 += TJ) {
    let jCount = min(TJ, p.n - j0);
    var s: array<f32, 32>;
    for (var jj = 0u; jj < TJ; jj++) {
      s[jj] = 0.0;
    }
    for (var k0 = 0u; k0 < p.dk; k0 += DC) {
      workgroupBarrier();
      for (var t = 0u; t < TJ * DC / WG; t++) {
        let e = lid + t * WG;
        let gj = j0 + e / DC;
        let gk = k0 + e % DC;
        var val = 0.0;
        if (gj < p.n && gk < p.dk) {
          val = k[gj * p.dk + gk];
        }
        kTile[e] = val;
      }
      workgroupBarrier();
      if (valid) {
        let kCount = min(DC, p.dk - k0);
        for (var kk = 0u; kk < kCount; kk++) {
          let qv = q[i * p.dk + k0 + kk];
          for (var jj = 0u; jj < TJ; jj++) {
            s[jj] += qv * kTile[jj * DC + kk];
          }
        }
      }
    }

    // Which keys of this tile take part, and the running max over them.
    var live = 0u;
    if (valid) {
      var tileMax = NEG_BIG;
      for (var jj = 0u; jj < jCount; jj++) {
        let j = j0 + jj;
        var keep = true;
        if (p.mask == 1u) {
          if (j == i) {
            keep = false;
          }
          while (nb < nbEnd && colIdx[nb] < j) {
            nb++;
          }
          if (nb < nbEnd && colIdx[nb] == j) {
            keep = false;
          }
        }
        if (keep) {
          s[jj] = s[jj] * p.scale;
          tileMax = max(tileMax, s[jj]);
          live = live | (1u << jj);
        }
      }
      if (live != 0u && tileMax > m) {
        let corr = exp(m - tileMax);
        l = l * corr;
        l2 = l2 * corr * corr;
        for (var c = 0u; c < DC; c++) {
          acc[c] = acc[c] * corr;
        }
        m = tileMax;
      }
    }

    workgroupBarrier();
    for (var t = 0u; t < TJ * DC / WG; t++) {
      let e = lid + t * WG;
      let gj = j0 + e / DC;
      let gc = c0 + e % DC;
      var val = 0.0;
      if (gj < p.n && gc < p.dv) {
        val = v[gj * p.dv + gc];
      }
      vTile[e] = val;
    }
    workgroupBarrier();
    if (live != 0u) {
      for (var jj = 0u; jj < jCount; jj++) {
        if (((live >> jj) & 1u) == 1u) {
          let pj = exp(s[jj] - m);
          l += pj;
          l2 += pj * pj;
          for (var c = 0u; c < cCount; c++) {
            acc[c] += pj * vTile[jj * DC + c];
          }
        }
      }
    }
  }

  if (!valid) {
    return;
  }
  var inv = 0.0;
  if (l > 0.0) {
    inv = 1.0 / l;
  }
  for (var c = 0u; c < cCount; c++) {
    outp[i * p.dv + c0 + c] = acc[c] * inv;
  }
  if (p.writeStats == 1u && wid.y == 0u) {
    stats[i * 4u] = m;
    stats[i * 4u + 1u] = l;
    stats[i * 4u + 2u] = l2;
    stats[i * 4u + 3u] = 0.0;
  }
}
