// Backward of BatchNorm and PairNorm (SPEC §1.3), whose statistics are columns over all N rows.
// z is the normalization's input, g = ∂L/∂(output), `stats` the forward's column statistics of z
// (column_stats.wgsl: mean_c, var_c, and (1/N) Σ_c M2_c at 2d). Two column sums are needed:
//   A_c = Σ_i g_ic    and    B_c = Σ_i g_ic (z_ic − mean_c)
// computed like column_stats.wgsl without float atomics: `partial` sums one chunk of CHUNK rows
// per (chunk, column); `finalize` (one workgroup) adds the chunks and writes
//   gstats[c] = A_c, gstats[d + c] = B_c, gstats[2d] = Σ_c B_c.
// `apply`, per element, with r_c = 1/sqrt(var_c + 1e-5), ρ = sqrt(1e-6 + (1/N) Σ_c M2_c):
//   BatchNorm (mode 0): ∂L/∂z = r_c (g − A_c/N − (z − mean_c) r_c² B_c/N)
//   PairNorm  (mode 1): ∂L/∂z = (s/ρ) (g − A_c/N − (z − mean_c) (Σ_c B_c)/(N ρ²))
// (PairNorm: the column-mean term of (z − mean) cancels because Σ_i (z_ic − mean_c) = 0.)

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  mode: u32,
  pairnormScale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;
@group(0) @binding(5) var<storage, read_write> gstats: array<f32>;
@group(0) @binding(6) var<storage, read_write> outp: array<f32>;

const CHUNK: u32 = 256u;

@compute @workgroup_size(64)
fn partial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * p.d) {
    return;
  }
  let chunk = idx / p.d;
  let c = idx % p.d;
  let mean = stats[c];
  let r1 = min(chunk * CHUNK + CHUNK, p.n);
  var sa = 0.0;
  var sb = 0.0;
  for (var r = chunk * CHUNK; r < r1; r++) {
    let gv = g[r * p.d + c];
    sa += gv;
    sb += gv * (z[r * p.d + c] - mean);
  }
  partials[idx * 2u] = sa;
  partials[idx * 2u + 1u] = sb;
}

@compute @workgroup_size(256)
fn finalize(@builtin(local_invocation_index) lid: u32) {
  var myTotal = 0.0;
  for (var c = lid; c < p.d; c += 256u) {
    var sa = 0.0;
    var sb = 0.0;
    for (var k = 0u; k < p.chunks; k++) {
      sa += partials[(k * p.d + c) * 2u];
      sb += partials[(k * p.d + c) * 2u + 1u];
    }
    gstats[c] = sa;
    gstats[p.d + c] = sb;
    myTotal += sb;
  }
  let total = workgroupSum256(lid, myTotal); // workgroup_sum.wgsl
  if (lid == 0u) {
    gstats[2u * p.d] = total;
  }
}

@compute @workgroup_size(64)
fn apply(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * p.d) {
    return;
  }
  let c = idx % p.d;
  let fn_ = f32(p.n);
  let centered = z[idx] - stats[c];
  let gc = g[idx] - gstats[c] / fn_;
  if (p.mode == 0u) {
    let r = 1.0 / sqrt(stats[p.d + c] + 1e-5);
    outp[idx] = r * (gc - centered * r * r * gstats[p.d + c] / fn_);
  } else {
    let rho2 = 1e-6 + stats[2u * p.d];
    let f = p.pairnormScale / sqrt(rho2);
    outp[idx] = f * (gc - centered * gstats[2u * p.d] / (fn_ * rho2));
  }
}
