// The Jacobi eigensolver the view uses for eigenvectors (the ODE's initial modes, PCA): same
// eigenvalues as the project's QL solver, and A v = λ v with orthonormal v.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/random';
import { symmetricEigenvalues } from '../../src/math/spectrum';
import { matMulABt, symmetricEigen } from '../../src/noncontrastive/linalg';

describe('symmetricEigen (Jacobi)', () => {
  for (const n of [1, 2, 7, 24])
    it(`n = ${n}: eigenpairs of a random Gram matrix`, () => {
      const rng = new Rng(11, n);
      const b = new Float64Array(n * (n + 3));
      rng.fillNormal(b);
      const a = matMulABt(b, b, n, n + 3, n);
      const { values, vectors } = symmetricEigen(a, n);
      const ref = symmetricEigenvalues(a, n);
      for (let j = 0; j < n; j++) {
        expect(Math.abs(values[j] - ref[j])).toBeLessThan(1e-10 * ref[0]);
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += a[i * n + k] * vectors[j * n + k];
          expect(Math.abs(av - values[j] * vectors[j * n + i])).toBeLessThan(1e-9 * ref[0]);
        }
        for (let k = 0; k < n; k++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[j * n + i] * vectors[k * n + i];
          expect(Math.abs(dot - (j === k ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    });

  it('non-finite input gives NaN eigenvalues, not a loop', () => {
    expect(Array.from(symmetricEigen(new Float64Array([1, NaN, NaN, 1]), 2).values).every(Number.isNaN)).toBe(
      true,
    );
  });
});
