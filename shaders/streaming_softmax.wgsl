// out = softmax_row(scale · Q Kᵀ, optionally masked) · V without ever forming the N×N matrix:
// the online (streaming) softmax of Milakov & Gimelshein, as in FlashAttention. Used for
// self-attention (Q, K, V projections, scale 1/√d) and for ContraNorm's S·Z (Q = K = rn(Z) and
// scale 1/τ; or Q = K = Z, scale 1 for the `paper` form).
//
// A workgroup of 64 invocations owns RB = 16 query rows × one 64-column chunk of the output
// (workgroups along y take further chunks, so any width of V fits). Invocation t works on row
// t / 4 and on the 16 output columns of quarter t % 4, held in four vec4 accumulators. Keys
// arrive in tiles of TJ = 16 staged in workgroup memory with their V rows; the 16×16 score tile
// is computed cooperatively (dot products in chunks of 64 columns, so any width of Q fits),
// then one invocation per row updates the running max m, the sum l = Σ exp(s − m) and
// l2 = Σ exp(2(s − m)), and turns the tile's scores into weights exp(s − m) for all four.
// No indexed private arrays: some compilers (SwiftShader's) keep those in memory.
// This is the variant for software adapters (and widths over 64); hardware adapters run
// attention_tiled.wgsl. Its workgroup memory (13.1 KB) stays under WebGPU's default 16 KiB.
//
// mask = 1 (ContraNorm `mask`): j = i and the graph neighbours of i (CSR, columns sorted) are
// excluded, found by walking the sorted neighbour list alongside the ascending key index. A row
// with nothing left gets out = 0 (l = 0), as SPEC §1.3 asks.
//
// stats (when writeStats = 1): per row (m, l, l2), so that P_ij = exp(s_ij − m_i)/l_i and
// ‖P_i‖ = sqrt(l2_i)/l_i, for the attention-map metric (attention_colsum.wgsl).

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

const RB: u32 = 16u; // query rows per workgroup
const TJ: u32 = 16u; // keys per tile
const DC: u32 = 64u; // columns per chunk (of Q·K dot products, and of the output)
const DQ: u32 = 16u; // DC / 4 column quads

var<workgroup> qTile: array<vec4<f32>, 256>; // RB rows × DQ quads
var<workgroup> kTile: array<vec4<f32>, 256>; // TJ keys × DQ quads
var<workgroup> vTile: array<vec4<f32>, 256>; // TJ keys × DQ quads of the output chunk
var<workgroup> sTile: array<f32, 256>; // RB rows × TJ keys: scores, then weights
var<workgroup> rowCorr: array<f32, 16>;
var<workgroup> rowInvL: array<f32, 16>;

fn loadQuad(buf: u32, row: u32, col: u32, rows: u32, width: u32) -> vec4<f32> {
  var r = vec4<f32>(0.0);
  if (row >= rows) {
    return r;
  }
  let base = row * width + col;
  if (buf == 0u) {
    if (col < width) { r.x = q[base]; }
    if (col + 1u < width) { r.y = q[base + 1u]; }
    if (col + 2u < width) { r.z = q[base + 2u]; }
    if (col + 3u < width) { r.w = q[base + 3u]; }
  } else if (buf == 1u) {
    if (col < width) { r.x = k[base]; }
    if (col + 1u < width) { r.y = k[base + 1u]; }
    if (col + 2u < width) { r.z = k[base + 2u]; }
    if (col + 3u < width) { r.w = k[base + 3u]; }
  } else {
    if (col < width) { r.x = v[base]; }
    if (col + 1u < width) { r.y = v[base + 1u]; }
    if (col + 2u < width) { r.z = v[base + 2u]; }
    if (col + 3u < width) { r.w = v[base + 3u]; }
  }
  return r;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = lid / 4u; // this invocation's row within the block
  let g = lid % 4u; // its quarter of the 64 output columns
  let i = wid.x * RB + r;
  let rowValid = i < p.n;
  let c0 = wid.y * DC;

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  // Row state, used by the g = 0 invocation of each row only.
  var m = NEG_BIG;
  var l = 0.0;
  var l2 = 0.0;
  var nb = 0u;
  var nbEnd = 0u;
  if (g == 0u && rowValid && p.mask == 1u) {
    nb = rowPtr[i];
    nbEnd = rowPtr[i + 1u];
  }

  for (var j0 = 0u; j0 < p.n; j0 += TJ) {
    workgroupBarrier();
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 64u;
      vTile[e] = loadQuad(2u, j0 + e / DQ, c0 + (e % DQ) * 4u, p.n, p.dv);
      sTile[e] = 0.0;
    }
    for (var k0 = 0u; k0 < p.dk; k0 += DC) {
      workgroupBarrier();
      // Q rows change only with the column chunk: with dk ≤ 64 they are loaded once, on the first tile.
      if (p.dk > DC || j0 == 0u) {
        for (var t = 0u; t < 4u; t++) {
          let e = lid + t * 64u;
          qTile[e] = loadQuad(0u, wid.x * RB + e / DQ, k0 + (e % DQ) * 4u, p.n, p.dk);
        }
      }
      for (var t = 0u; t < 4u; t++) {
        let e = lid + t * 64u;
        kTile[e] = loadQuad(1u, j0 + e / DQ, k0 + (e % DQ) * 4u, p.n, p.dk);
      }
      workgroupBarrier();
      // Invocation (r, g) scores keys g, g + 4, g + 8, g + 12 of the tile for row r: four scalar
      // accumulators, so each quad of Q read from workgroup memory serves four keys.
      var s0 = 0.0;
      var s1 = 0.0;
      var s2 = 0.0;
      var s3 = 0.0;
      for (var x = 0u; x < DQ; x++) {
        let qq = qTile[r * DQ + x];
        s0 += dot(qq, kTile[g * DQ + x]);
        s1 += dot(qq, kTile[(g + 4u) * DQ + x]);
        s2 += dot(qq, kTile[(g + 8u) * DQ + x]);
        s3 += dot(qq, kTile[(g + 12u) * DQ + x]);
      }
      let row = r * TJ + g;
      sTile[row] += s0;
      sTile[row + 4u] += s1;
      sTile[row + 8u] += s2;
      sTile[row + 12u] += s3;
    }
    workgroupBarrier();

    if (g == 0u) {
      var corr = 1.0;
      if (rowValid) {
        let jCount = min(TJ, p.n - j0);
        var tileMax = NEG_BIG;
        var live = 0u;
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
            let s = sTile[r * TJ + jj] * p.scale;
            sTile[r * TJ + jj] = s;
            tileMax = max(tileMax, s);
            live = live | (1u << jj);
          }
        }
        if (live != 0u && tileMax > m) {
          corr = exp(m - tileMax);
          l = l * corr;
          l2 = l2 * corr * corr;
          m = tileMax;
        }
        for (var jj = 0u; jj < TJ; jj++) {
          var w = 0.0;
          if (((live >> jj) & 1u) == 1u) {
            w = exp(sTile[r * TJ + jj] - m);
          }
          l += w;
          l2 += w * w;
          sTile[r * TJ + jj] = w;
        }
      } else {
        for (var jj = 0u; jj < TJ; jj++) {
          sTile[r * TJ + jj] = 0.0;
        }
      }
      rowCorr[r] = corr;
    }
    workgroupBarrier();

    let corr = rowCorr[r];
    acc0 *= corr;
    acc1 *= corr;
    acc2 *= corr;
    acc3 *= corr;
    for (var jj = 0u; jj < TJ; jj++) {
      let w = sTile[r * TJ + jj];
      let vb = jj * DQ + g * 4u;
      acc0 += w * vTile[vb];
      acc1 += w * vTile[vb + 1u];
      acc2 += w * vTile[vb + 2u];
      acc3 += w * vTile[vb + 3u];
    }
  }

  if (g == 0u) {
    var inv = 0.0;
    if (l > 0.0) {
      inv = 1.0 / l;
    }
    rowInvL[r] = inv;
    if (rowValid && p.writeStats == 1u && wid.y == 0u) {
      stats[i * 4u] = m;
      stats[i * 4u + 1u] = l;
      stats[i * 4u + 2u] = l2;
      stats[i * 4u + 3u] = 0.0;
    }
  }
  workgroupBarrier();
  if (!rowValid) {
    return;
  }
  let inv = rowInvL[r];
  let col = c0 + g * 16u;
  let base = i * p.dv;
  let quads = array<vec4<f32>, 4>(acc0 * inv, acc1 * inv, acc2 * inv, acc3 * inv);
  for (var x = 0u; x < 16u; x++) {
    if (col + x < p.dv) {
      outp[base + col + x] = quads[x / 4u][x % 4u];
    }
  }
}
