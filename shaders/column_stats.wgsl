// Column statistics over all N rows, for BatchNorm (per-column mean and variance) and PairNorm
// (column means and the mean squared norm of the centered rows).
// Pass `partial`: one invocation per (chunk of CHUNK rows, column): the chunk's mean and its
// sum of squared deviations M2, two passes over the chunk for stability.
// Pass `finalize`: one workgroup combines the chunks per column with Chan et al.'s parallel
// formula (no E[x²] − E[x]² cancellation) and writes
//   stats[c] = mean_c, stats[d + c] = var_c (biased), stats[2d] = (1/N) Σ_c M2_c.

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;

const CHUNK: u32 = 256u;

@compute @workgroup_size(64)
fn partial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * p.d) {
    return;
  }
  let chunk = idx / p.d;
  let c = idx % p.d;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var sum = 0.0;
  for (var r = r0; r < r1; r++) {
    sum += h[r * p.d + c];
  }
  let mean = sum / f32(r1 - r0);
  var m2 = 0.0;
  for (var r = r0; r < r1; r++) {
    let t = h[r * p.d + c] - mean;
    m2 += t * t;
  }
  partials[idx * 2u] = mean;
  partials[idx * 2u + 1u] = m2;
}

@compute @workgroup_size(256)
fn finalize(@builtin(local_invocation_index) lid: u32) {
  var myTotal = 0.0;
  for (var c = lid; c < p.d; c += 256u) {
    var mean = 0.0;
    for (var k = 0u; k < p.chunks; k++) {
      let rows = f32(min(CHUNK, p.n - k * CHUNK));
      mean += rows * partials[(k * p.d + c) * 2u];
    }
    mean = mean / f32(p.n);
    var m2 = 0.0;
    for (var k = 0u; k < p.chunks; k++) {
      let rows = f32(min(CHUNK, p.n - k * CHUNK));
      let dm = partials[(k * p.d + c) * 2u] - mean;
      m2 += partials[(k * p.d + c) * 2u + 1u] + rows * dm * dm;
    }
    stats[c] = mean;
    stats[p.d + c] = m2 / f32(p.n);
    myTotal += m2;
  }
  let total = workgroupSum256(lid, myTotal); // workgroup_sum.wgsl
  if (lid == 0u) {
    stats[2u * p.d] = total / f32(p.n);
  }
}
