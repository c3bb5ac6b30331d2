// The CPU engine's node cap from its calibrated throughput (src/engine/create.ts): what it
// computes in about 10 s, at least 3,000 (Cora fits) and at most 100,000 nodes.
import { describe, expect, it } from 'vitest';
import { calibrationConfig, cpuNodeCap, type Calibration } from '../../src/engine/calibration';

const at = (cpuFlops: number): Calibration => ({ adapter: '', gpuMs: null, cpuMs: 100, cpuFlops });

describe('cpuNodeCap', () => {
  it('is 3,000 without a measurement, or when the machine is very slow', () => {
    expect(cpuNodeCap(null)).toBe(3000);
    expect(cpuNodeCap(at(NaN))).toBe(3000);
    expect(cpuNodeCap(at(1e8))).toBe(3000);
  });
  it('grows with the square root of the throughput, rounded down to 500', () => {
    // 64 layers × 4·N²·16 FLOPs in 10 s at 10 GFLOP/s: N = √(1e11 / 4096) ≈ 4,941 → 4,500.
    expect(cpuNodeCap(at(1e10))).toBe(4500);
    expect(cpuNodeCap(at(4e10))).toBe(9500);
    expect(cpuNodeCap(at(1e10), 40)).toBe(9500);
  });
  it('stops at 100,000', () => {
    expect(cpuNodeCap(at(1e15))).toBe(100_000);
  });
  it('calibrates on a ContraNorm stack large enough to time (1,024 nodes, 4 layers)', () => {
    const c = calibrationConfig();
    expect(c.norm.kind).toBe('contranorm');
    expect(c.layers).toBe(4);
    expect((c.dataset as { n: number }).n).toBe(1024);
  });
});
