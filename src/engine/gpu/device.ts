// Adapter and device acquisition, with the limits the engine needs raised to what the adapter
// offers (the defaults cap storage bindings at 128 MiB), and loss reported instead of hanging.

export interface GpuContext {
  device: GPUDevice;
  adapterInfo: {
    architecture: string;
    vendor: string;
    description: string;
    /** The browser's own word that this adapter is a fallback (software, or much slower than usual). */
    isFallbackAdapter: boolean;
  };
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupsPerDimension: number;
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

export async function acquireGpu(onLost?: (message: string) => void): Promise<GpuContext> {
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
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: a.maxStorageBufferBindingSize,
      maxBufferSize: a.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(a.maxStorageBuffersPerShaderStage, 10),
      maxComputeWorkgroupStorageSize: Math.min(a.maxComputeWorkgroupStorageSize, 32768),
    },
  });
  const info = adapter.info;
  const ctx: GpuContext = {
    device,
    adapterInfo: {
      architecture: info?.architecture ?? '',
      vendor: info?.vendor ?? '',
      description: info?.description ?? '',
      // GPUAdapterInfo.isFallbackAdapter (newer browsers); GPUAdapter.isFallbackAdapter (older ones).
      isFallbackAdapter: Boolean(
        (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
        (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
      ),
    },
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    },
    lost: null,
  };
  void device.lost.then((lostInfo) => {
    ctx.lost = `The GPU device was lost (${lostInfo.reason}): ${lostInfo.message || 'no detail'}. Create a new engine to continue.`;
    onLost?.(ctx.lost);
  });
  return ctx;
}
