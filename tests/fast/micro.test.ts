import { it } from 'vitest';
import { FastKernels } from '../../src/engine/fast/kernels';

it('micro', async () => {
  const k = await FastKernels.create();
  for (const [n, d] of [[2708, 64], [512, 64]]) {
    const q = new Float32Array(n * d).map(() => Math.random() - 0.5);
    for (let i = 0; i < n; i++) { let s = 0; for (let t = 0; t < d; t++) s += q[i*d+t]**2; s = Math.sqrt(s); for (let t = 0; t < d; t++) q[i*d+t] /= s; }
    const op = { n, dk: d, dv: d, q, k: q, v: q, scale: 1, fixedMax: 1, maskSelf: false, exclude: null, colSums: false };
    for (const fixed of [1, Infinity]) {
      for (const colSums of [false, true]) {
      k.softmaxBlock({ ...op, fixedMax: fixed, colSums }, 0, n);
      const t0 = performance.now();
      const reps = 3;
      for (let r = 0; r < reps; r++) k.softmaxBlock({ ...op, fixedMax: fixed, colSums }, 0, n);
      const ms = (performance.now() - t0) / reps;
      console.log(`softmax n=${n} fixed=${fixed} colSums=${colSums}: ${ms.toFixed(1)} ms, ${(4 * n * n * d / ms / 1e6).toFixed(2)} GFLOP/s (4 n² d)`);
      }
    }
    const w = new Float64Array(d * d).map(() => Math.random());
    const t0 = performance.now();
    for (let r = 0; r < 10; r++) k.matmul(q, n, d, w, d);
    const ms = (performance.now() - t0) / 10;
    console.log(`matmul n=${n}: ${ms.toFixed(2)} ms, ${(2 * n * d * d / ms / 1e6).toFixed(2)} GFLOP/s`);
  }
});
