// Softmax cross-entropy of the read-out logits (n×C) and its gradient, plus accuracy counts.
// `rows`, one invocation per node i, with role[i] = 0 (unused), 1 (train), 2 (val), 3 (test):
//   loss_i = logsumexp(logits_i) − logits_i[y_i]                    (train nodes only)
//   grad_i = (softmax(logits_i) − onehot(y_i)) · invTrain           (train nodes; 0 elsewhere)
// so that grad = ∂(mean training loss)/∂logits. The prediction is the first argmax (ties go to
// the lower class, as the reference's loop does). rowOut[4i..4i+3] =
//   (loss_i, correct ∧ train, correct ∧ val, correct ∧ test).
// `sumPartial` / `sumFinalize`: the four columns of rowOut summed over all rows without float
// atomics: chunks of CHUNK rows (one invocation per chunk and column), then one pass adding the
// chunks in order; totals[0..3] is all the host reads back each epoch.

struct Params {
  n: u32,
  classes: u32,
  chunks: u32,
  invTrain: f32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read> role: array<u32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;
@group(0) @binding(5) var<storage, read_write> rowOut: array<f32>;
@group(0) @binding(6) var<storage, read_write> partials: array<f32>;
@group(0) @binding(7) var<storage, read_write> totals: array<f32>;

const CHUNK: u32 = 1024u;

@compute @workgroup_size(64)
fn rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i >= p.n) {
    return;
  }
  let base = i * p.classes;
  var mx = logits[base];
  var arg = 0;
  for (var c = 1u; c < p.classes; c++) {
    let v = logits[base + c];
    if (v > mx) {
      mx = v;
      arg = i32(c);
    }
  }
  var sum = 0.0;
  for (var c = 0u; c < p.classes; c++) {
    sum += exp(logits[base + c] - mx);
  }
  let y = labels[i];
  let r = role[i];
  let correct = select(0.0, 1.0, arg == y);
  var loss = 0.0;
  if (r == 1u && y >= 0) {
    loss = log(sum) + mx - logits[base + u32(y)];
  }
  for (var c = 0u; c < p.classes; c++) {
    var gv = 0.0;
    if (r == 1u && y >= 0) {
      gv = exp(logits[base + c] - mx) / sum;
      if (i32(c) == y) {
        gv -= 1.0;
      }
      gv *= p.invTrain;
    }
    grad[base + c] = gv;
  }
  rowOut[i * 4u] = loss;
  rowOut[i * 4u + 1u] = select(0.0, correct, r == 1u);
  rowOut[i * 4u + 2u] = select(0.0, correct, r == 2u);
  rowOut[i * 4u + 3u] = select(0.0, correct, r == 3u);
}

@compute @workgroup_size(64)
fn sumPartial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) lid: u32) {
  let idx = linearWorkgroup(wid, nwg) * 64u + lid;
  if (idx >= p.chunks * 4u) {
    return;
  }
  let chunk = idx / 4u;
  let slot = idx % 4u;
  let r1 = min(chunk * CHUNK + CHUNK, p.n);
  var acc = 0.0;
  for (var r = chunk * CHUNK; r < r1; r++) {
    acc += rowOut[r * 4u + slot];
  }
  partials[idx] = acc;
}

@compute @workgroup_size(4)
fn sumFinalize(@builtin(local_invocation_index) lid: u32) {
  var acc = 0.0;
  for (var k = 0u; k < p.chunks; k++) {
    acc += partials[k * 4u + lid];
  }
  totals[lid] = acc;
}
