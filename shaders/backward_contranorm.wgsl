// Backward of ContraNorm's O = S·Z (SPEC §1.3), S = softmax_row(scale · U Uᵀ) with U = rn(Z)
// (or U = Z for the `paper` form), streamed like FlashAttention-2's backward: S is never stored;
// each entry is recomputed from the forward's saved row statistics (streaming_softmax.wgsl's
// stats: m_i = row max, l_i = Σ_j exp(s_ij − m_i)) as S_ij = exp(s_ij − m_i)/l_i.
// Given G_O = ∂L/∂O and D_i = ⟨G_O,i, O_i⟩ (stats slot 3, from backward_layernorm.wgsl):
//   value path:   ∂L/∂Z_j  += Σ_i S_ij G_O,i                          (Sᵀ G_O)
//   softmax:      dP_ij = S_ij (⟨G_O,i, Z_j⟩ − D_i)                    (∂L/∂s_ij)
//   scores:       ∂L/∂U_i = scale (Σ_j dP_ij U_j + Σ_j dP_ji U_j)      (s is symmetric in U)
// `rows` accumulates Σ_j dP_ij U_j into outA; `cols` accumulates Σ_i S_ij G_O,i into outA and
// Σ_i dP_ij U_i into outB. backward_contranorm_finish.wgsl adds the pieces and the row
// normalization's backward.
// One invocation per (row, chunk of 16 output columns), walking the other index alone: no
// workgroup memory and no barriers (on CPU-emulated adapters such as SwiftShader a barrier costs
// far more than the arithmetic, and this layout measured several times faster than a tiled one),
// and the 16 columns live in four vec4 registers (indexed private arrays would sit in memory
// there). The two d-long dot products of each pair are recomputed by each of the ⌈d/16⌉ chunks.
// mask = 1 (`mask` variant): pairs with j = i or j a graph neighbour of i get S_ij = 0, found by
// binary search in i's sorted CSR row. A row with nothing left (l_i = 0) has S_i· = 0.

struct Params {
  n: u32,
  d: u32,
  mask: u32,
  scale: f32,
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

fn masked(i: u32, j: u32) -> bool {
  if (p.mask == 0u) {
    return false;
  }
  if (i == j) {
    return true;
  }
  var lo = rowPtr[i];
  var hi = rowPtr[i + 1u];
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    let c = colIdx[mid];
    if (c == j) {
      return true;
    }
    if (c < j) {
      lo = mid + 1u;
    } else {
      hi = mid;
    }
  }
  return false;
}

// (S_ij, dP_ij) for query row i and key j.
fn pairWeights(i: u32, j: u32) -> vec2<f32> {
  let l = stats[i * 4u + 1u];
  if (l <= 0.0 || masked(i, j)) {
    return vec2<f32>(0.0);
  }
  var dotU = 0.0;
  var dotGZ = 0.0;
  let bi = i * p.d;
  let bj = j * p.d;
  for (var t = 0u; t < p.d; t++) {
    dotU += u[bi + t] * u[bj + t];
    dotGZ += go[bi + t] * z[bj + t];
  }
  let s = exp(p.scale * dotU - stats[i * 4u]) / l;
  return vec2<f32>(s, s * (dotGZ - stats[i * 4u + 3u]));
}

// Four consecutive entries of row `row` of u (which = 0) or go (which = 1), zero past d.
fn quad(which: u32, row: u32, col: u32) -> vec4<f32> {
  var r = vec4<f32>(0.0);
  let base = row * p.d + col;
  if (which == 0u) {
    if (col < p.d) { r.x = u[base]; }
    if (col + 1u < p.d) { r.y = u[base + 1u]; }
    if (col + 2u < p.d) { r.z = u[base + 2u]; }
    if (col + 3u < p.d) { r.w = u[base + 3u]; }
  } else {
    if (col < p.d) { r.x = go[base]; }
    if (col + 1u < p.d) { r.y = go[base + 1u]; }
    if (col + 2u < p.d) { r.z = go[base + 2u]; }
    if (col + 3u < p.d) { r.w = go[base + 3u]; }
  }
  return r;
}

fn storeA(row: u32, col: u32, v: vec4<f32>) {
  let base = row * p.d + col;
  if (col < p.d) { outA[base] = v.x; }
  if (col + 1u < p.d) { outA[base + 1u] = v.y; }
  if (col + 2u < p.d) { outA[base + 2u] = v.z; }
  if (col + 3u < p.d) { outA[base + 3u] = v.w; }
}

fn storeB(row: u32, col: u32, v: vec4<f32>) {
  let base = row * p.d + col;
  if (col < p.d) { outB[base] = v.x; }
  if (col + 1u < p.d) { outB[base + 1u] = v.y; }
  if (col + 2u < p.d) { outB[base + 2u] = v.z; }
  if (col + 3u < p.d) { outB[base + 3u] = v.w; }
}

@compute @workgroup_size(64)
fn rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let chunks = (p.d + 15u) / 16u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * chunks) {
    return;
  }
  let i = idx / chunks;
  let c0 = (idx % chunks) * 16u;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var j = 0u; j < p.n; j++) {
    let w = pairWeights(i, j).y;
    if (w != 0.0) {
      a0 += w * quad(0u, j, c0);
      a1 += w * quad(0u, j, c0 + 4u);
      a2 += w * quad(0u, j, c0 + 8u);
      a3 += w * quad(0u, j, c0 + 12u);
    }
  }
  storeA(i, c0, a0);
  storeA(i, c0 + 4u, a1);
  storeA(i, c0 + 8u, a2);
  storeA(i, c0 + 12u, a3);
}

@compute @workgroup_size(64)
fn cols(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let chunks = (p.d + 15u) / 16u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * chunks) {
    return;
  }
  let j = idx / chunks;
  let c0 = (idx % chunks) * 16u;
  var v0 = vec4<f32>(0.0);
  var v1 = vec4<f32>(0.0);
  var v2 = vec4<f32>(0.0);
  var v3 = vec4<f32>(0.0);
  var k0 = vec4<f32>(0.0);
  var k1 = vec4<f32>(0.0);
  var k2 = vec4<f32>(0.0);
  var k3 = vec4<f32>(0.0);
  for (var i = 0u; i < p.n; i++) {
    let w = pairWeights(i, j);
    if (w.x != 0.0) {
      v0 += w.x * quad(1u, i, c0);
      v1 += w.x * quad(1u, i, c0 + 4u);
      v2 += w.x * quad(1u, i, c0 + 8u);
      v3 += w.x * quad(1u, i, c0 + 12u);
      k0 += w.y * quad(0u, i, c0);
      k1 += w.y * quad(0u, i, c0 + 4u);
      k2 += w.y * quad(0u, i, c0 + 8u);
      k3 += w.y * quad(0u, i, c0 + 12u);
    }
  }
  storeA(j, c0, v0);
  storeA(j, c0 + 4u, v1);
  storeA(j, c0 + 8u, v2);
  storeA(j, c0 + 12u, v3);
  storeB(j, c0, k0);
  storeB(j, c0 + 4u, k1);
  storeB(j, c0 + 8u, k2);
  storeB(j, c0 + 12u, k3);
}
