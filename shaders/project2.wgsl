// The embedding picture's coordinates: out[outOffset + 2i + {0, 1}] = (U_i · a, U_i · b) for the
// row-normalized rows U = rn(H) (rownorm.wgsl) and the two axes a, b chosen on the host
// (src/math/projection.ts), so that the host reads back N×2 numbers of a layer instead of N×d.
//
// Sixteen lanes share a row: consecutive lanes read consecutive vec4s of it (coalesced, each row
// read once), four rows per 64-lane workgroup. The sixteen partial dot products of a row are
// added by a tree in workgroup memory: x and y in separate f32 arrays, so the lanes of a step
// touch consecutive words (no bank conflicts). `rows4` needs d and both offsets divisible by 4;
// `rows` is the scalar form for any d, with the same lane layout.

fn at(i: u32) -> f32 {
  return u4[i >> 2u][i & 3u];
}

fn axis(i: u32) -> f32 {
  return axes4[i >> 2u][i & 3u];
}

struct Params {
  n: u32,
  d: u32,
  /** Offsets in floats: where U starts in `u`, the axes (a then b, d each) in `axes`, the output in `out`. */
  uOffset: u32,
  axesOffset: u32,
  outOffset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
// Bound whole (their sizes are multiples of 16 bytes); `rows` reads single floats out of the vec4s.
@group(0) @binding(1) var<storage, read> u4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> axes4: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

const LANES: u32 = 16u;
const ROWS: u32 = 4u;

var<workgroup> sumX: array<f32, 64>;
var<workgroup> sumY: array<f32, 64>;

// Adds the sixteen partial sums of each row and writes its two coordinates.
fn finishRow(lid: u32, row: u32, x: f32, y: f32) {
  sumX[lid] = x;
  sumY[lid] = y;
  workgroupBarrier();
  let lane = lid % LANES;
  for (var s = LANES / 2u; s > 0u; s = s / 2u) {
    if (lane < s) {
      sumX[lid] += sumX[lid + s];
      sumY[lid] += sumY[lid + s];
    }
    workgroupBarrier();
  }
  if (lane == 0u && row < p.n) {
    out[p.outOffset + 2u * row] = sumX[lid];
    out[p.outOffset + 2u * row + 1u] = sumY[lid];
  }
}

@compute @workgroup_size(64)
fn rows4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
         @builtin(local_invocation_index) lid: u32) {
  let row = linearWorkgroup(wid, nwg) * ROWS + lid / LANES;
  let lane = lid % LANES;
  let quads = p.d / 4u;
  var x = 0.0;
  var y = 0.0;
  // Rows past n skip the loads but still take part in the barriers of finishRow.
  if (row < p.n) {
    let base = (p.uOffset / 4u) + row * quads;
    let a0 = p.axesOffset / 4u;
    for (var q = lane; q < quads; q += LANES) {
      let v = u4[base + q];
      x += dot(v, axes4[a0 + q]);
      y += dot(v, axes4[a0 + quads + q]);
    }
  }
  finishRow(lid, row, x, y);
}

@compute @workgroup_size(64)
fn rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = linearWorkgroup(wid, nwg) * ROWS + lid / LANES;
  let lane = lid % LANES;
  var x = 0.0;
  var y = 0.0;
  if (row < p.n) {
    let base = p.uOffset + row * p.d;
    for (var c = lane; c < p.d; c += LANES) {
      let v = at(base + c);
      x += v * axis(p.axesOffset + c);
      y += v * axis(p.axesOffset + p.d + c);
    }
  }
  finishRow(lid, row, x, y);
}
