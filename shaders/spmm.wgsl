// Sparse propagation out = Â · H over CSR (rw or sym: the normalization lives in `vals`,
// computed in float64 on the host, self loops of Ã = A + I included as explicit entries).
// One invocation per output element (row i, column c): consecutive invocations read
// consecutive columns of the same neighbour row, so loads coalesce.

struct Params {
  n: u32,
  d: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> rowPtr: array<u32>;
@group(0) @binding(2) var<storage, read> colIdx: array<u32>;
@group(0) @binding(3) var<storage, read> vals: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read_write> outp: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.n * p.d) {
    return;
  }
  let i = idx / p.d;
  let c = idx % p.d;
  var acc = 0.0;
  let end = rowPtr[i + 1u];
  for (var k = rowPtr[i]; k < end; k++) {
    acc += vals[k] * h[colIdx[k] * p.d + c];
  }
  outp[idx] = acc;
}
