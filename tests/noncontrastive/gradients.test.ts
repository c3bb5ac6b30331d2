// The hand-derived gradients of src/noncontrastive/model.ts against central finite differences,
// for both losses, with a non-symmetric predictor and a target different from W (as in BYOL) and
// equal to it (SimSiam: the target is a constant copy, stop-gradient).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/random';
import { lossAndGrads, sampleBatch, type LossKind } from '../../src/noncontrastive/model';

const dIn = 5;
const dOut = 3;

function numericGrad(f: (m: Float64Array) => number, m: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) {
    const keep = m[i];
    m[i] = keep + h;
    const up = f(m);
    m[i] = keep - h;
    const down = f(m);
    m[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function maxRelError(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return err / scale;
}

describe('gradients of the linear SimSiam/BYOL losses', () => {
  for (const kind of ['euclidean', 'cosine'] as LossKind[])
    for (const target of ['separate', 'same'] as const)
      it(`${kind} loss, target ${target === 'same' ? '= W (SimSiam)' : '≠ W (BYOL)'}`, () => {
        const rng = new Rng(7, kind === 'cosine' ? 1 : 2);
        const w = new Float64Array(dOut * dIn);
        const wp = new Float64Array(dOut * dOut);
        rng.fillNormal(w, 0.7);
        rng.fillNormal(wp, 0.9);
        const wa = target === 'same' ? Float64Array.from(w) : new Float64Array(dOut * dIn);
        if (target === 'separate') rng.fillNormal(wa, 0.6);
        const batch = sampleBatch(rng, 7, dIn, 0.4);
        const g = lossAndGrads(kind, w, wp, wa, batch, dIn, dOut);
        // The target stays fixed while W moves: that is what stop-gradient means.
        const numW = numericGrad((m) => lossAndGrads(kind, m, wp, wa, batch, dIn, dOut).loss, w);
        const numWp = numericGrad((m) => lossAndGrads(kind, w, m, wa, batch, dIn, dOut).loss, wp);
        expect(maxRelError(g.gw, numW)).toBeLessThan(1e-6);
        expect(maxRelError(g.gwp, numWp)).toBeLessThan(1e-6);
        // Not vacuous: the gradients are far from zero.
        expect(Math.max(...Array.from(numW, Math.abs))).toBeGreaterThan(1e-2);
      });

  it('the cosine loss is blind to the scale of W and W_p: its gradient is orthogonal to each', () => {
    const rng = new Rng(3);
    const w = new Float64Array(dOut * dIn);
    const wp = new Float64Array(dOut * dOut);
    rng.fillNormal(w);
    rng.fillNormal(wp);
    const batch = sampleBatch(rng, 16, dIn, 0.5);
    const g = lossAndGrads('cosine', w, wp, Float64Array.from(w), batch, dIn, dOut);
    const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
    const norm = (a: Float64Array) => Math.sqrt(dot(a, a));
    expect(Math.abs(dot(g.gw, w)) / (norm(g.gw) * norm(w))).toBeLessThan(1e-10);
    expect(Math.abs(dot(g.gwp, wp)) / (norm(g.gwp) * norm(wp))).toBeLessThan(1e-10);
  });
});
