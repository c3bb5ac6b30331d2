// Dense product C (M×N) = A (M×K) · B (K×N), all row-major.
// A 64×64 tile of C per workgroup; each of the 16×16 invocations owns a 4×4 block held in four
// vec4 accumulators, so every value staged in workgroup memory is reused 4 times from registers.
// No private arrays: some compilers (SwiftShader's, notably) keep indexed private arrays in
// memory, which costs several times the arithmetic.
// Workgroups: x over column tiles, y (folded with z beyond 65535) over row tiles.

struct Params {
  m: u32,
  k: u32,
  n: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const TILE: u32 = 64u;
const KT: u32 = 16u;

var<workgroup> aTile: array<f32, 1024>; // TILE rows × KT
var<workgroup> bTile: array<vec4<f32>, 256>; // KT rows × TILE/4 column quads

fn storeRow(row: u32, col: u32, v: vec4<f32>) {
  if (row >= p.m) {
    return;
  }
  let base = row * p.n + col;
  if (col < p.n) { c[base] = v.x; }
  if (col + 1u < p.n) { c[base + 1u] = v.y; }
  if (col + 2u < p.n) { c[base + 2u] = v.z; }
  if (col + 3u < p.n) { c[base + 3u] = v.w; }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row0 = (wid.y + wid.z * nwg.y) * TILE;
  let col0 = wid.x * TILE;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < p.k; k0 += KT) {
    // A tile: 1024 values, 4 per invocation.
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 256u;
      let r = row0 + e / KT;
      let kk = k0 + e % KT;
      var va = 0.0;
      if (r < p.m && kk < p.k) {
        va = a[r * p.k + kk];
      }
      aTile[e] = va;
    }
    // B tile: 256 column quads, one per invocation.
    let kb = k0 + lid / 16u;
    let cb = col0 + (lid % 16u) * 4u;
    var vb = vec4<f32>(0.0);
    if (kb < p.k) {
      let base = kb * p.n + cb;
      if (cb < p.n) { vb.x = b[base]; }
      if (cb + 1u < p.n) { vb.y = b[base + 1u]; }
      if (cb + 2u < p.n) { vb.z = b[base + 2u]; }
      if (cb + 3u < p.n) { vb.w = b[base + 3u]; }
    }
    bTile[lid] = vb;
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      let bq = bTile[kk * 16u + tx];
      acc0 += aTile[(ty * 4u) * KT + kk] * bq;
      acc1 += aTile[(ty * 4u + 1u) * KT + kk] * bq;
      acc2 += aTile[(ty * 4u + 2u) * KT + kk] * bq;
      acc3 += aTile[(ty * 4u + 3u) * KT + kk] * bq;
    }
    workgroupBarrier();
  }
  let col = col0 + tx * 4u;
  storeRow(row0 + ty * 4u, col, acc0);
  storeRow(row0 + ty * 4u + 1u, col, acc1);
  storeRow(row0 + ty * 4u + 2u, col, acc2);
  storeRow(row0 + ty * 4u + 3u, col, acc3);
}
