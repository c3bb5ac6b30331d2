// One entry point for whoever needs an engine, chosen by measurement rather than by presence:
//
//   - a software or fallback WebGPU adapter (SwiftShader, llvmpipe, WARP, or one the browser calls
//     a fallback) never drives the page: it emulates a GPU on the same CPU cores that the fast
//     WebAssembly engine uses directly, several times slower;
//   - otherwise a short calibration (the same small workload on each engine) picks the faster one;
//     its figures are cached by the caller (per browser and adapter) and passed back in;
//   - `choice` forces 'gpu' or 'cpu' (the page keeps it in the URL).
//
// The CPU engine is the fast float32 one; the float64 reference serves only where WebAssembly
// SIMD is missing. Whatever is chosen, `reason` says why, in words for the page.
import { createGpuEngine } from './gpu/engine';
import { isSoftwareAdapter } from './gpu/device';
import { createFastEngine } from './fast/engine';
import { createReferenceEngine } from './reference/engine';
import type { Engine } from './types';
import { calibrationConfig, type Calibration } from './calibration';

export { cpuNodeCap, type Calibration } from './calibration';

export type EngineChoice = 'auto' | 'gpu' | 'cpu';
export type EngineName = 'gpu' | 'fast' | 'reference';

/** Which engine runs and why: what createEngine decided, as the page shows it. */
export interface EngineChoiceReport {
  /** The GPU engine, the fast CPU engine or the float64 reference. */
  name: EngineName;
  /** The adapter seen, e.g. "nvidia ampere" or "google swiftshader"; "" when no adapter was used. */
  adapter: string;
  /** Why the GPU engine is not in use (null when it is). */
  fallbackReason: string | null;
  /** Why this engine runs, for the page. */
  reason: string;
  /** The engine-choice measurement (for the caller to cache per browser and adapter), or null. */
  calibration: Calibration | null;
}

export interface CreatedEngine extends EngineChoiceReport {
  engine: Engine;
}

/** What createEngine (and createWorkerEngine, which calls it in its worker) is asked for. */
export interface EngineOptions {
  /** 'gpu' or 'cpu' forces that engine; 'auto' (the default) chooses by measurement. */
  choice?: EngineChoice;
  /** This browser's earlier measurement, if any, reused when it was made on the same adapter. */
  calibration?: Calibration | null;
  /** Called when the GPU device is lost after the engine was made. */
  onDeviceLost?: (message: string) => void;
}

/** The adapter's name and whether it is a software one, without creating a device; null without one. */
async function probeAdapter(): Promise<{ name: string; software: boolean } | null> {
  try {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description;
    const fallback = info.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
    return { name, software: isSoftwareAdapter(Boolean(fallback), name, info.description) };
  } catch {
    return null;
  }
}

async function timeRun(engine: Engine): Promise<number> {
  const config = calibrationConfig();
  // A warm-up at depth 1 (pipeline compilation, JIT), then the timed run on other weights.
  await engine.run({ ...config, layers: 1 }, { features: 'none' });
  const t0 = performance.now();
  await engine.run(
    { ...config, weights: { ...config.weights, seed: config.weights.seed + 1 } },
    { features: 'none' },
  );
  return performance.now() - t0;
}

async function cpuEngine(): Promise<{ engine: Engine; name: EngineName; note: string }> {
  try {
    return { engine: await createFastEngine(), name: 'fast', note: '' };
  } catch (err) {
    return {
      engine: createReferenceEngine(),
      name: 'reference',
      note: ` (the fast CPU engine could not start: ${(err as Error).message}; the float64 reference runs instead)`,
    };
  }
}

async function measureCpu(engine: Engine, adapter: string, gpuMs: number | null): Promise<Calibration> {
  const cpuMs = await timeRun(engine);
  const c = calibrationConfig();
  const flops = c.layers * 4 * (c.dataset as { n: number }).n ** 2 * c.hidden;
  return { adapter, gpuMs, cpuMs, cpuFlops: flops / (cpuMs / 1000) };
}

/** The CPU engine, for the reason given; its calibration from the cache when it was measured on `adapter`. */
async function onCpu(
  why: string,
  adapter: string,
  cached: Calibration | null,
  fallbackReason = why,
): Promise<CreatedEngine> {
  const cpu = await cpuEngine();
  return {
    ...cpu,
    adapter,
    fallbackReason,
    reason: why + cpu.note,
    calibration: cached?.adapter === adapter ? cached : await measureCpu(cpu.engine, adapter, null),
  };
}

const softwareReason = (adapter: string): string =>
  `the WebGPU adapter (${adapter || 'unnamed'}) is a software emulation of a GPU, slower than the CPU engine on the same cores`;

export async function createEngine(options: EngineOptions = {}): Promise<CreatedEngine> {
  const choice = options.choice ?? 'auto';
  const cached = options.calibration ?? null;
  if (choice === 'cpu') return onCpu('the CPU engine was asked for', '', cached);
  // A look at the adapter before any device or pipeline is made: on a software adapter, compiling
  // the GPU engine's pipelines alone costs seconds of the cores the CPU engine will use.
  if (choice === 'auto') {
    const probe = await probeAdapter();
    if (probe?.software) return onCpu(softwareReason(probe.name), probe.name, cached);
  }
  let gpu;
  try {
    gpu = await createGpuEngine({ onDeviceLost: options.onDeviceLost });
  } catch (err) {
    const why = (err as Error).message;
    return onCpu(`no usable WebGPU: ${why.replace(/\.$/, '')}`, '', cached, why);
  }
  const info = gpu.context.adapterInfo;
  const adapter = [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description;
  if (choice === 'gpu')
    return {
      engine: gpu,
      name: 'gpu',
      adapter,
      fallbackReason: null,
      reason: 'the GPU engine was asked for',
      calibration: cached,
    };
  if (gpu.context.software) {
    gpu.dispose();
    return onCpu(softwareReason(adapter), adapter, cached);
  }
  // A hardware adapter: measure both (or trust this browser's earlier measurement).
  const cpu = await cpuEngine();
  let calibration = cached?.adapter === adapter && cached.gpuMs !== null ? cached : null;
  if (!calibration) {
    const gpuMs = await timeRun(gpu);
    calibration = await measureCpu(cpu.engine, adapter, gpuMs);
  }
  const figures = `calibration: GPU ${calibration.gpuMs!.toFixed(0)} ms, CPU ${calibration.cpuMs.toFixed(0)} ms`;
  if (calibration.gpuMs! <= calibration.cpuMs) {
    cpu.engine.dispose();
    return {
      engine: gpu,
      name: 'gpu',
      adapter,
      fallbackReason: null,
      reason: `the GPU is faster (${figures})`,
      calibration,
    };
  }
  gpu.dispose();
  const why = `the CPU engine is faster than this GPU (${figures})`;
  return { ...cpu, adapter, fallbackReason: why, reason: why + cpu.note, calibration };
}
