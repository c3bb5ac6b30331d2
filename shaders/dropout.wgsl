// Inverted dropout, forward and backward, one invocation per element:
//   outp = m_i · x + β · y    (m_i term with useMask = 1, else x itself; β·y with useY = 1)
// m_i is 1/(1 − p) (kept) or 0 (dropped), drawn here as src/training/model.ts draws it, so the
// GPU and the float64 reference trainer drop exactly the same entries:
//   h_i = fmix32((key + i·0x9E3779B9) mod 2³²),  kept when h_i/2³² ≥ p, i.e. h_i ≥ threshold
// with key = dropoutKey(seed, epoch, site) and threshold = ⌈p·2³²⌉ from the CPU (dropoutThreshold:
// h_i/2³² and p·2³² are exact in float64, so the integer test is the float test). Nothing is
// uploaded per epoch but the two integers. The backward pass calls the same kernel with the same
// key on the gradient (∂(m·x)/∂x = m), and β·y adds the residual path's gradient in the same pass.

struct Params {
  count: u32,
  useY: u32,
  useMask: u32,
  key: u32,
  threshold: u32,
  keep: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> outp: array<f32>;

// MurmurHash3's 32-bit finalizer (src/engine/random.ts fmix32); u32 arithmetic wraps mod 2³².
fn fmix32(k: u32) -> u32 {
  var h = k;
  h ^= h >> 16u;
  h *= 0x85ebca6bu;
  h ^= h >> 13u;
  h *= 0xc2b2ae35u;
  h ^= h >> 16u;
  return h;
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
    let h = fmix32(p.key + i * 0x9e3779b9u);
    v *= select(0.0, p.keep, h >= p.threshold);
  }
  if (p.useY == 1u) {
    v += p.beta * y[i];
  }
  outp[i] = v;
}
