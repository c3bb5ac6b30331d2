// The GPU engine's per-layer float64 finishing (src/engine/gpu/hostSolver.ts: each layer's
// spectrum and its projection's two axes), timed in the bench page without a GPU: a group of
// layers finished on the calling thread alone against the same group shared with the solver's
// worker threads, in the same run. What the engine's host loop spends per group besides encoding;
// on a real GPU it is the part of a W1 run the GPU cannot hide.
import { HostSolver, solveLayer, solverThreadCount, type LayerSolveJob } from '../src/engine/gpu/hostSolver';

export interface HostSolveArgs {
  layers: number;
  width: number;
  reps: number;
}

export interface HostSolveResult {
  layers: number;
  width: number;
  threads: number;
  /** Median wall time of the group: on this thread alone, and shared with the threads. */
  inlineMs: number;
  sharedMs: number;
  /** Layers the threads finished in the timed shared runs, of layers × reps. */
  remoteLayers: number;
}

/** A layer whose Gram and covariance are those of random N×d features (N = 4d). */
function job(width: number, seed: number): LayerSolveJob {
  const n = 4 * width;
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  const h = Float64Array.from({ length: n * width }, rand);
  const gram = new Float64Array(width * width);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < width; a++)
      for (let b = 0; b < width; b++) gram[a * width + b] += h[i * width + a] * h[i * width + b];
  const sumSq = gram.reduce((acc, v, k) => (k % (width + 1) === 0 ? acc + v : acc), 0);
  const colSum = new Float64Array(width);
  return {
    sums: {
      n,
      d: width,
      gram,
      colSum,
      unitColSum: colSum,
      unitRowCount: n,
      sumSq,
      centeredSumSq: sumSq,
      dirichletSum: null,
      attention: null,
    },
    centeredSpectrum: false,
    covariance: gram.map((v) => v / sumSq),
    width,
  };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function hostSolve(args: HostSolveArgs): Promise<HostSolveResult> {
  const jobs = Array.from({ length: args.layers }, (_, l) => job(args.width, l + 1));
  const solver = new HostSolver();
  try {
    // Warm-up: the threads' start, and the JIT. A fresh worker runs the eigensolvers about 4× slower
    // for its first hundred or so layers (measured here: 5.8 ms a layer, then 1.5 ms, as on this
    // thread), which a lecture's first run pays and its later ones do not.
    for (let w = 0; w < 20; w++) {
      jobs.forEach(solveLayer);
      await solver.solve(jobs);
    }
    const inline: number[] = [];
    const shared: number[] = [];
    let remoteLayers = 0;
    for (let r = 0; r < args.reps; r++) {
      let t = performance.now();
      jobs.forEach(solveLayer);
      inline.push(performance.now() - t);
      t = performance.now();
      remoteLayers += (await solver.solve(jobs)).remote;
      shared.push(performance.now() - t);
    }
    return {
      layers: args.layers,
      width: args.width,
      threads: solverThreadCount(),
      inlineMs: median(inline),
      sharedMs: median(shared),
      remoteLayers,
    };
  } finally {
    solver.dispose();
  }
}
