// The chunked Gram records of gram.wgsl (same layout, same numerics: chunk-centred rows, exact
// products summed float-float) for hardware GPUs. gram.wgsl gives a chunk of 1,024 rows to one
// workgroup (or to d·d/4 lanes each walking all of them), so a layer of a few thousand rows keeps
// only a handful of workgroups busy and leaves most of a GPU idle. Here:
//   `meansCooperative`: a 256-lane workgroup per (chunk, 16 columns), 16 row lanes × 16 column
//     lanes (column fastest: a row's columns are read by consecutive lanes), each row lane taking
//     every 16th row; the 16 float-float partial sums of a column are added by a tree in workgroup
//     memory (lanes of a step touch consecutive words: no bank conflicts), for the mean, then
//     again for the residual sum around that mean.
//   `gramSlices`: the chunk's rows cut into `slices` row tiles of CHUNK/slices rows; a workgroup
//     per (upper 64×64 tile pair of G, chunk, row tile) computes that tile's Gram over its rows
//     (gram.wgsl's tiled product: 4×4 per lane in vec4 accumulators, 16 rows staged at a time) into
//     a partial record of `parts`: T = d(d+1)/2 hi then T lo, upper triangle as in gram.wgsl.
//   `gramFold`: one lane per (chunk, triangle entry) adds the slices' (hi, lo) pairs float-float
//     into the chunk's record.
// The float-float helpers (hi12, dot2, twoSum) are float_float.wgsl, and the record layout and
// the tile-pair product gram_tiles.wgsl, both prepended by the engine.

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  offset: u32,
  /** Row tiles per chunk (a power of two ≤ 64, so that each has a multiple of 16 rows). */
  slices: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> outp: array<f32>;
@group(0) @binding(3) var<storage, read_write> parts: array<f32>;

const COL_LANES: u32 = 16u;
const ROW_LANES: u32 = 16u;

var<workgroup> sumHi: array<f32, 256>;
var<workgroup> sumLo: array<f32, 256>;

// Adds the 16 row lanes' (hi, lo) pairs of each column; the total sits at sumHi/sumLo[column lane].
// Call from uniform control flow (barriers).
fn reduceRowLanes(lid: u32, hi: f32, lo: f32) {
  sumHi[lid] = hi;
  sumLo[lid] = lo;
  workgroupBarrier();
  let rowLane = lid / COL_LANES;
  for (var s = ROW_LANES / 2u; s > 0u; s = s / 2u) {
    if (rowLane < s) {
      var a = sumHi[lid];
      var b = sumLo[lid] + sumLo[lid + s * COL_LANES];
      twoSum(&a, &b, sumHi[lid + s * COL_LANES]);
      sumHi[lid] = a;
      sumLo[lid] = b;
    }
    workgroupBarrier();
  }
}

// Workgroups: x over ⌈d/16⌉ column blocks, y over chunks.
@compute @workgroup_size(256)
fn meansCooperative(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let colLane = lid % COL_LANES;
  let c = wid.x * COL_LANES + colLane;
  let rowLane = lid / COL_LANES;
  let chunk = wid.y;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var s = 0.0;
  var t = 0.0;
  if (c < p.d) {
    for (var r = r0 + rowLane; r < r1; r += ROW_LANES) {
      twoSum(&s, &t, h[r * p.d + c]);
    }
  }
  reduceRowLanes(lid, s, t);
  let m = (sumHi[colLane] + sumLo[colLane]) / f32(r1 - r0);
  // Every lane has read its column's mean before the tree is reused.
  workgroupBarrier();
  // The residual Σ fl(H_ic − m), which the host needs because m is rounded.
  var rs = 0.0;
  var rt = 0.0;
  if (c < p.d) {
    for (var r = r0 + rowLane; r < r1; r += ROW_LANES) {
      twoSum(&rs, &rt, h[r * p.d + c] - m);
    }
  }
  reduceRowLanes(lid, rs, rt);
  if (rowLane == 0u && c < p.d) {
    let base = chunkBase(chunk);
    outp[base + c] = m;
    outp[base + p.d + c] = sumHi[lid] + sumLo[lid];
  }
}


// Writes the (hi, lo) pair of G[a][b..b+3] into a partial record, upper triangle only.
fn storePart(a: u32, b: u32, record: u32, hi: vec4<f32>, lo: vec4<f32>) {
  if (a >= p.d) {
    return;
  }
  let tri = triangle();
  for (var t = 0u; t < 4u; t++) {
    if (b + t >= a && b + t < p.d) {
      let e = triIndex(a, b + t);
      parts[record + e] = hi[t];
      parts[record + tri + e] = lo[t];
    }
  }
}

// Workgroups: x over the tile pairs (ta ≤ tb) of the ⌈d/64⌉² tiles of G, y over chunks × slices.
@compute @workgroup_size(16, 16)
fn gramSlices(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>,
              @builtin(local_invocation_index) lid: u32) {
  let tiles = (p.d + TILE - 1u) / TILE;
  // Tile pair x → (ta, tb): row ta of the upper triangle of tiles holds tiles − ta pairs.
  var ta = 0u;
  var rest = wid.x;
  while (ta + 1u < tiles && rest >= tiles - ta) {
    rest -= tiles - ta;
    ta++;
  }
  let a0 = ta * TILE;
  let b0 = (ta + rest) * TILE;
  let chunk = wid.y / p.slices;
  let slice = wid.y % p.slices;
  let base = chunkBase(chunk);
  let chunkEnd = min(chunk * CHUNK + CHUNK, p.n);
  let sliceRows = CHUNK / p.slices;
  let r0 = chunk * CHUNK + slice * sliceRows;
  let r1 = min(r0 + sliceRows, chunkEnd);
  // An empty row tile (past N in the last chunk) writes zeros.
  let t = tilePair(a0, b0, r0, r1, base, lid, lid3.x, lid3.y);
  let record = wid.y * 2u * triangle();
  let a = a0 + lid3.y * 4u;
  let b = b0 + lid3.x * 4u;
  storePart(a, b, record, t.hi0, t.lo0);
  storePart(a + 1u, b, record, t.hi1, t.lo1);
  storePart(a + 2u, b, record, t.hi2, t.lo2);
  storePart(a + 3u, b, record, t.hi3, t.lo3);
}

// Workgroups: 1-D over chunks × T invocations (folded past 65535).
@compute @workgroup_size(64)
fn gramFold(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_index) lid: u32) {
  let tri = triangle();
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * tri) {
    return;
  }
  let chunk = idx / tri;
  let e = idx % tri;
  var hi = 0.0;
  var lo = 0.0;
  for (var s = 0u; s < p.slices; s++) {
    let record = (chunk * p.slices + s) * 2u * tri;
    lo += parts[record + tri + e];
    twoSum(&hi, &lo, parts[record + e]);
  }
  let o = chunkBase(chunk) + 2u * p.d;
  outp[o + e] = hi;
  outp[o + tri + e] = lo;
}
