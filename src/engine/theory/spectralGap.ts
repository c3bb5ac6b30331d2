// The spectrum of message passing off the subspace it converges to, in float64 on the CPU.
//
// Â_rw = D̃⁻¹Ã and Â_sym = D̃^{-1/2} Ã D̃^{-1/2} are similar (Â_rw = D̃^{-1/2} Â_sym D̃^{1/2}), so
// both have the eigenvalues of the symmetric Â_sym, all in (−1, 1] (the self loops keep −1 out).
// The eigenvalue 1 has one eigenvector per connected component c: √d̃ on c's nodes, 0 elsewhere.
// Their span U is what repeated propagation converges to (for `rw`, through the similarity, rows
// constant on each component). λ is the largest |eigenvalue| of Â_sym on U⊥, found by Lanczos
// with full reorthogonalization against U and the previous Lanczos vectors (Â_sym is applied
// sparsely; never N×N).

import type { Csr } from '../../data/graph';
import { connectedComponents, selfLoopDegrees } from '../../data/graph';
import { Rng } from '../../math/random';
import { symmetricEigenvalues } from '../../math/spectrum';

export interface LimitSubspace {
  n: number;
  /** d̃ᵢ = 1 + Σⱼ A_ij (self loop included). */
  degree: Float64Array;
  /** Each node's connected component. */
  component: Int32Array;
  /** Per component, 1/‖√d̃ restricted to it‖: the orthonormal basis of U is e_c = √d̃·scale_c on c. */
  scale: Float64Array;
}

export interface OffSubspaceSpectrum extends LimitSubspace {
  /** Largest |eigenvalue| of Â off U (0 when U is everything: every component one node). */
  lambda: number;
  /** Lanczos steps taken. */
  steps: number;
  /** ‖Â y − θ y‖ of the Ritz pair that gave λ: an eigenvalue lies within it of λ. */
  residual: number;
}

/** The most Lanczos steps: enough for λ to 1e-10 on the data sets the page makes (see tests). */
const MAX_STEPS = 160;

export function limitSubspace(graph: Csr, n: number): LimitSubspace {
  const degree = selfLoopDegrees(graph, n);
  const { component, sizes } = connectedComponents(graph, n);
  const scale = new Float64Array(sizes.length);
  for (let i = 0; i < n; i++) scale[component[i]] += degree[i];
  for (let c = 0; c < scale.length; c++) scale[c] = 1 / Math.sqrt(scale[c]);
  return { n, degree, component, scale };
}

/** x ← x − Σ_c e_c (e_cᵀ x): the part of x off U. */
export function projectOff(u: LimitSubspace, x: Float64Array): void {
  const dots = new Float64Array(u.scale.length);
  for (let i = 0; i < u.n; i++) dots[u.component[i]] += Math.sqrt(u.degree[i]) * x[i];
  for (let i = 0; i < u.n; i++) {
    const c = u.component[i];
    x[i] -= Math.sqrt(u.degree[i]) * u.scale[c] * u.scale[c] * dots[c];
  }
}

/** y = Â_sym x, sparse. */
export function applySym(graph: Csr, u: LimitSubspace, x: Float64Array, y: Float64Array): void {
  const { degree } = u;
  for (let i = 0; i < u.n; i++) {
    let s = x[i] / degree[i];
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) {
      const j = graph.colIdx[k];
      const a = graph.weights ? graph.weights[k] : 1;
      s += (a / Math.sqrt(degree[i] * degree[j])) * x[j];
    }
    y[i] = s;
  }
}

const cache = new WeakMap<Csr, OffSubspaceSpectrum>();

/** λ of the module comment for one graph (cached per graph object). */
export function offSubspaceSpectrum(graph: Csr, n: number): OffSubspaceSpectrum {
  const hit = cache.get(graph);
  if (hit && hit.n === n) return hit;
  const u = limitSubspace(graph, n);
  const dim = n - u.scale.length;
  const m = Math.min(dim, MAX_STEPS);
  const out: OffSubspaceSpectrum = { ...u, lambda: 0, steps: 0, residual: 0 };
  if (m <= 0) {
    cache.set(graph, out);
    return out;
  }
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let v = new Float64Array(n);
  new Rng(0x1a4c205, n).fillNormal(v, 1);
  const orthogonalize = (w: Float64Array): void => {
    // Twice, against U and every earlier vector: full reorthogonalization keeps the Ritz values
    // free of the spurious copies plain Lanczos produces in floating point.
    for (let pass = 0; pass < 2; pass++) {
      projectOff(u, w);
      for (const b of basis) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += b[i] * w[i];
        for (let i = 0; i < n; i++) w[i] -= dot * b[i];
      }
    }
  };
  orthogonalize(v);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += v[i] * v[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) v[i] /= norm;
  const w = new Float64Array(n);
  for (let step = 0; step < m; step++) {
    basis.push(v);
    applySym(graph, u, v, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += v[i] * w[i];
    alpha.push(a);
    orthogonalize(w);
    norm = 0;
    for (let i = 0; i < n; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm);
    if (step === m - 1 || norm < 1e-13) {
      beta.push(norm);
      break;
    }
    beta.push(norm);
    v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = w[i] / norm;
  }
  const k = alpha.length;
  const t = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    t[i * k + i] = alpha[i];
    if (i + 1 < k) t[(i + 1) * k + i] = t[i * k + i + 1] = beta[i];
  }
  const theta = symmetricEigenvalues(t, k);
  const top = Math.abs(theta[0]) >= Math.abs(theta[k - 1]) ? theta[0] : theta[k - 1];
  out.lambda = Math.abs(top);
  out.steps = k;
  out.residual = ritzResidual(graph, u, basis, t, k, top);
  cache.set(graph, out);
  return out;
}

/**
 * ‖Â y − θ y‖ for the Ritz vector y of θ: its eigenvector s of the tridiagonal T by inverse
 * iteration (T − θ' I with θ' a hair off θ), then y = V s.
 */
function ritzResidual(
  graph: Csr,
  u: LimitSubspace,
  basis: Float64Array[],
  t: Float64Array,
  k: number,
  theta: number,
): number {
  const n = u.n;
  let s: Float64Array = new Float64Array(k).fill(1 / Math.sqrt(k));
  const shift = theta + 1e-10 * Math.max(1, Math.abs(theta));
  for (let it = 0; it < 3; it++) s = solveTridiagonal(t, k, shift, s);
  const y = new Float64Array(n);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) y[i] += s[j] * basis[j][i];
  const ay = new Float64Array(n);
  applySym(graph, u, y, ay);
  let r = 0;
  for (let i = 0; i < n; i++) r += (ay[i] - theta * y[i]) ** 2;
  return Math.sqrt(r);
}

/** (T − σI)⁻¹ b for the symmetric tridiagonal T, normalized (Thomas algorithm, no pivoting). */
function solveTridiagonal(t: Float64Array, k: number, sigma: number, b: Float64Array): Float64Array {
  const c = new Float64Array(k);
  const d = new Float64Array(k);
  const x = new Float64Array(k);
  let den = t[0] - sigma || 1e-300;
  c[0] = k > 1 ? t[1] / den : 0;
  d[0] = b[0] / den;
  for (let i = 1; i < k; i++) {
    const sub = t[i * k + i - 1];
    den = t[i * k + i] - sigma - sub * c[i - 1] || 1e-300;
    c[i] = i + 1 < k ? t[i * k + i + 1] / den : 0;
    d[i] = (b[i] - sub * d[i - 1]) / den;
  }
  x[k - 1] = d[k - 1];
  for (let i = k - 2; i >= 0; i--) x[i] = d[i] - c[i] * x[i + 1];
  let norm = 0;
  for (let i = 0; i < k; i++) norm += x[i] * x[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < k; i++) x[i] /= norm;
  return x;
}
