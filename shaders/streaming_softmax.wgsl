// out = softmax_row(scale · Q Kᵀ, optionally masked) · V without ever forming the N×N matrix:
// the online (streaming) softmax of Milakov & Gimelshein, as in FlashAttention. Used for
// self-attention (Q, K, V projections, scale 1/√d) and for ContraNorm's S·Z (Q = K = rn(Z) and
// scale 1/τ; or Q = K = Z, scale 1 for the `paper` form).
//
// A workgroup of 64 invocations owns RB = 16 query rows × one 64-column chunk of the output
// (workgroups along y take further chunks, so any width of V fits). Invocation t works on row
// t / 4 and on the 16 output columns of quarter t % 4, held in four vec4 accumulators. Keys
// arrive in tiles of TJ = 16 staged in workgroup memory with their V rows. Every lane takes part
// in every step (FlashAttention-2's rule): invocation (r, g) scores keys g, g + 4, g + 8, g + 12
// of the tile for row r in a vec4 register (dot products in chunks of 64 columns, so any width
// of Q fits), masks them, turns them into weights exp(s − m) and keeps its share of the row's
// sums l = Σ exp(s − m) and l2 = Σ exp(2(s − m)); the four shares are added at the end. The
// four lanes of a row agree on the running maximum m: either it is fixed from the start
// (`fixedMax`, ContraNorm's unit-norm rows: every score ≤ 1/τ, so m = 1/τ never moves and the
// tile needs no reduction), or the lanes exchange their tile maxima through workgroup memory
// and all raise m, rescaling their shares and accumulators, together.
// No indexed private arrays: some compilers (SwiftShader's) keep those in memory.
// This is the variant for software adapters (and widths over 64); hardware adapters run
// attention_tiled.wgsl. Its workgroup memory (13.8 KB) stays under WebGPU's default 16 KiB.
//
// mask = 1 (ContraNorm `mask`): j = i and the graph neighbours of i (CSR, columns sorted) are
// excluded; each lane walks the sorted neighbour list alongside its own ascending keys. A row
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
  fixedMax: f32, // NEG_BIG: no bound known, the running maximum is tracked
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
// Rows of the Q and K tiles are DQ + 1 quads apart, and rows of the weight tile TJ + 1 floats:
// lanes that read the same column of different rows then hit different banks.
const QS: u32 = 17u; // DQ + 1
const WS: u32 = 17u; // TJ + 1

var<workgroup> qTile: array<vec4<f32>, 272>; // RB rows × DQ quads, rows QS apart
var<workgroup> kTile: array<vec4<f32>, 272>; // TJ keys × DQ quads, rows QS apart
var<workgroup> vTile: array<vec4<f32>, 256>; // TJ keys × DQ quads of the output chunk
var<workgroup> wTile: array<f32, 272>; // RB rows × TJ keys: weights exp(s − m), rows WS apart
var<workgroup> laneTile: array<f32, 64>; // one value per lane: tile maxima, then shares of l

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

// Whether key j takes part in row i's softmax. `nb` walks row i's sorted neighbour list; a lane
// asks about its keys in ascending order, so the walk is linear in the row's degree.
fn keyLive(j: u32, i: u32, nb: ptr<function, u32>, nbEnd: u32) -> bool {
  if (j >= p.n) {
    return false;
  }
  if (p.mask == 0u) {
    return true;
  }
  while (*nb < nbEnd && colIdx[*nb] < j) {
    *nb += 1u;
  }
  return j != i && !(*nb < nbEnd && colIdx[*nb] == j);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = lid / 4u; // this invocation's row within the block
  let g = lid % 4u; // its quarter of the 64 output columns, and its keys g + 4c of each tile
  let i = wid.x * RB + r;
  let rowValid = i < p.n;
  let c0 = wid.y * DC;
  let fixedMax = p.fixedMax > NEG_BIG; // uniform: read from the uniform buffer

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  // Row state: m is the same in the row's four lanes; l and l2 are this lane's share.
  var m = p.fixedMax;
  var l = 0.0;
  var l2 = 0.0;
  var nb = 0u;
  var nbEnd = 0u;
  if (rowValid && p.mask == 1u) {
    nb = rowPtr[i];
    nbEnd = rowPtr[i + 1u];
  }

  for (var j0 = 0u; j0 < p.n; j0 += TJ) {
    workgroupBarrier();
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 64u;
      vTile[e] = loadQuad(2u, j0 + e / DQ, c0 + (e % DQ) * 4u, p.n, p.dv);
    }
    var s = vec4<f32>(0.0); // scores of keys g, g + 4, g + 8, g + 12 for row r
    for (var k0 = 0u; k0 < p.dk; k0 += DC) {
      if (k0 > 0u) {
        workgroupBarrier();
      }
      // Q rows change only with the column chunk: with dk ≤ 64 they are loaded once, on the first tile.
      if (p.dk > DC || j0 == 0u) {
        for (var t = 0u; t < 4u; t++) {
          let e = lid + t * 64u;
          qTile[(e / DQ) * QS + e % DQ] = loadQuad(0u, wid.x * RB + e / DQ, k0 + (e % DQ) * 4u, p.n, p.dk);
        }
      }
      for (var t = 0u; t < 4u; t++) {
        let e = lid + t * 64u;
        kTile[(e / DQ) * QS + e % DQ] = loadQuad(1u, j0 + e / DQ, k0 + (e % DQ) * 4u, p.n, p.dk);
      }
      workgroupBarrier();
      // Each quad of Q read from workgroup memory serves four keys.
      for (var x = 0u; x < DQ; x++) {
        let qq = qTile[r * QS + x];
        s.x += dot(qq, kTile[g * QS + x]);
        s.y += dot(qq, kTile[(g + 4u) * QS + x]);
        s.z += dot(qq, kTile[(g + 8u) * QS + x]);
        s.w += dot(qq, kTile[(g + 12u) * QS + x]);
      }
    }

    let j = j0 + g;
    let live0 = rowValid && keyLive(j, i, &nb, nbEnd);
    let live1 = rowValid && keyLive(j + 4u, i, &nb, nbEnd);
    let live2 = rowValid && keyLive(j + 8u, i, &nb, nbEnd);
    let live3 = rowValid && keyLive(j + 12u, i, &nb, nbEnd);
    let live = vec4<bool>(live0, live1, live2, live3);
    let sc = s * p.scale;
    if (!fixedMax) {
      let kept = select(vec4<f32>(NEG_BIG), sc, live);
      laneTile[lid] = max(max(kept.x, kept.y), max(kept.z, kept.w));
      workgroupBarrier();
      let b = r * 4u;
      let tileMax = max(max(laneTile[b], laneTile[b + 1u]), max(laneTile[b + 2u], laneTile[b + 3u]));
      if (tileMax > m) {
        let corr = exp(m - tileMax);
        l *= corr;
        l2 *= corr * corr;
        acc0 *= corr;
        acc1 *= corr;
        acc2 *= corr;
        acc3 *= corr;
        m = tileMax;
      }
    }
    // With a fixed maximum, unit-norm rows keep s ≤ m up to rounding, so exp(s − m) ≤ 1 + ε.
    let w = select(vec4<f32>(0.0), exp(sc - m), live);
    l += w.x + w.y + w.z + w.w;
    l2 += dot(w, w);
    let wb = r * WS + g;
    wTile[wb] = w.x;
    wTile[wb + 4u] = w.y;
    wTile[wb + 8u] = w.z;
    wTile[wb + 12u] = w.w;
    workgroupBarrier();

    for (var jj = 0u; jj < TJ; jj++) {
      let wj = wTile[r * WS + jj];
      let vb = jj * DQ + g * 4u;
      acc0 += wj * vTile[vb];
      acc1 += wj * vTile[vb + 1u];
      acc2 += wj * vTile[vb + 2u];
      acc3 += wj * vTile[vb + 3u];
    }
  }

  // The row's sums are its four lanes' shares.
  workgroupBarrier();
  laneTile[lid] = l;
  wTile[lid] = l2;
  workgroupBarrier();
  let b = r * 4u;
  let lRow = (laneTile[b] + laneTile[b + 1u]) + (laneTile[b + 2u] + laneTile[b + 3u]);
  if (!rowValid) {
    return;
  }
  if (g == 0u && p.writeStats == 1u && wid.y == 0u) {
    stats[i * 4u] = m;
    stats[i * 4u + 1u] = lRow;
    stats[i * 4u + 2u] = (wTile[b] + wTile[b + 1u]) + (wTile[b + 2u] + wTile[b + 3u]);
    stats[i * 4u + 3u] = 0.0;
  }
  let inv = select(0.0, 1.0 / lRow, lRow > 0.0);
  let col = c0 + g * 16u;
  let base = i * p.dv;
  let quads = array<vec4<f32>, 4>(acc0 * inv, acc1 * inv, acc2 * inv, acc3 * inv);
  for (var x = 0u; x < 16u; x++) {
    if (col + x < p.dv) {
      outp[base + col + x] = quads[x / 4u][x % 4u];
    }
  }
}
