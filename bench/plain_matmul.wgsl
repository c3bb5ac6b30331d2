// The benchmark's yardstick: the textbook 16×16 shared-memory tiled matrix product
// C (M×N) = A (M×K) · B (K×N), all row-major float32. One invocation per output entry;
// each workgroup stages a 16×16 tile of A and of B per step along K. No register blocking,
// no vectorization: what a plain, competent WGSL matmul reaches on this adapter.

struct Params {
  m: u32,
  k: u32,
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const T: u32 = 16u;

var<workgroup> aTile: array<f32, 256>;
var<workgroup> bTile: array<f32, 256>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wid.y * T + lid.y;
  let col = wid.x * T + lid.x;
  var acc = 0.0;
  for (var k0 = 0u; k0 < p.k; k0 += T) {
    let ka = k0 + lid.x;
    var va = 0.0;
    if (row < p.m && ka < p.k) {
      va = a[row * p.k + ka];
    }
    aTile[lid.y * T + lid.x] = va;
    let kb = k0 + lid.y;
    var vb = 0.0;
    if (kb < p.k && col < p.n) {
      vb = b[kb * p.n + col];
    }
    bTile[lid.y * T + lid.x] = vb;
    workgroupBarrier();
    for (var kk = 0u; kk < T; kk++) {
      acc += aTile[lid.y * T + kk] * bTile[kk * T + lid.x];
    }
    workgroupBarrier();
  }
  if (row < p.m && col < p.n) {
    c[row * p.n + col] = acc;
  }
}
