// Backward of the dense product Y = H·W (H n×k, W k×m), given G = ∂L/∂Y (n×m):
//   weightPartial + weightFinalize: ∂L/∂W = Hᵀ G, a reduction over the n rows. No float atomics:
//     each invocation sums one chunk of CHUNK rows for one row a of ∂W and four consecutive
//     columns (a vec4 accumulator), writing partials[chunk][a][b..b+3]; the finalize pass adds the
//     chunks per entry in a fixed order, so the result is deterministic and scales to any n.
//   matmulNT: ∂L/∂H = G Wᵀ, one invocation per row of G and four consecutive columns of the result,
//     reading W transposed in place (no transpose pass; W is small enough to stay in cache).

struct Params {
  n: u32,
  k: u32,
  m: u32,
  chunks: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;

const CHUNK: u32 = 256u;

fn loadQuad4(row: u32, col: u32) -> vec4<f32> {
  // g row `row`, columns col..col+3 (zero past m)
  let base = row * p.m + col;
  var q = vec4<f32>(g[base], 0.0, 0.0, 0.0);
  if (col + 1u < p.m) { q.y = g[base + 1u]; }
  if (col + 2u < p.m) { q.z = g[base + 2u]; }
  if (col + 3u < p.m) { q.w = g[base + 3u]; }
  return q;
}

@compute @workgroup_size(64)
fn weightPartial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_index) lid: u32) {
  let quads = (p.m + 3u) / 4u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * p.k * quads) {
    return;
  }
  let chunk = idx / (p.k * quads);
  let rem = idx % (p.k * quads);
  let a = rem / quads;
  let b = (rem % quads) * 4u;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var acc = vec4<f32>(0.0);
  for (var r = r0; r < r1; r++) {
    let x = h[r * p.k + a];
    if (x != 0.0) { // bag-of-words inputs are mostly zeros
      acc += x * loadQuad4(r, b);
    }
  }
  let o = (chunk * p.k + a) * p.m + b;
  partials[o] = acc.x;
  if (b + 1u < p.m) { partials[o + 1u] = acc.y; }
  if (b + 2u < p.m) { partials[o + 2u] = acc.z; }
  if (b + 3u < p.m) { partials[o + 3u] = acc.w; }
}

@compute @workgroup_size(64)
fn weightFinalize(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  let size = p.k * p.m;
  if (idx >= size) {
    return;
  }
  var acc = 0.0;
  for (var c = 0u; c < p.chunks; c++) {
    acc += partials[c * size + idx];
  }
  outp[idx] = acc;
}

// matmulNT: outp (n×k) = g (n×m) · hᵀ where `h` is bound to W (k×m).
@compute @workgroup_size(64)
fn matmulNT(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let quads = (p.k + 3u) / 4u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * quads) {
    return;
  }
  let row = idx / quads;
  let col = (idx % quads) * 4u;
  // Rows of W past k read row k−1 (in bounds) and are never stored.
  let c1 = min(col + 1u, p.k - 1u);
  let c2 = min(col + 2u, p.k - 1u);
  let c3 = min(col + 3u, p.k - 1u);
  var acc = vec4<f32>(0.0);
  for (var t = 0u; t < p.m; t++) {
    let x = g[row * p.m + t];
    acc += x * vec4<f32>(h[col * p.m + t], h[c1 * p.m + t], h[c2 * p.m + t], h[c3 * p.m + t]);
  }
  let o = row * p.k + col;
  outp[o] = acc.x;
  if (col + 1u < p.k) { outp[o + 1u] = acc.y; }
  if (col + 2u < p.k) { outp[o + 2u] = acc.z; }
  if (col + 3u < p.k) { outp[o + 3u] = acc.w; }
}
