// The fast CPU engine: float32, WebAssembly with 128-bit SIMD, the softmax products spread over
// worker threads. Same API, layer loop and metric code as the float64 reference (../cpuEngine.ts);
// only the heavy operations differ (./ops.ts). The metrics' sums are taken in float64 from the
// float32 features, so its spectrum has no float32 summation noise.
import { createCpuEngine } from '../cpuEngine';
import type { Engine } from '../types';
import { bestBuild, FastKernels, kernelModule, type KernelBuild } from './kernels';
import { fastOps } from './ops';
import { defaultThreadCount, SoftmaxPool } from './pool';

export interface FastEngine extends Engine {
  /** Worker threads besides the engine's own (0 where there are no workers, as in Node). */
  readonly threads: number;
  /** Which build of the kernels runs. */
  readonly build: KernelBuild;
}

export async function createFastEngine(
  options: {
    threads?: number;
    build?: KernelBuild;
    /** The least work per thread of a split product (pool.ts MIN_MADDS_PER_PART). */
    minMaddsPerPart?: number;
  } = {},
): Promise<FastEngine> {
  const build = options.build ?? bestBuild();
  const module = await kernelModule(build);
  const kernels = await FastKernels.create(module);
  const threads = options.threads ?? defaultThreadCount();
  const pool = threads > 0 ? await SoftmaxPool.create(module, threads, options.minMaddsPerPart) : null;
  const engine = createCpuEngine({
    ops: fastOps(
      kernels,
      (op) => (pool ? pool.run(op, kernels) : Promise.resolve([kernels.softmaxBlock(op, 0, op.n)])),
      (op) => (pool ? pool.parts(op) > 1 : false),
    ),
    input: (features) => features.slice(),
    // H is copied into the module once for all of a layer's sums (layer 0, the data set's input,
    // often sparse and wide, keeps the reference's sums).
    layerSums: (x, n, d, options) =>
      kernels.layerSums(x instanceof Float32Array ? x : Float32Array.from(x), n, d, options),
    singularValues: (gram, side, count) => kernels.singularValues(gram, side, count),
    dispose: () => pool?.dispose(),
  });
  return { ...engine, threads: pool?.threads ?? 0, build };
}
