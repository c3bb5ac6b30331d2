// Backward of the row-local LayerNorm step Y = LN(a·X + b·V) (SPEC §1.3: biased variance,
// eps 1e-5, no affine), one invocation per row. With x = a·X + b·V, x̂ = (x − mean)·r,
// r = 1/sqrt(var + eps) and g = ∂L/∂Y:
//   ∂L/∂x = r · (g − mean(g) − x̂ · mean(g ⊙ x̂))
// written as outp = a · ∂L/∂x (the gradient reaching X directly).
// ContraNorm (contra = 1), where V = S·Z: also go = b · ∂L/∂x (the gradient of the S·Z output,
// G_O), and stats[4i + 3] = D_i = ⟨G_O,i, (S·Z)_i⟩, the softmax-backward row term of
// backward_contranorm.wgsl (slots 0..2 hold the forward's row max and sums, left untouched).
// Two passes over the row for the statistics, as the forward (rowwise.wgsl) does.

struct Params {
  n: u32,
  d: u32,
  contra: u32,
  a: f32,
  b: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> g: array<f32>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;
@group(0) @binding(5) var<storage, read_write> go: array<f32>;
@group(0) @binding(6) var<storage, read_write> stats: array<f32>;

fn combined(idx: u32) -> f32 {
  var val = p.a * x[idx];
  if (p.contra == 1u) {
    val += p.b * v[idx];
  }
  return val;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  let base = i * p.d;
  let fd = f32(p.d);
  var mean = 0.0;
  for (var c = 0u; c < p.d; c++) {
    mean += combined(base + c);
  }
  mean = mean / fd;
  var vs = 0.0;
  for (var c = 0u; c < p.d; c++) {
    let t = combined(base + c) - mean;
    vs += t * t;
  }
  let r = 1.0 / sqrt(vs / fd + 1e-5);
  var gMean = 0.0;
  var gxMean = 0.0;
  for (var c = 0u; c < p.d; c++) {
    let gc = g[base + c];
    gMean += gc;
    gxMean += gc * (combined(base + c) - mean) * r;
  }
  gMean = gMean / fd;
  gxMean = gxMean / fd;
  var dsum = 0.0;
  for (var c = 0u; c < p.d; c++) {
    let xh = (combined(base + c) - mean) * r;
    let dx = r * (g[base + c] - gMean - xh * gxMean);
    outp[base + c] = p.a * dx;
    if (p.contra == 1u) {
      let gov = p.b * dx;
      go[base + c] = gov;
      dsum += gov * v[base + c];
    }
  }
  if (p.contra == 1u) {
    stats[i * 4u + 3u] = dsum;
  }
}
