// The reference GFLOP/s of the adapter: a plain 16×16 tiled WGSL matmul (bench/plain_matmul.wgsl)
// of a given size, timed from submit to queue.onSubmittedWorkDone() over a few repetitions
// (at most `reps`, and no more once `budgetMs` is spent; at least one), after the pipeline is
// compiled (createComputePipelineAsync) and warmed by a one-workgroup dispatch; with a spot
// check of the result against float64.
import shader from './plain_matmul.wgsl?raw';
import { Rng } from '../src/math/random';
import type { PlainMatmulArgs, PlainMatmulResult } from './types';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function plainMatmul(args: PlainMatmulArgs): Promise<PlainMatmulResult> {
  const { m, k, n, reps } = args;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  try {
    const rng = new Rng(1234, m, k, n);
    const a = new Float32Array(m * k);
    const b = new Float32Array(k * n);
    rng.fillNormal(a);
    rng.fillNormal(b);
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const bufA = device.createBuffer({ label: 'plain-a', size: a.byteLength, usage: storage });
    const bufB = device.createBuffer({ label: 'plain-b', size: b.byteLength, usage: storage });
    const bufC = device.createBuffer({ label: 'plain-c', size: m * n * 4, usage: storage });
    const uniform = device.createBuffer({
      label: 'plain-params',
      size: 16,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(bufA, 0, a);
    device.queue.writeBuffer(bufB, 0, b);
    device.queue.writeBuffer(uniform, 0, new Uint32Array([m, k, n, 0]));
    const module = device.createShaderModule({ label: 'plain-matmul', code: shader });
    const pipeline = await device.createComputePipelineAsync({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [uniform, bufA, bufB, bufC].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const gx = Math.ceil(n / 16);
    const gy = Math.ceil(m / 16);
    if (
      gx > device.limits.maxComputeWorkgroupsPerDimension ||
      gy > device.limits.maxComputeWorkgroupsPerDimension
    )
      throw new Error(`plain matmul ${m}×${k}·${k}×${n} needs more workgroups than the adapter allows`);
    const once = async (x = gx, y = gy): Promise<number> => {
      const t0 = performance.now();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y, 1);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - t0;
    };
    await once(1, 1); // warm-up: the pipeline's first use, the buffers' first touch
    const timesMs: number[] = [];
    let spent = 0;
    for (let r = 0; r < reps && (r === 0 || spent < args.budgetMs); r++) {
      const t = await once();
      timesMs.push(t);
      spent += t;
    }

    // Spot check a few entries against float64.
    const read = device.createBuffer({
      size: m * n * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(bufC, 0, read, 0, m * n * 4);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const c = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    let maxSampleError = 0;
    const pick = new Rng(99);
    for (let s = 0; s < 64; s++) {
      const i = pick.int(m);
      const j = pick.int(n);
      let ref = 0;
      for (let t = 0; t < k; t++) ref += a[i * k + t]! * b[t * n + j]!;
      maxSampleError = Math.max(maxSampleError, Math.abs(ref - c[i * n + j]!));
    }
    [bufA, bufB, bufC, uniform, read].forEach((x) => x.destroy());
    const medianMs = median(timesMs);
    return {
      ...args,
      timesMs,
      medianMs,
      gflops: (2 * m * k * n) / (medianMs * 1e6),
      maxSampleError,
      kernel:
        'bench/plain_matmul.wgsl: 16×16 workgroup, one output per invocation, 16×16 shared-memory tiles',
    };
  } finally {
    device.destroy();
  }
}
