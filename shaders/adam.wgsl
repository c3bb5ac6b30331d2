// Adam with L2 weight decay folded into the gradient, PyTorch's `Adam(weight_decay=wd)`:
//   g ← g + wd·w ;  m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g²
//   w ← w − lr · (m / (1−β₁ᵗ)) / (sqrt(v / (1−β₂ᵗ)) + eps)
// PyTorch computes the last line as w − (lr/bc₁) · m / (sqrt(v)/sqrt(bc₂) + eps); the host passes
// stepSize = lr/bc₁ and invSqrtBc2 = 1/sqrt(bc₂) computed in float64. One invocation per entry of
// the flat parameter buffer (every weight matrix, back to back).

struct Params {
  count: u32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weightDecay: f32,
  stepSize: f32,
  invSqrtBc2: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> w: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.count) {
    return;
  }
  let grad = g[i] + p.weightDecay * w[i];
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * grad;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * grad * grad;
  m[i] = mi;
  v[i] = vi;
  w[i] = w[i] - p.stepSize * mi / (sqrt(vi) * p.invSqrtBc2 + p.eps);
}
