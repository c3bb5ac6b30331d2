// rn(H)_i = H_i / max(‖H_i‖₂, 1e-12) (SPEC notation), the input of ContraNorm's similarity.
// One invocation per row.

struct Params {
  n: u32,
  d: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> outp: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  let base = i * p.d;
  var sq = 0.0;
  for (var c = 0u; c < p.d; c++) {
    let t = h[base + c];
    sq += t * t;
  }
  let inv = 1.0 / max(sqrt(sq), 1e-12);
  for (var c = 0u; c < p.d; c++) {
    outp[base + c] = h[base + c] * inv;
  }
}
