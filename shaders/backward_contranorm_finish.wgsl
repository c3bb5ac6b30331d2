// Last step of ContraNorm's backward (see backward_contranorm.wgsl), one invocation per row:
//   ∂L/∂U = scale · (rowsTerm + colsTerm)
//   ∂L/∂Z = direct + valueTerm + rn'(Z)ᵀ ∂L/∂U
// where `direct` = a·∂L/∂x from backward_layernorm.wgsl, and for U = rn(Z) = Z/‖Z‖ (rn = 1)
//   rn'(Z)ᵀ g = (g − U ⟨U, g⟩) / ‖Z‖   (‖Z‖ ≥ 1e-12; below the floor U = Z/1e-12, so g/1e-12),
// or U = Z itself for the `paper` form (rn = 0).

struct Params {
  n: u32,
  d: u32,
  rn: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> direct: array<f32>;
@group(0) @binding(3) var<storage, read> rowsTerm: array<f32>;
@group(0) @binding(4) var<storage, read> valueTerm: array<f32>;
@group(0) @binding(5) var<storage, read> colsTerm: array<f32>;
@group(0) @binding(6) var<storage, read_write> outp: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  let base = i * p.d;
  var inv = 1.0;
  var proj = 0.0; // ⟨U, ∂L/∂U⟩
  if (p.rn == 1u) {
    var sq = 0.0;
    for (var c = 0u; c < p.d; c++) {
      sq += z[base + c] * z[base + c];
    }
    let norm = sqrt(sq);
    inv = 1.0 / max(norm, 1e-12);
    if (norm >= 1e-12) {
      for (var c = 0u; c < p.d; c++) {
        proj += z[base + c] * inv * p.scale * (rowsTerm[base + c] + colsTerm[base + c]);
      }
    }
  }
  for (var c = 0u; c < p.d; c++) {
    let du = p.scale * (rowsTerm[base + c] + colsTerm[base + c]);
    var dz = du;
    if (p.rn == 1u) {
      dz = (du - z[base + c] * inv * proj) * inv;
    }
    outp[base + c] = direct[base + c] + valueTerm[base + c] + dz;
  }
}
