// Chunk sums of the per-row metric quantities, one invocation per (chunk, slot):
//   slot c < d : Σ_{i ∈ chunk} rn(H)_ic                       (→ mean cosine similarity)
//   slot d     : Σ ‖rn(H_i)‖²    slot d+1: Σ NaN/Inf count    slot d+2: Σ Dirichlet terms
// Written at outp[offset + chunk·(d+3) + slot]; the host adds the chunks in float64.
// Summed with TwoSum into a (sum, error) pair so that 1,024 sequential float32 additions cost no
// more than one rounding (the mean cosine is ‖Σ rn(H_i)‖² less N: it cancels as rows align).

struct Params {
  n: u32,
  d: u32,
  chunks: u32,
  offset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> rows: array<f32>;
@group(0) @binding(3) var<storage, read_write> outp: array<f32>;

const CHUNK: u32 = 1024u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let slots = p.d + 3u;
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * slots) {
    return;
  }
  let chunk = idx / slots;
  let slot = idx % slots;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var acc = 0.0;
  var err = 0.0;
  if (slot < p.d) {
    for (var r = r0; r < r1; r++) {
      addTwoSum(&acc, &err, h[r * p.d + slot] * rows[r * 4u]);
    }
  } else {
    let field = slot - p.d + 1u;
    for (var r = r0; r < r1; r++) {
      addTwoSum(&acc, &err, rows[r * 4u + field]);
    }
  }
  outp[p.offset + idx] = acc + err;
}

// Knuth's TwoSum: (*s, *t) += x with the rounding error of s + x kept in t.
fn addTwoSum(s: ptr<function, f32>, t: ptr<function, f32>, x: f32) {
  let sum = *s + x;
  let bv = sum - *s;
  *t += (*s - (sum - bv)) + (x - bv);
  *s = sum;
}

// The same sums for hardware GPUs (`cooperative`): `main` walks a chunk's 1,024 rows serially in
// one lane per slot, a few workgroups in all. Here a 256-lane workgroup takes one chunk and 16
// slots: its lanes are 16 row lanes × 16 slot lanes (slot fastest, so a row's slots are read by
// consecutive lanes), each row lane summing every 16th row of the chunk with TwoSum. The 16
// (sum, error) pairs of a slot are then added by a tree in workgroup memory, float-float
// (TwoSum of the sums, the errors added): no more rounding than the serial sum. Lanes of a step
// touch consecutive words (no bank conflicts).
// Workgroups: x over ⌈(d+3)/16⌉ slot blocks, y over chunks.

const SLOT_LANES: u32 = 16u;
const ROW_LANES: u32 = 16u;

var<workgroup> partSum: array<f32, 256>;
var<workgroup> partErr: array<f32, 256>;

@compute @workgroup_size(256)
fn cooperative(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let slots = p.d + 3u;
  let slot = wid.x * SLOT_LANES + lid % SLOT_LANES;
  let rowLane = lid / SLOT_LANES;
  let chunk = wid.y;
  let r0 = chunk * CHUNK;
  let r1 = min(r0 + CHUNK, p.n);
  var acc = 0.0;
  var err = 0.0;
  if (slot < p.d) {
    for (var r = r0 + rowLane; r < r1; r += ROW_LANES) {
      addTwoSum(&acc, &err, h[r * p.d + slot] * rows[r * 4u]);
    }
  } else if (slot < slots) {
    let field = slot - p.d + 1u;
    for (var r = r0 + rowLane; r < r1; r += ROW_LANES) {
      addTwoSum(&acc, &err, rows[r * 4u + field]);
    }
  }
  partSum[lid] = acc;
  partErr[lid] = err;
  workgroupBarrier();
  for (var s = ROW_LANES / 2u; s > 0u; s = s / 2u) {
    if (rowLane < s) {
      var hi = partSum[lid];
      var lo = partErr[lid] + partErr[lid + s * SLOT_LANES];
      addTwoSum(&hi, &lo, partSum[lid + s * SLOT_LANES]);
      partSum[lid] = hi;
      partErr[lid] = lo;
    }
    workgroupBarrier();
  }
  if (rowLane == 0u && slot < slots) {
    outp[p.offset + chunk * slots + slot] = partSum[lid] + partErr[lid];
  }
}
