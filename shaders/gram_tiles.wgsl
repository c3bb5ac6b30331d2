// The part of the Gram records that gram.wgsl and gram_cooperative.wgsl share, prepended to each
// by the engine (after float_float.wgsl): the record layout, and the tiled product of one 64×64
// tile pair of the chunk-centred Gram over a range of rows. Each module declares `p` (with n, d,
// offset), `h` (the rows) and `outp` (the records, whose means `centered` reads).

const CHUNK: u32 = 1024u;
const TILE: u32 = 64u;
const KT: u32 = 16u;

fn chunkBase(chunk: u32) -> u32 {
  return p.offset + chunk * (2u * p.d + p.d * (p.d + 1u));
}

fn triangle() -> u32 {
  return p.d * (p.d + 1u) / 2u;
}

// Position of G_ab (a ≤ b) in the packed upper triangle: rows 0..a−1 hold d, d−1, … entries.
fn triIndex(a: u32, b: u32) -> u32 {
  return a * (2u * p.d - a + 1u) / 2u + (b - a);
}

var<workgroup> aTile: array<f32, 1024>; // KT rows × TILE columns (the a side)
var<workgroup> bTile: array<vec4<f32>, 256>; // KT rows × TILE/4 column quads (the b side)

// Row r, column c of the chunk centred on its means (at `base`); zero past the range or past d.
fn centered(r: u32, c: u32, r1: u32, base: u32) -> f32 {
  if (r >= r1 || c >= p.d) {
    return 0.0;
  }
  return h[r * p.d + c] - outp[base + c];
}

// One lane's 4×4 block of a tile pair: rows a0 + 4ty .. +3 against the quad of columns b0 + 4tx,
// each entry a float-float pair (hi, lo).
struct TileSums {
  hi0: vec4<f32>,
  hi1: vec4<f32>,
  hi2: vec4<f32>,
  hi3: vec4<f32>,
  lo0: vec4<f32>,
  lo1: vec4<f32>,
  lo2: vec4<f32>,
  lo3: vec4<f32>,
}

// The tile pair (a0, b0) of Σ_{r0 ≤ r < r1} c_r c_rᵀ by a 16×16 workgroup, rows staged KT at a
// time in workgroup memory (laid out like matmul.wgsl: the a side read as a broadcast, the b side
// as consecutive quads). An empty range gives zeros. Call from uniform control flow (barriers).
fn tilePair(a0: u32, b0: u32, r0: u32, r1: u32, base: u32, lid: u32, tx: u32, ty: u32) -> TileSums {
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var err0 = vec4<f32>(0.0);
  var err1 = vec4<f32>(0.0);
  var err2 = vec4<f32>(0.0);
  var err3 = vec4<f32>(0.0);
  for (var k0 = r0; k0 < r1; k0 += KT) {
    for (var t = 0u; t < 4u; t++) {
      let e = lid + t * 256u;
      aTile[e] = centered(k0 + e / TILE, a0 + e % TILE, r1, base);
    }
    let rb = k0 + lid / 16u;
    let cb = b0 + (lid % 16u) * 4u;
    bTile[lid] = vec4<f32>(centered(rb, cb, r1, base), centered(rb, cb + 1u, r1, base),
                           centered(rb, cb + 2u, r1, base), centered(rb, cb + 3u, r1, base));
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      let bq = bTile[kk * 16u + tx];
      dot2(&acc0, &err0, vec4<f32>(aTile[kk * TILE + ty * 4u]), bq);
      dot2(&acc1, &err1, vec4<f32>(aTile[kk * TILE + ty * 4u + 1u]), bq);
      dot2(&acc2, &err2, vec4<f32>(aTile[kk * TILE + ty * 4u + 2u]), bq);
      dot2(&acc3, &err3, vec4<f32>(aTile[kk * TILE + ty * 4u + 3u]), bq);
    }
    workgroupBarrier();
  }
  return TileSums(acc0, acc1, acc2, acc3, err0, err1, err2, err3);
}
