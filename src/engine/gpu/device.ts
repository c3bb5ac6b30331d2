// Adapter and device acquisition, with the limits the engine needs raised to what the adapter
// offers (the defaults cap storage bindings at 128 MiB), and loss reported instead of hanging.
// Every kernel fits WebGPU's default limits otherwise (16 KiB of workgroup memory, 8 storage
// buffers per stage): `defaultLimits` asks for nothing more, which the tests use to prove it.

/** Adapters that emulate a GPU in software, by the names they give. */
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

/** A fallback adapter, or one whose name says it runs on the CPU. */
export function isSoftwareAdapter(fallback: boolean, name: string, description: string): boolean {
  return fallback || SOFTWARE_ADAPTER.test(`${name} ${description}`);
}

export interface GpuContext {
  device: GPUDevice;
  adapterInfo: {
    architecture: string;
    vendor: string;
    description: string;
    /** The browser's own word that this adapter is a fallback (software, or much slower than usual). */
    isFallbackAdapter: boolean;
  };
  /** A CPU emulation of a GPU (SwiftShader, llvmpipe, WARP, or a fallback adapter): kernels differ. */
  software: boolean;
  /**
   * Which kernels run where there is a choice: the barrier-light ones suited to a CPU emulation
   * ('software'), or the tiled ones written for GPUs ('hardware'). Follows `software` unless the
   * caller forces one (the tests run both on the same adapter).
   */
  kernelSet: 'software' | 'hardware';
  /** Whether the device was created with 'timestamp-query' (per-kernel GPU times for the benchmark). */
  timestamps: boolean;
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupsPerDimension: number;
    maxComputeWorkgroupStorageSize: number;
  };
  /** Set when the device is lost; every later call fails with this message. */
  lost: string | null;
}

export class WebGpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

export interface AcquireOptions {
  /** Ask for WebGPU's default limits only (no raised binding sizes): the minimum every adapter offers. */
  defaultLimits?: boolean;
  /** Ask for 'timestamp-query' where the adapter offers it. */
  timestamps?: boolean;
  /** Force a kernel set (tests and benchmarks); by default it follows the adapter. */
  kernelSet?: 'software' | 'hardware';
}

export async function acquireGpu(
  onLost?: (message: string) => void,
  options: AcquireOptions = {},
): Promise<GpuContext> {
  const gpu = (globalThis as { navigator?: Navigator }).navigator?.gpu;
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'This browser exposes no WebGPU (navigator.gpu is missing): it may be too old, WebGPU may be disabled, or the page is not served over https/localhost.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU is present but no GPU adapter was granted (blocklisted driver, or no suitable GPU).',
    );
  }
  const a = adapter.limits;
  const timestamps = Boolean(options.timestamps) && adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
    requiredLimits: options.defaultLimits
      ? {}
      : {
          maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
          maxBufferSize: a.maxBufferSize,
        },
  });
  const info = adapter.info;
  const isFallbackAdapter = Boolean(
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const name = [info?.vendor, info?.architecture].filter(Boolean).join(' ');
  const software = isSoftwareAdapter(isFallbackAdapter, name, info?.description ?? '');
  const ctx: GpuContext = {
    device,
    adapterInfo: {
      architecture: info?.architecture ?? '',
      vendor: info?.vendor ?? '',
      description: info?.description ?? '',
      // GPUAdapterInfo.isFallbackAdapter (newer browsers); GPUAdapter.isFallbackAdapter (older ones).
      isFallbackAdapter,
    },
    software,
    kernelSet: options.kernelSet ?? (software ? 'software' : 'hardware'),
    timestamps,
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
    },
    lost: null,
  };
  void device.lost.then((lostInfo) => {
    ctx.lost = `The GPU device was lost (${lostInfo.reason}): ${lostInfo.message || 'no detail'}. Create a new engine to continue.`;
    onLost?.(ctx.lost);
  });
  return ctx;
}
