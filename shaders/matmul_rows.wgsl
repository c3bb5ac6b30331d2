// Dense product C (M×N) = A (M×K) · B (K×N) for the skinny case of a layer, H·W with small K and
// N (the hidden width): one invocation per row and four consecutive columns, a plain loop over
// K, no workgroup memory and no barriers. W is small enough to stay in cache, and barriers are
// what a tiled kernel pays most for on CPU-emulated adapters (SwiftShader); matmul.wgsl's tiles
// are used when K is large.

struct Params {
  m: u32,
  k: u32,
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let quads = (p.n + 3u) / 4u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.m * quads) {
    return;
  }
  let row = idx / quads;
  let col = (idx % quads) * 4u;
  var acc = vec4<f32>(0.0);
  let aRow = row * p.k;
  if (col + 3u < p.n) {
    for (var kk = 0u; kk < p.k; kk++) {
      let bb = kk * p.n + col;
      acc += a[aRow + kk] * vec4<f32>(b[bb], b[bb + 1u], b[bb + 2u], b[bb + 3u]);
    }
  } else {
    for (var kk = 0u; kk < p.k; kk++) {
      let bb = kk * p.n + col;
      var bq = vec4<f32>(b[bb], 0.0, 0.0, 0.0);
      if (col + 1u < p.n) { bq.y = b[bb + 1u]; }
      if (col + 2u < p.n) { bq.z = b[bb + 2u]; }
      acc += a[aRow + kk] * bq;
    }
  }
  let o = row * p.n + col;
  c[o] = acc.x;
  if (col + 1u < p.n) { c[o + 1u] = acc.y; }
  if (col + 2u < p.n) { c[o + 2u] = acc.z; }
  if (col + 3u < p.n) { c[o + 3u] = acc.w; }
}
