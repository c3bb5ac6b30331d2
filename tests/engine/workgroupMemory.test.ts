// Every kernel's workgroup memory fits WebGPU's default maxComputeWorkgroupStorageSize (16 KiB),
// so pipeline creation cannot fail on an adapter (or a compatibility-mode device) that offers
// only the defaults. Sizes are read from the WGSL declarations, override constants at the values
// the engine compiles them with.
import { describe, expect, it } from 'vitest';
import { declaredWorkgroupBytes, workgroupBytesTable } from '../../src/engine/gpu/workgroupMemory';
import { KERNELS } from '../../src/engine/gpu/kernels';
import { TRAINER_KERNELS } from '../../src/training/gpu/kernels';
import { tiledShape, TILED_MAX_WIDTH, WORKGROUP_BUDGET } from '../../src/engine/gpu/attention';

describe('workgroup memory within WebGPU defaults', () => {
  it('every forward and trainer kernel, as declared', () => {
    for (const table of [workgroupBytesTable(KERNELS), workgroupBytesTable(TRAINER_KERNELS)]) {
      for (const [name, bytes] of Object.entries(table)) {
        expect(bytes, name).toBeLessThanOrEqual(16384);
      }
    }
    // The sizer reads what it should: the software softmax kernel's tiles are 14,144 bytes.
    expect(workgroupBytesTable(KERNELS).streamingSoftmax).toBe(14144);
  });

  it('every width the tiled softmax is compiled for', () => {
    for (let dk = 1; dk <= TILED_MAX_WIDTH; dk++) {
      for (const dv of [1, 3, 16, 64, 65, 200]) {
        const { dkq, dvq, tj } = tiledShape(dk, dv);
        expect(tj).toBeGreaterThanOrEqual(16);
        const bytes = declaredWorkgroupBytes(KERNELS.attentionTiled.source, {
          KTILE: tj * dkq,
          VTILE: tj * dvq,
        });
        expect(bytes, `dk=${dk} dv=${dv}`).toBeLessThanOrEqual(WORKGROUP_BUDGET);
      }
    }
  });
});
