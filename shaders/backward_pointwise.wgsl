// Element-wise steps of the backward pass (and the forward's dropout), one invocation per element.
//
// actBackward: outp = α · g · act'(pre), act'(x) = [x > 0] (relu), 1 − tanh²(x) (tanh), 1 (none);
//   `pre` is the activation's input (the normalized Z); α folds in the residual's factor.
//
// dropout: outp = mask[i] · x + β · y   (mask term dropped with useMask = 0, β·y with useY = 0).
//   Inverted dropout: mask[i] is 0 (dropped) or 1/(1 − p) (kept), uploaded from the CPU each
//   epoch as src/training/model.ts's dropoutMask draws it (Rng(seed, DROPOUT_DOMAIN, epoch, site)),
//   so the GPU and the float64 reference trainer drop exactly the same entries and a run is
//   reproducible. The backward pass calls the same kernel with the same mask on the gradient
//   (∂(mask·x)/∂x = mask), and β·y adds the residual path's gradient in the same pass.

struct Params {
  count: u32,
  act: u32,
  useY: u32,
  useMask: u32,
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> outp: array<f32>;
@group(0) @binding(4) var<storage, read> mask: array<f32>;

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

@compute @workgroup_size(64)
fn dropout(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.count) {
    return;
  }
  var v = x[i];
  if (p.useMask == 1u) {
    v *= mask[i];
  }
  if (p.useY == 1u) {
    v += p.beta * y[i];
  }
  outp[i] = v;
}
