// Smoke cases: is there a WebGPU adapter, and does a trivial compute shader run on it?

export interface AdapterInfoResult {
  hasGpu: boolean;
  /** Why there is no adapter (no navigator.gpu, requestAdapter returned null, or threw). */
  reason?: string;
  architecture: string;
  vendor: string;
  description: string;
  features: string[];
  limits: Record<string, number>;
}

export async function adapterInfo(): Promise<AdapterInfoResult> {
  const none = (reason: string): AdapterInfoResult => ({
    hasGpu: false,
    reason,
    architecture: '',
    vendor: '',
    description: '',
    features: [],
    limits: {},
  });
  if (!('gpu' in navigator) || !navigator.gpu) return none('navigator.gpu is undefined');
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (err) {
    return none(`requestAdapter threw: ${String(err)}`);
  }
  if (!adapter) return none('requestAdapter returned null');
  const limits: Record<string, number> = {};
  // WebIDL attributes are getters on the prototype: for…in sees them.
  for (const key in adapter.limits) {
    const value = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number') limits[key] = value;
  }
  return {
    hasGpu: true,
    architecture: adapter.info.architecture,
    vendor: adapter.info.vendor,
    description: adapter.info.description,
    features: [...adapter.features].map(String).sort(),
    limits,
  };
}

const DOUBLE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i < arrayLength(&out)) {
    out[i] = i * 2u;
  }
}
`;

/** Run `out[i] = 2i` over `n` u32 on the GPU and return `out` (a plain array, so it crosses to Node). */
export async function doubleIndices(args: { n: number } = { n: 1000 }): Promise<number[]> {
  const { n } = args;
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const errors: string[] = [];
  device.addEventListener('uncapturederror', (ev) =>
    errors.push((ev as GPUUncapturedErrorEvent).error.message),
  );
  try {
    const module = device.createShaderModule({ code: DOUBLE_WGSL });
    const info = await module.getCompilationInfo();
    const bad = info.messages.filter((m) => m.type === 'error');
    if (bad.length > 0)
      throw new Error(`WGSL: ${bad.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const size = n * 4;
    const out = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const read = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: out } }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    encoder.copyBufferToBuffer(out, 0, read, 0, size);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const result = Array.from(new Uint32Array(read.getMappedRange().slice(0)));
    read.unmap();
    if (errors.length > 0) throw new Error(`WebGPU errors: ${errors.join('; ')}`);
    return result;
  } finally {
    device.destroy();
  }
}
