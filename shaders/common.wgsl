// Shared by every kernel: the engine prepends this file to each shader module.

// Dispatches are folded into two dimensions because a single dimension is capped at
// 65535 workgroups (maxComputeWorkgroupsPerDimension); kernels recover a linear index.
fn linearWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// WGSL has no isnan/isinf: a float is non-finite exactly when its exponent bits are all ones.
fn isFiniteF32(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// Some implementations evaluate tanh as a ratio of exponentials that overflows to NaN
// for large |x|; tanh(±15) is already ±1 in float32, so clamp first.
fn safeTanh(x: f32) -> f32 {
  return tanh(clamp(x, -15.0, 15.0));
}

// Scores use this instead of -inf (WGSL has no infinity literal); exp(x - m) of it is 0.
const NEG_BIG: f32 = -3.0e38;
