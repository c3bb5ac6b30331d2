// ContraNorm's softmax for the trainer: the forward O = S·Z with its row statistics, and its
// backward (SPEC §1.3), S = softmax_row(scale · U Uᵀ) with U = rn(Z) (or U = Z for the `paper`
// form). S is never stored.
//
// `forward`: one online-softmax pass per row: m_i (running max), l_i = Σ_j exp(s_ij − m_i),
// l2_i = Σ_j exp(2(s_ij − m_i)) into stats (m, l, l2, 0), O_i = Σ_j exp(s_ij − m_i) Z_j / l_i.
// m starts at p.m0: for unit rows (rn) s_ij ≤ scale, so the host passes m0 = scale when
// exp(−2·scale) is far from underflow and the max never moves (FlashAttention's fixed maximum:
// no rescaling, exact); otherwise (and for `paper`) m0 = NEG_BIG and the max is tracked.
//
// Backward, streamed like FlashAttention-2's: each S_ij is recomputed from the saved statistics
// as S_ij = exp(s_ij − m_i)/l_i (any m_i consistent with l_i gives the same S).
// Given G_O = ∂L/∂O and D_i = ⟨G_O,i, O_i⟩ (stats slot 3, from backward_layernorm.wgsl):
//   value path:   ∂L/∂Z_j  += Σ_i S_ij G_O,i                          (Sᵀ G_O, FA2's dV)
//   softmax:      dP_ij = S_ij (⟨G_O,i, Z_j⟩ − D_i)                    (∂L/∂s_ij)
//   scores:       ∂L/∂U_i = scale (Σ_j dP_ij U_j + Σ_j dP_ji U_j)      (s is symmetric in U)
// `rows` (query-parallel, FA2's dQ pass) accumulates Σ_j dP_ij U_j into outA; `cols`
// (key-parallel, FA2's dK/dV pass) accumulates Σ_i S_ij G_O,i into outA and Σ_i dP_ij U_i into
// outB. WGSL has no float atomics, so the two sides are two kernels, each computing the pair's
// two dot products once. backward_contranorm_finish.wgsl adds the pieces and rn's backward.
//
// Layout: one invocation per (own row, chunk of CW = 32 columns); the own row's chunk and the
// accumulators live in registers as Row8 values (eight vec4: a struct, not an indexed array, so
// every access has a constant index and no implementation has to spill it to memory), and the
// other side's rows are read as vec4 quads. D (the width d) is an override constant, so every
// loop over columns has a fixed trip count and the quads past d fold away. For d ≤ 32 (one
// chunk) the dot products use the registers; wider rows split into ⌈d/32⌉ chunks, each
// recomputing the dot products from memory. All invocations of a workgroup walk the other side
// in the same order, so its loads are uniform (one cache line for the whole workgroup).
// mask = 1 (`mask` variant): pairs with j = i or j a graph neighbour of i get S_ij = 0. The
// CSR rows are sorted, so each invocation walks its own row of the mask once, in step with the
// loop: `forward` and `rows` walk i's neighbours, `cols` (whose rowPtr/colIdx the host binds to
// the transposed pattern) the i that have j as a neighbour. A row with nothing left (l_i = 0)
// has S_i· = 0 and O_i = 0.

override D: u32 = 32u;
const CW: u32 = 32u;
// `next` when no masked entry is left in the row.
const NONE: u32 = 0xffffffffu;

struct Params {
  n: u32,
  d: u32,
  mask: u32,
  scale: f32,
  m0: f32,
}

struct Row8 {
  q0: vec4<f32>,
  q1: vec4<f32>,
  q2: vec4<f32>,
  q3: vec4<f32>,
  q4: vec4<f32>,
  q5: vec4<f32>,
  q6: vec4<f32>,
  q7: vec4<f32>,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read> z: array<f32>;
@group(0) @binding(3) var<storage, read> go: array<f32>;
@group(0) @binding(4) var<storage, read> stats: array<f32>;
@group(0) @binding(5) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(6) var<storage, read> colIdx: array<u32>;
@group(0) @binding(7) var<storage, read_write> outA: array<f32>;
@group(0) @binding(8) var<storage, read_write> outB: array<f32>;
// `forward` writes O to outA and the row statistics to outB (it binds no go or stats).

// Quad `col..col+3` of row `row` of u / z / go, zero past D. D is a constant: for a quad wholly
// inside (or outside) the row the test folds to one branch.
fn quadU(row: u32, col: u32) -> vec4<f32> {
  let b = row * D + col;
  if (col + 4u <= D) {
    return vec4<f32>(u[b], u[b + 1u], u[b + 2u], u[b + 3u]);
  }
  var r = vec4<f32>(0.0);
  if (col < D) { r.x = u[b]; }
  if (col + 1u < D) { r.y = u[b + 1u]; }
  if (col + 2u < D) { r.z = u[b + 2u]; }
  return r;
}

fn quadZ(row: u32, col: u32) -> vec4<f32> {
  let b = row * D + col;
  if (col + 4u <= D) {
    return vec4<f32>(z[b], z[b + 1u], z[b + 2u], z[b + 3u]);
  }
  var r = vec4<f32>(0.0);
  if (col < D) { r.x = z[b]; }
  if (col + 1u < D) { r.y = z[b + 1u]; }
  if (col + 2u < D) { r.z = z[b + 2u]; }
  return r;
}

fn quadGo(row: u32, col: u32) -> vec4<f32> {
  let b = row * D + col;
  if (col + 4u <= D) {
    return vec4<f32>(go[b], go[b + 1u], go[b + 2u], go[b + 3u]);
  }
  var r = vec4<f32>(0.0);
  if (col < D) { r.x = go[b]; }
  if (col + 1u < D) { r.y = go[b + 1u]; }
  if (col + 2u < D) { r.z = go[b + 2u]; }
  return r;
}

// Columns c0..c0+31 of a row (zero past D). Quads that start at or past D cost nothing: the
// branch is on constants when c0 is (one chunk), and uniform otherwise.
fn loadU(row: u32, c0: u32) -> Row8 {
  var r: Row8;
  r.q0 = quadU(row, c0);
  if (c0 + 4u < D) { r.q1 = quadU(row, c0 + 4u); }
  if (c0 + 8u < D) { r.q2 = quadU(row, c0 + 8u); }
  if (c0 + 12u < D) { r.q3 = quadU(row, c0 + 12u); }
  if (c0 + 16u < D) { r.q4 = quadU(row, c0 + 16u); }
  if (c0 + 20u < D) { r.q5 = quadU(row, c0 + 20u); }
  if (c0 + 24u < D) { r.q6 = quadU(row, c0 + 24u); }
  if (c0 + 28u < D) { r.q7 = quadU(row, c0 + 28u); }
  return r;
}

fn loadZ(row: u32, c0: u32) -> Row8 {
  var r: Row8;
  r.q0 = quadZ(row, c0);
  if (c0 + 4u < D) { r.q1 = quadZ(row, c0 + 4u); }
  if (c0 + 8u < D) { r.q2 = quadZ(row, c0 + 8u); }
  if (c0 + 12u < D) { r.q3 = quadZ(row, c0 + 12u); }
  if (c0 + 16u < D) { r.q4 = quadZ(row, c0 + 16u); }
  if (c0 + 20u < D) { r.q5 = quadZ(row, c0 + 20u); }
  if (c0 + 24u < D) { r.q6 = quadZ(row, c0 + 24u); }
  if (c0 + 28u < D) { r.q7 = quadZ(row, c0 + 28u); }
  return r;
}

fn loadGo(row: u32, c0: u32) -> Row8 {
  var r: Row8;
  r.q0 = quadGo(row, c0);
  if (c0 + 4u < D) { r.q1 = quadGo(row, c0 + 4u); }
  if (c0 + 8u < D) { r.q2 = quadGo(row, c0 + 8u); }
  if (c0 + 12u < D) { r.q3 = quadGo(row, c0 + 12u); }
  if (c0 + 16u < D) { r.q4 = quadGo(row, c0 + 16u); }
  if (c0 + 20u < D) { r.q5 = quadGo(row, c0 + 20u); }
  if (c0 + 24u < D) { r.q6 = quadGo(row, c0 + 24u); }
  if (c0 + 28u < D) { r.q7 = quadGo(row, c0 + 28u); }
  return r;
}

fn dot8(a: Row8, b: Row8) -> f32 {
  let s = a.q0 * b.q0 + a.q1 * b.q1 + a.q2 * b.q2 + a.q3 * b.q3
        + a.q4 * b.q4 + a.q5 * b.q5 + a.q6 * b.q6 + a.q7 * b.q7;
  return s.x + s.y + s.z + s.w;
}

// acc + w·x
fn axpy8(acc: Row8, w: f32, x: Row8) -> Row8 {
  return Row8(acc.q0 + w * x.q0, acc.q1 + w * x.q1, acc.q2 + w * x.q2, acc.q3 + w * x.q3,
              acc.q4 + w * x.q4, acc.q5 + w * x.q5, acc.q6 + w * x.q6, acc.q7 + w * x.q7);
}

fn scale8(a: Row8, c: f32) -> Row8 {
  return Row8(c * a.q0, c * a.q1, c * a.q2, c * a.q3, c * a.q4, c * a.q5, c * a.q6, c * a.q7);
}

fn zero8() -> Row8 {
  let o = vec4<f32>(0.0);
  return Row8(o, o, o, o, o, o, o, o);
}

// ⟨u_a, u_b⟩ over the whole width, from memory (rows wider than one chunk).
// The mask's walk along one own row: its masked partners in ascending order (the CSR rows are
// sorted), `next` the next one (NONE when none is left, or without the mask).
struct MaskWalk {
  e: u32,
  end: u32,
  next: u32,
}

fn maskWalk(own: u32) -> MaskWalk {
  var w = MaskWalk(0u, 0u, NONE);
  if (p.mask == 1u) {
    w.e = rowPtr[own];
    w.end = rowPtr[own + 1u];
  }
  if (w.e < w.end) {
    w.next = colIdx[w.e];
  }
  return w;
}

// Whether the pair (own, other) is masked out (other a listed partner, or other = own under the
// mask). Called with `other` ascending; steps the walk past `other`.
fn maskedOut(w: ptr<function, MaskWalk>, own: u32, other: u32) -> bool {
  if (other == (*w).next) {
    while ((*w).e < (*w).end && colIdx[(*w).e] == other) {
      (*w).e++;
    }
    (*w).next = NONE;
    if ((*w).e < (*w).end) {
      (*w).next = colIdx[(*w).e];
    }
    return true;
  }
  return p.mask == 1u && other == own;
}

// The forward's online softmax of one row: running max m, l = Σ exp(s − m), l2 = Σ exp(2(s − m)),
// acc = Σ exp(s − m) Z_j.
struct Online {
  m: f32,
  l: f32,
  l2: f32,
  acc: Row8,
}

fn onlineAdd(o: ptr<function, Online>, s: f32, zj: Row8) {
  if (s > (*o).m) {
    // Only when the max is tracked (or rounding lifts a unit-row score past m0).
    let c = exp((*o).m - s);
    (*o).acc = scale8((*o).acc, c);
    (*o).l *= c;
    (*o).l2 *= c * c;
    (*o).m = s;
  }
  let w = exp(s - (*o).m);
  (*o).l += w;
  (*o).l2 += w * w;
  (*o).acc = axpy8((*o).acc, w, zj);
}

// O_i = acc / l (0 for a row with no key left) and, from the first chunk, the statistics.
fn storeOnline(i: u32, c0: u32, o: Online) {
  var inv = 0.0;
  if (o.l > 0.0) {
    inv = 1.0 / o.l;
  }
  storeA8(i, c0, scale8(o.acc, inv));
  if (c0 == 0u) {
    outB[i * 4u] = o.m;
    outB[i * 4u + 1u] = o.l;
    outB[i * 4u + 2u] = o.l2;
    outB[i * 4u + 3u] = 0.0;
  }
}

fn dotUFromMemory(a: u32, b: u32) -> f32 {
  var su = vec4<f32>(0.0);
  for (var c = 0u; c < D; c += 4u) {
    su += quadU(a, c) * quadU(b, c);
  }
  return su.x + su.y + su.z + su.w;
}

// ⟨u_a, u_b⟩ and ⟨go_a, z_b⟩ over the whole width, from memory (rows wider than one chunk).
fn dotsFromMemory(a: u32, b: u32) -> vec2<f32> {
  var su = vec4<f32>(0.0);
  var sg = vec4<f32>(0.0);
  for (var c = 0u; c < D; c += 4u) {
    su += quadU(a, c) * quadU(b, c);
    sg += quadGo(a, c) * quadZ(b, c);
  }
  return vec2<f32>(su.x + su.y + su.z + su.w, sg.x + sg.y + sg.z + sg.w);
}

// Stores of the first min(4, D − col) lanes of a quad (each entry point binds only its outputs).
fn quadStoreA(row: u32, col: u32, v: vec4<f32>) {
  let b = row * D + col;
  for (var t = 0u; t < 4u && col + t < D; t++) {
    outA[b + t] = v[t];
  }
}

fn quadStoreB(row: u32, col: u32, v: vec4<f32>) {
  let b = row * D + col;
  for (var t = 0u; t < 4u && col + t < D; t++) {
    outB[b + t] = v[t];
  }
}

fn storeA8(row: u32, c0: u32, r: Row8) {
  quadStoreA(row, c0, r.q0);
  quadStoreA(row, c0 + 4u, r.q1);
  quadStoreA(row, c0 + 8u, r.q2);
  quadStoreA(row, c0 + 12u, r.q3);
  quadStoreA(row, c0 + 16u, r.q4);
  quadStoreA(row, c0 + 20u, r.q5);
  quadStoreA(row, c0 + 24u, r.q6);
  quadStoreA(row, c0 + 28u, r.q7);
}

fn storeB8(row: u32, c0: u32, r: Row8) {
  quadStoreB(row, c0, r.q0);
  quadStoreB(row, c0 + 4u, r.q1);
  quadStoreB(row, c0 + 8u, r.q2);
  quadStoreB(row, c0 + 12u, r.q3);
  quadStoreB(row, c0 + 16u, r.q4);
  quadStoreB(row, c0 + 20u, r.q5);
  quadStoreB(row, c0 + 24u, r.q6);
  quadStoreB(row, c0 + 28u, r.q7);
}

@compute @workgroup_size(64)
fn rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let chunks = (D + CW - 1u) / CW;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * chunks) {
    return;
  }
  let i = idx / chunks;
  let c0 = (idx % chunks) * CW;
  let m = stats[i * 4u];
  let l = stats[i * 4u + 1u];
  let di = stats[i * 4u + 3u];
  var acc = zero8();
  if (l > 0.0) {
    // The own row, for the dot products when one chunk holds it.
    let ui = loadU(i, 0u);
    let gi = loadGo(i, 0u);
    // Next masked key: i's neighbours in ascending order (none without the mask).
    var walk = maskWalk(i);
    for (var j = 0u; j < p.n; j++) {
      if (maskedOut(&walk, i, j)) {
        continue;
      }
      let uj = loadU(j, c0);
      var dots: vec2<f32>;
      if (D <= CW) {
        dots = vec2<f32>(dot8(ui, uj), dot8(gi, loadZ(j, 0u)));
      } else {
        dots = dotsFromMemory(i, j);
      }
      let s = exp(p.scale * dots.x - m) / l;
      acc = axpy8(acc, s * (dots.y - di), uj);
    }
  }
  storeA8(i, c0, acc);
}

@compute @workgroup_size(64)
fn cols(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let chunks = (D + CW - 1u) / CW;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * chunks) {
    return;
  }
  let j = idx / chunks;
  let c0 = (idx % chunks) * CW;
  // The own (key) row, for the dot products when one chunk holds it.
  let uj = loadU(j, 0u);
  let zj = loadZ(j, 0u);
  var vAcc = zero8();
  var kAcc = zero8();
  // Next masked query: the i that list j as a neighbour, ascending (the transposed pattern).
  var walk = maskWalk(j);
  for (var i = 0u; i < p.n; i++) {
    if (maskedOut(&walk, j, i)) {
      continue;
    }
    let l = stats[i * 4u + 1u];
    if (l <= 0.0) {
      continue;
    }
    let ui = loadU(i, c0);
    let gi = loadGo(i, c0);
    var dots: vec2<f32>;
    if (D <= CW) {
      dots = vec2<f32>(dot8(ui, uj), dot8(gi, zj));
    } else {
      dots = dotsFromMemory(i, j);
    }
    let s = exp(p.scale * dots.x - stats[i * 4u]) / l;
    vAcc = axpy8(vAcc, s, gi);
    kAcc = axpy8(kAcc, s * (dots.y - stats[i * 4u + 3u]), ui);
  }
  storeA8(j, c0, vAcc);
  storeB8(j, c0, kAcc);
}

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
  let chunks = (D + CW - 1u) / CW;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * chunks) {
    return;
  }
  let i = idx / chunks;
  let c0 = (idx % chunks) * CW;
  let ui = loadU(i, 0u);
  var o = Online(p.m0, 0.0, 0.0, zero8());
  var walk = maskWalk(i);
  for (var j = 0u; j < p.n; j++) {
    if (maskedOut(&walk, i, j)) {
      continue;
    }
    var s: f32;
    if (D <= CW) {
      s = p.scale * dot8(ui, loadU(j, 0u));
    } else {
      s = p.scale * dotUFromMemory(i, j);
    }
    onlineAdd(&o, s, loadZ(j, c0));
  }
  storeOnline(i, c0, o);
}

// ---- Tiled entry points, for D ≤ CW (one chunk): the hidden widths the trainer runs. ----
// One invocation per own row, 64 to a workgroup; the other side is walked in tiles of TK rows
// that the workgroup stages together in workgroup memory (each row read from storage once per
// workgroup instead of once per invocation), then every invocation reads the tile in the same
// order (a broadcast on GPUs, no bank conflicts). Per tile: 2 × TK × 8 quads (+ TK statistics)
// = 4.25 KiB for TK = 16. Invocations past N still take part in the loads and barriers and
// store nothing. Same pair arithmetic and summation order as the entry points above.

const TK: u32 = 16u;
var<workgroup> tileA: array<vec4<f32>, 128>; // TK × 8 quads: U of the tile's rows
var<workgroup> tileB: array<vec4<f32>, 128>; // Z (forward, rows) or G_O (cols)
var<workgroup> tileS: array<vec4<f32>, 16>; // cols: (m, l, D, 0) of the tile's rows

fn tileRowA(k: u32) -> Row8 {
  let b = k * 8u;
  return Row8(tileA[b], tileA[b + 1u], tileA[b + 2u], tileA[b + 3u],
              tileA[b + 4u], tileA[b + 5u], tileA[b + 6u], tileA[b + 7u]);
}

fn tileRowB(k: u32) -> Row8 {
  let b = k * 8u;
  return Row8(tileB[b], tileB[b + 1u], tileB[b + 2u], tileB[b + 3u],
              tileB[b + 4u], tileB[b + 5u], tileB[b + 6u], tileB[b + 7u]);
}

// Stage rows r0..r0+TK−1 (zero past N): U into tileA, Z into tileB. Quads past D stay zero
// (D ≤ 32 here). (Two functions, not one with a flag: an entry point binds only what the
// functions it calls read, and the forward binds no G_O.)
fn stageUZ(r0: u32, lid: u32) {
  for (var t = lid; t < TK * 8u; t += 64u) {
    let row = r0 + t / 8u;
    let col = (t % 8u) * 4u;
    var a = vec4<f32>(0.0);
    var b = vec4<f32>(0.0);
    if (row < p.n && col < D) {
      a = quadU(row, col);
      b = quadZ(row, col);
    }
    tileA[t] = a;
    tileB[t] = b;
  }
}

// The same with G_O into tileB (cols).
fn stageUGo(r0: u32, lid: u32) {
  for (var t = lid; t < TK * 8u; t += 64u) {
    let row = r0 + t / 8u;
    let col = (t % 8u) * 4u;
    var a = vec4<f32>(0.0);
    var b = vec4<f32>(0.0);
    if (row < p.n && col < D) {
      a = quadU(row, col);
      b = quadGo(row, col);
    }
    tileA[t] = a;
    tileB[t] = b;
  }
}

@compute @workgroup_size(64)
fn forwardTiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let own = linearWorkgroup(wid, nwg) * 64u + lid;
  let i = min(own, p.n - 1u);
  let ui = loadU(i, 0u);
  var o = Online(p.m0, 0.0, 0.0, zero8());
  var walk = maskWalk(i);
  for (var j0 = 0u; j0 < p.n; j0 += TK) {
    workgroupBarrier();
    stageUZ(j0, lid);
    workgroupBarrier();
    let count = min(TK, p.n - j0);
    for (var k = 0u; k < count; k++) {
      let j = j0 + k;
      if (maskedOut(&walk, i, j)) {
        continue;
      }
      onlineAdd(&o, p.scale * dot8(ui, tileRowA(k)), tileRowB(k));
    }
  }
  if (own >= p.n) {
    return;
  }
  storeOnline(i, 0u, o);
}

@compute @workgroup_size(64)
fn rowsTiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let own = linearWorkgroup(wid, nwg) * 64u + lid;
  let i = min(own, p.n - 1u);
  let m = stats[i * 4u];
  let l = stats[i * 4u + 1u];
  let di = stats[i * 4u + 3u];
  let hasKeys = l > 0.0;
  let ui = loadU(i, 0u);
  let gi = loadGo(i, 0u);
  var acc = zero8();
  var walk = maskWalk(i);
  for (var j0 = 0u; j0 < p.n; j0 += TK) {
    workgroupBarrier();
    stageUZ(j0, lid);
    workgroupBarrier();
    // (a row with l = 0 has S_i· = 0: it only helps stage the tiles)
    let count = select(0u, min(TK, p.n - j0), hasKeys);
    for (var k = 0u; k < count; k++) {
      let j = j0 + k;
      if (maskedOut(&walk, i, j)) {
        continue;
      }
      let uj = tileRowA(k);
      let s = exp(p.scale * dot8(ui, uj) - m) / l;
      acc = axpy8(acc, s * (dot8(gi, tileRowB(k)) - di), uj);
    }
  }
  if (own >= p.n) {
    return;
  }
  storeA8(i, 0u, acc);
}

@compute @workgroup_size(64)
fn colsTiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
             @builtin(local_invocation_index) lid: u32) {
  let own = linearWorkgroup(wid, nwg) * 64u + lid;
  let j = min(own, p.n - 1u);
  let uj = loadU(j, 0u);
  let zj = loadZ(j, 0u);
  var vAcc = zero8();
  var kAcc = zero8();
  var walk = maskWalk(j);
  for (var i0 = 0u; i0 < p.n; i0 += TK) {
    workgroupBarrier();
    stageUGo(i0, lid);
    if (lid < TK) {
      var st = vec4<f32>(0.0);
      if (i0 + lid < p.n) {
        let b = (i0 + lid) * 4u;
        st = vec4<f32>(stats[b], stats[b + 1u], stats[b + 3u], 0.0);
      }
      tileS[lid] = st;
    }
    workgroupBarrier();
    let count = min(TK, p.n - i0);
    for (var k = 0u; k < count; k++) {
      let i = i0 + k;
      if (maskedOut(&walk, j, i)) {
        continue;
      }
      let st = tileS[k];
      if (st.y <= 0.0) {
        continue;
      }
      let ui = tileRowA(k);
      let gi = tileRowB(k);
      let s = exp(p.scale * dot8(ui, uj) - st.x) / st.y;
      vAcc = axpy8(vAcc, s, gi);
      kAcc = axpy8(kAcc, s * (dot8(gi, zj) - st.z), ui);
    }
  }
  if (own >= p.n) {
    return;
  }
  storeA8(j, 0u, vAcc);
  storeB8(j, 0u, kAcc);
}
