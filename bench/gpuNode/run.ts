// The GPU engine (and the TensorFlow.js peer) on a real GPU without a browser: Node.js with
// Dawn, Chromium's WebGPU implementation, from the `webgpu` npm package. For a machine whose GPU
// no local Chromium can reach (a headless GPU server); bench/run.ts stays the browser benchmark.
// Build and run: see bench/gpuNode/build.ts. Prints a table and writes JSON (--out=path).
//
// Per workload and engine: one warm-up run at full depth, then timed runs (median) with
// alternating weights seeds; HostStats of the last timed run; then one profiled run with
// 'timestamp-query' per-kernel GPU times (one compute pass per dispatch, so its wall time is not
// reported). The same for kernelSet 'software' (the SwiftShader-tuned kernels) as a peer.
// The `features: 'none'` rows ask for what the page draws: no features, the 2-D pictures
// (projection 'pca-aligned'). `hostShare` is hostMs over the run's wall time.
//   --only=W1,W2    workloads        --depth=L   another L       --reps=N   timed runs
//   --nodes=N       W1 on a random graph of N nodes (average degree 4, 64 features) instead of
//                   Cora, W2 on N tokens, for a slow (emulated) adapter; L and the models stay
//   --growth=doubling  groups of layers double whatever their time (the round trips a fast GPU
//                   sees, measured on a slow one); default 'adaptive', as the page runs
//   --sets=hardware,software   kernel sets     --no-tfjs   leave out the TensorFlow.js peer
//   --page-only     only the page's rows (no features, pictures)    --no-profile   no kernel table
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

interface Args {
  cora: string | null;
  out: string | null;
  reps: number;
  only: string[];
  tfjs: boolean;
  depth: number | null;
  nodes: number | null;
  growth: 'adaptive' | 'doubling';
  sets: ('hardware' | 'software')[];
  pageOnly: boolean;
  profile: boolean;
}

function parseArgs(): Args {
  const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? null;
  return {
    cora: get('cora'),
    out: get('out'),
    reps: Number(get('reps') ?? 3),
    only: (get('only') ?? 'W1,W2,W3').split(','),
    tfjs: !process.argv.includes('--no-tfjs'),
    depth: get('depth') ? Number(get('depth')) : null,
    nodes: get('nodes') ? Number(get('nodes')) : null,
    growth: get('growth') === 'doubling' ? 'doubling' : 'adaptive',
    sets: (get('sets') ?? 'hardware,software')
      .split(',')
      .filter((k): k is 'hardware' | 'software' => k === 'hardware' || k === 'software'),
    pageOnly: process.argv.includes('--page-only'),
    profile: !process.argv.includes('--no-profile'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs();
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const gpu = create((process.env.DAWN_FLAGS ?? '').split(' ').filter(Boolean));
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu, userAgent: `node ${process.version}`, hardwareConcurrency: cpus().length },
    configurable: true,
  });
  // Imported only now: the engine's modules read GPUBufferUsage and friends when they load.
  const { createGpuEngine } = await import('../../src/engine/gpu/engine');
  const { KernelProfile } = await import('../../src/engine/gpu/profile');
  const { makeWorkload, withSeed, SEED_A, SEED_B } = await import('../workloads');
  const { countFlops, totalFlops } = await import('../flops');
  const { buildDataset } = await import('../../src/data/datasets');

  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info = adapter?.info;
  const header = {
    adapter: info
      ? { vendor: info.vendor, architecture: info.architecture, description: info.description }
      : null,
    node: process.version,
    date: new Date().toISOString(),
  };
  console.log(JSON.stringify(header));
  const coraJson = args.cora ? readFileSync(args.cora, 'utf8') : null;
  const results: Record<string, unknown>[] = [];

  for (const name of args.only) {
    if (name !== 'W1' && name !== 'W2' && name !== 'W3') continue;
    const w = makeWorkload(name, coraJson, args.depth);
    let ds = w.dataset;
    if (args.nodes !== null && name === 'W1') {
      const spec = {
        kind: 'csbm' as const,
        n: args.nodes,
        classes: 7,
        avgDegree: 4,
        homophily: 0.8,
        featureDim: 64,
        separation: 1,
        seed: 1,
      };
      ds = buildDataset(spec);
      w.config = { ...w.config, dataset: spec };
      w.title = `${w.title} on a random graph of ${args.nodes} nodes`;
    } else if (args.nodes !== null && name === 'W2' && w.config.dataset.kind === 'tokens') {
      const spec = { ...w.config.dataset, n: args.nodes };
      ds = buildDataset(spec);
      w.config = { ...w.config, dataset: spec };
      w.title = `${w.title} on ${args.nodes} tokens`;
    }
    const nnzProp = ds.graph ? ds.graph.colIdx.length + ds.n : 0;
    const flops = totalFlops(countFlops({ config: w.config, n: ds.n, inputDim: ds.featureDim, nnzProp }));
    for (const kernelSet of args.sets) {
      for (const features of [w.features, 'none'] as const) {
        if (features === 'none' && w.features === 'none') continue;
        if (args.pageOnly && features !== 'none') continue;
        const row: Record<string, unknown> = {
          workload: name,
          title: w.title,
          peer: `gpu/${kernelSet}`,
          features,
          growth: args.growth,
        };
        // What the page asks for: no features, the pictures.
        const projection = features === 'none' ? ('pca-aligned' as const) : undefined;
        try {
          const engine = await createGpuEngine({ timestamps: true, kernelSet, groupGrowth: args.growth });
          const once = async (seed: number) => {
            const t0 = performance.now();
            const r = await engine.run(withSeed(w.config, seed), { dataset: ds, features, projection });
            return { ms: performance.now() - t0, r };
          };
          row.warmupMs = (await once(SEED_B)).ms;
          const times: number[] = [];
          let last = null;
          for (let i = 0; i < args.reps; i++) {
            const { ms, r } = await once(i % 2 === 0 ? SEED_A : SEED_B);
            times.push(ms);
            last = r;
          }
          row.timesMs = times;
          row.medianMs = median(times);
          row.gflops = flops / median(times) / 1e6;
          row.hostStats = engine.lastStats;
          row.hostShare = engine.lastStats && engine.lastStats.hostMs / times.at(-1)!;
          row.effectiveRankLast = last?.layers.at(-1)?.metrics.effectiveRank;
          // A second run of the same shapes: what it creates (bind groups) must be 0.
          // The other seed than the last run's: the same seed would be answered from the
          // engine's cache, leaving lastStats at the previous run's.
          await once(args.reps % 2 === 1 ? SEED_B : SEED_A);
          row.secondRunBindGroups = engine.lastStats?.bindGroupsCreated;
          if (args.profile && engine.context.timestamps && features === 'none') {
            const profile = new KernelProfile();
            engine.session.profile = profile;
            await once(SEED_B);
            await profile.flush();
            engine.session.profile = null;
            row.kernels = profile.table();
          }
          engine.dispose();
        } catch (e) {
          row.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        }
        console.log(JSON.stringify(row));
        results.push(row);
      }
    }
    if (args.tfjs && name !== 'W3') {
      const row: Record<string, unknown> = { workload: name, peer: 'tfjs', features: w.features };
      try {
        const { initTfjs, prepareGraph, runTfjs } = await import('../tfjsPeer');
        await initTfjs();
        const g = prepareGraph(ds, w.config.adjacency);
        await runTfjs(withSeed(w.config, SEED_B), ds, g, w.features);
        const times: number[] = [];
        for (let i = 0; i < args.reps; i++) {
          const t0 = performance.now();
          await runTfjs(withSeed(w.config, i % 2 === 0 ? SEED_A : SEED_B), ds, g, w.features);
          times.push(performance.now() - t0);
        }
        g?.dispose();
        row.timesMs = times;
        row.medianMs = median(times);
      } catch (e) {
        row.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
      console.log(JSON.stringify(row));
      results.push(row);
    }
  }
  if (args.out) writeFileSync(args.out, JSON.stringify({ ...header, results }, null, 2));
  process.exit(0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
