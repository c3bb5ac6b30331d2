// The engine calibration's workload and what follows from it, apart from the engines themselves
// (so that code without WebGPU, such as the page's state and Node tests, can use it).
import { defaultConfig } from './config';
import type { EngineConfig } from './types';

/** Milliseconds of the calibration workload on each engine, and the CPU engine's N² throughput. */
export interface Calibration {
  /** The adapter it was measured on ("" without one), so a cached figure is used only there. */
  adapter: string;
  gpuMs: number | null;
  cpuMs: number;
  /** Softmax-product FLOP/s of the CPU engine on the workload (4·N²·d per ContraNorm layer). */
  cpuFlops: number;
}

/**
 * The calibration: a ContraNorm GCN large enough that per-layer costs other than the N² softmax
 * products (and a GPU's launch costs) do not decide it, small enough to take a fraction of a second.
 */
export function calibrationConfig(): EngineConfig {
  const c = defaultConfig();
  return {
    ...c,
    dataset: { kind: 'random-graph', n: 1024, avgDegree: 6, featureDim: 32, seed: 11 },
    layers: 4,
    hidden: 32,
    norm: { ...c.norm, kind: 'contranorm', variant: 'code' },
    residual: 'none',
  };
}

/** The smallest node cap of the CPU engine: Cora (2,708 nodes) fits on any machine. */
export const CPU_NODE_FLOOR = 3000;

/**
 * The largest N whose default-sized stack (64 layers, one ContraNorm panel at width 16: 4·N²·16
 * FLOPs a layer) the CPU engine computes in about `seconds`, from its calibrated throughput;
 * rounded down to 500 and kept within [3,000, 100,000]: at least Cora's 2,708 nodes everywhere
 * (a slow machine takes longer than 10 s there, and shows its progress).
 */
export function cpuNodeCap(calibration: Calibration | null, seconds = 10): number {
  if (!calibration || !(calibration.cpuFlops > 0)) return CPU_NODE_FLOOR;
  const n = Math.sqrt((seconds * calibration.cpuFlops) / (64 * 4 * 16));
  return Math.min(100_000, Math.max(CPU_NODE_FLOOR, Math.floor(n / 500) * 500));
}
