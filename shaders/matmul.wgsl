// Dense product C (M×N) = A (M×K) · B (K×N), all row-major.
// A 64×64 tile of C per workgroup; each of the 16×16 invocations owns a 4×4 block,
// so every value staged in workgroup memory is reused 4 times from registers.
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
var<workgroup> bTile: array<f32, 1024>; // KT × TILE columns

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row0 = (wid.y + wid.z * nwg.y) * TILE;
  let col0 = wid.x * TILE;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc: array<f32, 16>;
  for (var q = 0u; q < 16u; q++) {
    acc[q] = 0.0;
  }
  for (var k0 = 0u; k0 < p.k; k0 += KT) {
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 256u;
      let r = row0 + e / KT;
      let kk = k0 + e % KT;
      var va = 0.0;
      if (r < p.m && kk < p.k) {
        va = a[r * p.k + kk];
      }
      aTile[e] = va;
      let kb = k0 + e / TILE;
      let cb = col0 + e % TILE;
      var vb = 0.0;
      if (kb < p.k && cb < p.n) {
        vb = b[kb * p.n + cb];
      }
      bTile[e] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var r = 0u; r < 4u; r++) {
        av[r] = aTile[(ty * 4u + r) * KT + kk];
        bv[r] = bTile[kk * TILE + tx * 4u + r];
      }
      for (var r = 0u; r < 4u; r++) {
        for (var s = 0u; s < 4u; s++) {
          acc[r * 4u + s] += av[r] * bv[s];
        }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let gr = row0 + ty * 4u + r;
    for (var s = 0u; s < 4u; s++) {
      let gc = col0 + tx * 4u + s;
      if (gr < p.m && gc < p.n) {
        c[gr * p.n + gc] = acc[r * 4u + s];
      }
    }
  }
}
