// The activation's backward, one invocation per element (dropout is dropout.wgsl):
//   outp = α · g · act'(pre), act'(x) = [x > 0] (relu), 1 − tanh²(x) (tanh), 1 (none);
//   `pre` is the activation's input (the normalized Z); α folds in the residual's factor.

struct Params {
  count: u32,
  act: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> outp: array<f32>;

// actBackward: x = pre-activation, y = upstream gradient.
@compute @workgroup_size(64)
fn actBackward(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.count) {
    return;
  }
  var d = 1.0;
  if (p.act == 1u) {
    d = select(0.0, 1.0, x[i] > 0.0);
  } else if (p.act == 2u) {
    let t = safeTanh(x[i]);
    d = 1.0 - t * t;
  }
  outp[i] = p.alpha * y[i] * d;
}
