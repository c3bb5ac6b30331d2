// Per-row quantities behind the layer metrics (SPEC §2), one invocation per row i:
//   rows[4i]     = 1 / max(‖H_i‖, 1e-12)            (row normalization, for the mean cosine)
//   rows[4i + 1] = ‖rn(H_i)‖²                       (1 except for zero rows)
//   rows[4i + 2] = number of NaN/Inf entries in H_i   (divergence detection)
//   rows[4i + 3] = Σ_{j ∈ N(i)} ‖H_i − H_j‖²         (Dirichlet energy; graph only, self loops excluded)
// The per-row values are summed per chunk by metric_chunks.wgsl and finished in float64 on the host.

struct Params {
  n: u32,
  d: u32,
  hasGraph: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(3) var<storage, read> colIdx: array<u32>;
@group(0) @binding(4) var<storage, read_write> rows: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  let base = i * p.d;
  var sq = 0.0;
  var bad = 0u;
  for (var c = 0u; c < p.d; c++) {
    let t = h[base + c];
    if (!isFiniteF32(t)) {
      bad++;
    }
    sq += t * t;
  }
  let norm = sqrt(sq);
  let inv = 1.0 / max(norm, 1e-12);
  var energy = 0.0;
  if (p.hasGraph == 1u) {
    let end = rowPtr[i + 1u];
    for (var e = rowPtr[i]; e < end; e++) {
      let j = colIdx[e];
      if (j == i) {
        continue;
      }
      for (var c = 0u; c < p.d; c++) {
        let t = h[base + c] - h[j * p.d + c];
        energy += t * t;
      }
    }
  }
  rows[i * 4u] = inv;
  rows[i * 4u + 1u] = sq * inv * inv;
  rows[i * 4u + 2u] = f32(bad);
  rows[i * 4u + 3u] = energy;
}

// The same quantities for hardware GPUs (`cooperative`): sixteen lanes share a row, so that
// consecutive lanes read consecutive words of it (coalesced; `main` has each lane walk a row of
// its own, d words apart from its neighbours'), sixteen rows per 256-lane workgroup. Each lane
// takes the columns c ≡ lane (mod 16) of its row and of every neighbour's; the sixteen partial
// sums of a row are added by a tree in workgroup memory, one array per quantity, so the lanes of
// a step touch consecutive words (no bank conflicts).

const COOP_LANES: u32 = 16u;

var<workgroup> coopSq: array<f32, 256>;
var<workgroup> coopBad: array<f32, 256>;
var<workgroup> coopEnergy: array<f32, 256>;

@compute @workgroup_size(256)
fn cooperative(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let lane = lid % COOP_LANES;
  let i = linearWorkgroup(wid, nwg) * (256u / COOP_LANES) + lid / COOP_LANES;
  var sq = 0.0;
  var bad = 0.0;
  var energy = 0.0;
  // Rows past N still reach every barrier below, with zeros.
  if (i < p.n) {
    let base = i * p.d;
    for (var c = lane; c < p.d; c += COOP_LANES) {
      let t = h[base + c];
      if (!isFiniteF32(t)) {
        bad += 1.0;
      }
      sq += t * t;
    }
    if (p.hasGraph == 1u) {
      let end = rowPtr[i + 1u];
      for (var e = rowPtr[i]; e < end; e++) {
        let j = colIdx[e];
        if (j == i) {
          continue;
        }
        for (var c = lane; c < p.d; c += COOP_LANES) {
          let t = h[base + c] - h[j * p.d + c];
          energy += t * t;
        }
      }
    }
  }
  coopSq[lid] = sq;
  coopBad[lid] = bad;
  coopEnergy[lid] = energy;
  workgroupBarrier();
  for (var s = COOP_LANES / 2u; s > 0u; s = s / 2u) {
    if (lane < s) {
      coopSq[lid] += coopSq[lid + s];
      coopBad[lid] += coopBad[lid + s];
      coopEnergy[lid] += coopEnergy[lid + s];
    }
    workgroupBarrier();
  }
  if (lane == 0u && i < p.n) {
    let rowSq = coopSq[lid];
    let inv = 1.0 / max(sqrt(rowSq), 1e-12);
    rows[i * 4u] = inv;
    rows[i * 4u + 1u] = rowSq * inv * inv;
    rows[i * 4u + 2u] = coopBad[lid];
    rows[i * 4u + 3u] = coopEnergy[lid];
  }
}
