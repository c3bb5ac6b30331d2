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

// Row i's Σ H_ic², its count of non-finite entries and its Dirichlet sum, over the columns
// c = first, first + stride, … (all of them: first 0, stride 1).
fn rowPartials(i: u32, first: u32, stride: u32) -> vec3<f32> {
  let base = i * p.d;
  var sq = 0.0;
  var bad = 0.0;
  for (var c = first; c < p.d; c += stride) {
    let t = h[base + c];
    if (!isFiniteF32(t)) {
      bad += 1.0;
    }
    sq += t * t;
  }
  var energy = 0.0;
  if (p.hasGraph == 1u) {
    let end = rowPtr[i + 1u];
    for (var e = rowPtr[i]; e < end; e++) {
      let j = colIdx[e];
      if (j == i) {
        continue;
      }
      for (var c = first; c < p.d; c += stride) {
        let t = h[base + c] - h[j * p.d + c];
        energy += t * t;
      }
    }
  }
  return vec3<f32>(sq, bad, energy);
}

// The row's four quantities from its totals (sq, bad, energy).
fn storeRow(i: u32, totals: vec3<f32>) {
  let inv = 1.0 / max(sqrt(totals.x), 1e-12);
  rows[i * 4u] = inv;
  rows[i * 4u + 1u] = totals.x * inv * inv;
  rows[i * 4u + 2u] = totals.y;
  rows[i * 4u + 3u] = totals.z;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  storeRow(i, rowPartials(i, 0u, 1u));
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
  // Rows past N still reach every barrier below, with zeros.
  var part = vec3<f32>(0.0);
  if (i < p.n) {
    part = rowPartials(i, lane, COOP_LANES);
  }
  coopSq[lid] = part.x;
  coopBad[lid] = part.y;
  coopEnergy[lid] = part.z;
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
    storeRow(i, vec3<f32>(coopSq[lid], coopBad[lid], coopEnergy[lid]));
  }
}
