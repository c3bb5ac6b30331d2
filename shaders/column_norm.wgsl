// Apply the column statistics of column_stats.wgsl:
// mode 0, BatchNorm: (z − mean_c) / sqrt(var_c + 1e-5)            (SPEC §1.3, no affine)
// mode 1, PairNorm:  s_pn · (z − mean_c) / sqrt(1e-6 + (1/N) Σ_i ‖z_i − mean‖²)
// One invocation per element.

struct Params {
  n: u32,
  d: u32,
  mode: u32,
  pairnormScale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read_write> outp: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * p.d) {
    return;
  }
  let c = idx % p.d;
  let centered = z[idx] - stats[c];
  if (p.mode == 0u) {
    outp[idx] = centered / sqrt(stats[p.d + c] + 1e-5);
  } else {
    outp[idx] = p.pairnormScale * centered / sqrt(1e-6 + stats[2u * p.d]);
  }
}
