// The sum of one f32 per invocation over a 256-wide workgroup (a tree in workgroup memory),
// returned to every invocation. Prepended (after common.wgsl) to the column reductions that
// finish in one workgroup: column_stats.wgsl and backward_column_norm.wgsl. Call it from
// uniform control flow: it has barriers.

var<workgroup> wgSumScratch: array<f32, 256>;

fn workgroupSum256(lid: u32, value: f32) -> f32 {
  wgSumScratch[lid] = value;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      wgSumScratch[lid] += wgSumScratch[lid + stride];
    }
    workgroupBarrier();
  }
  return wgSumScratch[0];
}
