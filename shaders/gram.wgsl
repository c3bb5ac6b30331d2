// Chunked Gram matrices for the spectrum and the consensus distance μ, one invocation per
// (chunk of CHUNK rows, a, b):
//   chunk mean m_a, and the chunk-centered Gram C_ab = Σ_{i ∈ chunk} (H_ia − m_a)(H_ib − m_b).
// Layout at outp[offset + chunk·(d + d²)]: d means, then the d×d block.
// The host combines chunks in float64: HᵀH = Σ_k (C_k + n_k m_k m_kᵀ), and the column-centered
// Gram = Σ_k C_k + Σ_k n_k (m_k − γ)(m_k − γ)ᵀ. Centering inside each chunk keeps float32
// cancellation out of μ and the centered spectrum exactly when rows become nearly equal.

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> outp: array<f32>;

const CHUNK: u32 = 1024u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let dd = p.d * p.d;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * dd) {
    return;
  }
  let chunk = idx / dd;
  let ab = idx % dd;
  let a = ab / p.d;
  let b = ab % p.d;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  let rows = f32(r1 - r0);
  var sa = 0.0;
  var sb = 0.0;
  for (var r = r0; r < r1; r++) {
    sa += h[r * p.d + a];
    sb += h[r * p.d + b];
  }
  let ma = sa / rows;
  let mb = sb / rows;
  var acc = 0.0;
  for (var r = r0; r < r1; r++) {
    acc += (h[r * p.d + a] - ma) * (h[r * p.d + b] - mb);
  }
  let base = p.offset + chunk * (p.d + dd);
  outp[base + p.d + ab] = acc;
  if (a == b) {
    outp[base + a] = ma;
  }
}
