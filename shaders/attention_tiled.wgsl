// out = softmax_row(scale · Q Kᵀ, optionally masked) · V, organised as FlashAttention-2 is, for
// hardware GPUs (software adapters run streaming_softmax.wgsl). Used for self-attention and for
// ContraNorm's S·Z, like that kernel, with the same parameters and the same row statistics.
//
// One invocation owns one query row: its Q row (≤ 64 columns) and its output accumulators
// (one chunk of ≤ 64 columns of V) live in registers, so the softmax weights P never leave
// them and every lane works in every step. A workgroup of BR = 64 rows walks its key range in
// tiles of TJ keys; each tile of K and of V is loaded once into workgroup memory by all 64
// lanes in consecutive addresses (coalesced), and every lane then reads the same element at the
// same time (a broadcast: no bank conflicts). Workgroup memory is TJ·(DKQ + DVQ)·16 bytes,
// 16 KiB at most (WebGPU's default limit).
//
// The widths are pipeline-overridable constants (DKQ, DVQ: column quads), so the loops over
// columns have fixed trip counts that the driver's compiler unrolls, keeping the private arrays
// in registers.
//
// Online softmax per key: the running maximum m starts at `fixedMax` (ContraNorm's unit-norm
// rows give scores ≤ 1/τ: with m = 1/τ from the start no rescaling ever happens; attention
// passes NEG_BIG) and is raised, rescaling l, l2 and the accumulators, only when a score
// exceeds it.
//
// Split keys: when N gives too few row blocks to fill the GPU, workgroups along z take disjoint
// key ranges (keysPerSplit each) and write partial (acc, m, l, l2); attention_combine merges
// them. splits = 1 writes the final output (and the statistics) directly.
//
// mask = 1 (ContraNorm `mask`): j = i and the graph neighbours of i (CSR, columns sorted) are
// excluded; the neighbour list is walked alongside the ascending key index, from a binary-search
// start at the key range's first key. A row with nothing left gets out = 0 (l = 0).

struct Params {
  n: u32,
  dk: u32,
  dv: u32,
  mask: u32,
  writeStats: u32,
  scale: f32,
  fixedMax: f32,
  splits: u32,
  keysPerSplit: u32,
  rowBlockOffset: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(5) var<storage, read> colIdx: array<u32>;
@group(0) @binding(6) var<storage, read_write> outp: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<f32>;

const BR: u32 = 64u; // query rows per workgroup, one per invocation
override DKQ: u32 = 16u; // quads of Q/K columns (⌈dk/4⌉ ≤ 16)
override DVQ: u32 = 16u; // quads of V columns per output chunk (≤ 16)
override TJ: u32 = 32u; // keys per tile
override KTILE: u32 = 512u; // TJ · DKQ
override VTILE: u32 = 512u; // TJ · DVQ

var<workgroup> kTile: array<vec4<f32>, KTILE>;
var<workgroup> vTile: array<vec4<f32>, VTILE>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (p.rowBlockOffset + wid.x) * BR + lid;
  let rowValid = i < p.n;
  let c0 = wid.y * DVQ * 4u; // first output column of this chunk
  let keyStart = wid.z * p.keysPerSplit;
  let keyEnd = min(p.n, keyStart + p.keysPerSplit);

  var qr: array<vec4<f32>, 16>;
  var acc: array<vec4<f32>, 16>;
  for (var x = 0u; x < DKQ; x++) {
    var quad = vec4<f32>(0.0);
    if (rowValid) {
      let base = i * p.dk + 4u * x;
      for (var c = 0u; c < 4u; c++) {
        if (4u * x + c < p.dk) {
          quad[c] = q[base + c];
        }
      }
    }
    qr[x] = quad;
  }
  for (var x = 0u; x < DVQ; x++) {
    acc[x] = vec4<f32>(0.0);
  }
  var m = p.fixedMax;
  var l = 0.0;
  var l2 = 0.0;

  // The neighbour list from the first neighbour ≥ keyStart (binary search).
  var nb = 0u;
  var nbEnd = 0u;
  if (rowValid && p.mask == 1u) {
    var lo = rowPtr[i];
    var hi = rowPtr[i + 1u];
    nbEnd = hi;
    while (lo < hi) {
      let mid = (lo + hi) / 2u;
      if (colIdx[mid] < keyStart) {
        lo = mid + 1u;
      } else {
        hi = mid;
      }
    }
    nb = lo;
  }

  for (var j0 = keyStart; j0 < keyEnd; j0 += TJ) {
    workgroupBarrier();
    // Stage the tile: element e of the padded TJ × 4·DKQ block, consecutive e in consecutive lanes.
    let kw = 4u * DKQ;
    for (var e = lid; e < TJ * kw; e += 64u) {
      let row = e / kw;
      let col = e % kw;
      var x = 0.0;
      if (col < p.dk && j0 + row < keyEnd) {
        x = k[(j0 + row) * p.dk + col];
      }
      kTile[e / 4u][e % 4u] = x;
    }
    let vw = 4u * DVQ;
    for (var e = lid; e < TJ * vw; e += 64u) {
      let row = e / vw;
      let col = c0 + e % vw;
      var x = 0.0;
      if (col < p.dv && j0 + row < keyEnd) {
        x = v[(j0 + row) * p.dv + col];
      }
      vTile[e / 4u][e % 4u] = x;
    }
    workgroupBarrier();

    let count = min(TJ, keyEnd - j0);
    for (var jj = 0u; jj < count; jj++) {
      let j = j0 + jj;
      var keep = rowValid;
      if (p.mask == 1u) {
        while (nb < nbEnd && colIdx[nb] < j) {
          nb++;
        }
        if (j == i || (nb < nbEnd && colIdx[nb] == j)) {
          keep = false;
        }
      }
      if (keep) {
        var s = 0.0;
        for (var x = 0u; x < DKQ; x++) {
          s += dot(qr[x], kTile[jj * DKQ + x]);
        }
        s *= p.scale;
        if (s > m) {
          let corr = exp(m - s);
          l *= corr;
          l2 *= corr * corr;
          for (var x = 0u; x < DVQ; x++) {
            acc[x] *= corr;
          }
          m = s;
        }
        let w = exp(s - m);
        l += w;
        l2 += w * w;
        for (var x = 0u; x < DVQ; x++) {
          acc[x] += w * vTile[jj * DVQ + x];
        }
      }
    }
  }

  if (!rowValid) {
    return;
  }
  let isFinal = p.splits == 1u;
  var inv = 1.0;
  if (isFinal) {
    inv = select(0.0, 1.0 / l, l > 0.0);
  }
  // Final: out (N × dv). Partial: split z's slab of N × dv, then its (m, l, l2) in stats.
  let rowBase = (wid.z * p.n + i) * p.dv;
  for (var x = 0u; x < DVQ; x++) {
    let quad = acc[x] * inv;
    for (var c = 0u; c < 4u; c++) {
      let col = c0 + 4u * x + c;
      if (col < p.dv) {
        outp[rowBase + col] = quad[c];
      }
    }
  }
  if (wid.y == 0u && (!isFinal || p.writeStats == 1u)) {
    let sb = (wid.z * p.n + i) * 4u;
    stats[sb] = m;
    stats[sb + 1u] = l;
    stats[sb + 2u] = l2;
    stats[sb + 3u] = 0.0;
  }
}

struct CombineParams {
  n: u32,
  dv: u32,
  splits: u32,
  writeStats: u32,
}

@group(0) @binding(0) var<uniform> cp: CombineParams;
@group(0) @binding(1) var<storage, read> partAcc: array<f32>;
@group(0) @binding(2) var<storage, read> partStats: array<f32>;
@group(0) @binding(3) var<storage, read_write> combined: array<f32>;
@group(0) @binding(4) var<storage, read_write> combinedStats: array<f32>;

// Merge the splits' partial softmax sums, one invocation per output element (i, c):
// m = max_s m_s, l = Σ_s l_s·e^{m_s − m}, out = Σ_s acc_s·e^{m_s − m} / l.
@compute @workgroup_size(64)
fn combine(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_index) lid: u32) {
  let e = linearWorkgroup(wid, nwg) * 64u + lid;
  if (e >= cp.n * cp.dv) {
    return;
  }
  let i = e / cp.dv;
  let c = e % cp.dv;
  var m = NEG_BIG;
  for (var s = 0u; s < cp.splits; s++) {
    m = max(m, partStats[(s * cp.n + i) * 4u]);
  }
  var l = 0.0;
  var l2 = 0.0;
  var acc = 0.0;
  for (var s = 0u; s < cp.splits; s++) {
    let sb = (s * cp.n + i) * 4u;
    let f = exp(partStats[sb] - m);
    l += partStats[sb + 1u] * f;
    l2 += partStats[sb + 2u] * f * f;
    acc += partAcc[(s * cp.n + i) * cp.dv + c] * f;
  }
  combined[e] = select(0.0, acc / l, l > 0.0);
  if (c == 0u && cp.writeStats == 1u) {
    combinedStats[i * 4u] = m;
    combinedStats[i * 4u + 1u] = l;
    combinedStats[i * 4u + 2u] = l2;
    combinedStats[i * 4u + 3u] = 0.0;
  }
}
