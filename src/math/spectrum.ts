// Spectra in float64 (SPEC §2): the eigenvalues of a symmetric Gram matrix, the singular
// values they give, and the effective rank. Eigenvalues only: Householder reduction to
// tridiagonal form, then the implicit QL algorithm with Wilkinson shifts (the EISPACK
// tred2/tql1 pair, as in Numerical Recipes' tred2/tqli), about (4/3)n³ flops.

/** QL sweeps allowed per eigenvalue before giving up (EISPACK uses 30; well-conditioned inputs need 2–3). */
const MAX_QL_ITERATIONS = 60;

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Eigenvalues of the symmetric n×n matrix `a` (row-major; only the lower triangle is read),
 * in descending order. `a` is not modified. A non-finite entry, or a QL iteration that does
 * not converge, gives all-NaN rather than a loop or a wrong number.
 */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  if (a.length < n * n) throw new Error(`symmetricEigenvalues: need ${n}×${n} entries, got ${a.length}`);
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (!allFinite(a.subarray(0, n * n))) return out.fill(NaN);
  const { m, scale } = scaledCopy(a, n);
  if (scale === 0) return out; // the zero matrix
  const diag = new Float64Array(n);
  const off = new Float64Array(n);
  tridiagonalize(m, n, diag, off);
  if (!tridiagonalQL(diag, off, n)) return out.fill(NaN);
  for (let i = 0; i < n; i++) out[i] = diag[i] * scale;
  out.sort((x, y) => y - x);
  return out;
}

/**
 * The symmetric matrix whose lower triangle is a's, scaled to max |a_ij| = 1 so that sums of
 * squares can neither overflow nor underflow; scale 0 for the zero matrix.
 */
function scaledCopy(a: Float64Array, n: number): { m: Float64Array; scale: number } {
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) scale = Math.max(scale, Math.abs(a[i * n + j]));
  const m = new Float64Array(n * n);
  if (scale === 0) return { m, scale };
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = a[i * n + j] / scale;
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  return { m, scale };
}

/**
 * Householder reduction of the symmetric matrix m (destroyed) to tridiagonal form:
 * diag[i] the diagonal, off[i] the entry (i, i−1) (off[0] = 0). Only the lower triangle
 * is used and updated, row by row, so that all inner loops run over contiguous memory.
 */
function tridiagonalize(
  m: Float64Array,
  n: number,
  diag: Float64Array,
  off: Float64Array,
  reflectors?: Float64Array,
): void {
  const p = new Float64Array(n);
  for (let i = n - 1; i >= 1; i--) {
    const l = i - 1;
    const ri = i * n; // row i holds the vector being annihilated, m[i][0..l]
    let h = 0;
    if (l > 0) {
      let sc = 0;
      for (let k = 0; k <= l; k++) sc += Math.abs(m[ri + k]);
      if (sc === 0) {
        off[i] = m[ri + l];
      } else {
        for (let k = 0; k <= l; k++) {
          m[ri + k] /= sc;
          h += m[ri + k] * m[ri + k];
        }
        const f = m[ri + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        off[i] = sc * g;
        h -= f * g;
        m[ri + l] = f - g; // u = m[i][0..l], and the reflector is I − u uᵀ / h
        // p = A u / h over the leading (l+1)×(l+1) block, from its lower triangle:
        // row j contributes A[j][k] u[k] to p[j] and A[j][k] u[j] to p[k] (k < j).
        p.fill(0, 0, l + 1);
        for (let j = 0; j <= l; j++) {
          const rj = j * n;
          const uj = m[ri + j];
          let acc = 0;
          for (let k = 0; k < j; k++) {
            const ajk = m[rj + k];
            acc += ajk * m[ri + k];
            p[k] += ajk * uj;
          }
          p[j] += acc + m[rj + j] * uj;
        }
        let ff = 0;
        for (let j = 0; j <= l; j++) {
          p[j] /= h;
          ff += p[j] * m[ri + j];
        }
        const hh = ff / (h + h);
        // q = p − hh·u, then A ← A − u qᵀ − q uᵀ (lower triangle).
        for (let j = 0; j <= l; j++) p[j] -= hh * m[ri + j];
        for (let j = 0; j <= l; j++) {
          const rj = j * n;
          const uj = m[ri + j];
          const qj = p[j];
          for (let k = 0; k <= j; k++) m[rj + k] -= uj * p[k] + qj * m[ri + k];
        }
      }
    } else {
      off[i] = m[ri + l];
    }
    diag[i] = h;
    if (reflectors) reflectors[i] = h;
  }
  off[0] = 0;
  for (let i = 0; i < n; i++) diag[i] = m[i * n + i];
}

/** Plane rotations (i, c, s) in a flat typed array that doubles when full. */
class RotationLog {
  data = new Float64Array(3 * 256);
  length = 0;
  push(i: number, c: number, s: number): void {
    if (this.length + 3 > this.data.length) {
      const grown = new Float64Array(2 * this.data.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = i;
    this.data[this.length + 1] = c;
    this.data[this.length + 2] = s;
    this.length += 3;
  }
}

/**
 * Implicit QL with Wilkinson shifts on the tridiagonal (d, e); e[i] is entry (i, i−1) on
 * input. Overwrites d with the eigenvalues (unordered). Returns false if it did not converge.
 * `rotations`, when given, receives every plane rotation (i, c, s) in the order applied: their
 * product is the eigenvector matrix Z of the tridiagonal, so one eigenvector costs one pass over
 * the log instead of accumulating all n of them (tql2's n³ work).
 */
function tridiagonalQL(d: Float64Array, e: Float64Array, n: number, rotations?: RotationLog): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iter > MAX_QL_ITERATIONS) return false;
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        rotations?.push(i, c, s);
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return true;
}

/**
 * The eigenvectors of the k largest eigenvalues of the symmetric n×n matrix `a` (row-major;
 * only the lower triangle is read; not modified), largest first, each of length n and unit norm,
 * with their eigenvalues. The same Householder + implicit QL path as symmetricEigenvalues,
 * about (4/3)n³ flops whatever the spectrum: unlike an iteration, a cluster of equal eigenvalues
 * costs nothing extra. Each eigenvector y of the tridiagonal is the product of QL's logged plane
 * rotations applied to a unit vector, then the Householder reflectors take it back to `a`'s basis.
 * Null when `a` holds a non-finite entry or QL does not converge.
 */
export function topEigenvectors(
  a: Float64Array,
  n: number,
  k: number,
): { values: Float64Array; vectors: Float64Array[] } | null {
  if (!allFinite(a.subarray(0, n * n))) return null;
  k = Math.min(k, n);
  const { m, scale } = scaledCopy(a, n);
  const unit = (i: number) => {
    const v = new Float64Array(n);
    v[i] = 1;
    return v;
  };
  if (scale === 0)
    return { values: new Float64Array(k), vectors: Array.from({ length: k }, (_, i) => unit(i)) };
  const diag = new Float64Array(n);
  const off = new Float64Array(n);
  const reflectors = new Float64Array(n);
  tridiagonalize(m, n, diag, off, reflectors);
  const log = new RotationLog();
  if (!tridiagonalQL(diag, off, n, log)) return null;
  const rotations = log.data;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => diag[y] - diag[x]);
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  for (let t = 0; t < k; t++) {
    const j = order[t];
    values[t] = diag[j] * scale;
    // y = Z e_j with Z = G_1 G_2 ⋯ G_R (rotations in the order applied): the last one first.
    const y = unit(j);
    for (let r = log.length - 3; r >= 0; r -= 3) {
      const i = rotations[r];
      const c = rotations[r + 1];
      const s = rotations[r + 2];
      const yi = y[i];
      const yn = y[i + 1];
      y[i] = c * yi + s * yn;
      y[i + 1] = c * yn - s * yi;
    }
    // x = Q y with Q = P_{n−1} ⋯ P_2 (P_i = I − u uᵀ/h, u = m[i][0..i−1]): P_2 first.
    for (let i = 2; i < n; i++) {
      const h = reflectors[i];
      if (h === 0) continue;
      const ri = i * n;
      let dot = 0;
      for (let q = 0; q < i; q++) dot += m[ri + q] * y[q];
      const f = dot / h;
      for (let q = 0; q < i; q++) y[q] -= f * m[ri + q];
    }
    vectors.push(y);
  }
  return { values, vectors };
}

/**
 * Singular values from a Gram matrix (HᵀH, d×d, or HHᵀ, which has the same nonzero
 * eigenvalues): σ_i = sqrt(max(λ_i, 0)), descending, the first `count` of them
 * (count = min(N, d) for an N×d matrix H; values past the Gram's side are 0).
 * Rounding can make a tiny eigenvalue negative; it is read as 0.
 */
export function singularValuesFromGram(gram: Float64Array, d: number, count: number): Float64Array {
  const eig = symmetricEigenvalues(gram, d);
  const out = new Float64Array(Math.max(0, count));
  for (let i = 0; i < out.length; i++) {
    if (i >= d) break;
    const lambda = eig[i];
    out[i] = Number.isNaN(lambda) ? NaN : Math.sqrt(Math.max(lambda, 0));
  }
  return out;
}

/**
 * Effective rank (Roy & Vetterli 2007; the ContraNorm code): exp(−Σ p_i log p_i) with
 * p = σ/Σσ, terms with p_i = 0 skipped. Lies in [1, number of nonzero σ].
 * Convention: NaN when any σ is non-finite or all σ are zero (the entropy of an empty
 * distribution is undefined; the zero matrix has no directions to count).
 */
export function effectiveRank(sv: Float64Array): number {
  let total = 0;
  for (let i = 0; i < sv.length; i++) {
    if (!Number.isFinite(sv[i])) return NaN;
    total += Math.abs(sv[i]);
  }
  if (!(total > 0) || !Number.isFinite(total)) return NaN;
  let entropy = 0;
  for (let i = 0; i < sv.length; i++) {
    const p = Math.abs(sv[i]) / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/**
 * Eigen-decomposition of a symmetric k×k matrix (row-major, modified) by cyclic Jacobi.
 * (Eigenvectors too, unlike symmetricEigenvalues: the PCA of src/data/reduce.ts and the
 * SimSiam/BYOL modes of src/noncontrastive need them; k is small there.)
 * Returns eigenvalues descending and eigenvectors as the columns of a k×k row-major matrix.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < k; p++) {
      diag += a[p * k + p] * a[p * k + p];
      for (let q = p + 1; q < k; q++) off += a[p * k + q] * a[p * k + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < k - 1; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (apq === 0) continue;
        const app = a[p * k + p];
        const aqq = a[q * k + q];
        if (Math.abs(apq) < 1e-300 || Math.abs(apq) <= 1e-18 * Math.sqrt(Math.abs(app * aqq))) {
          a[p * k + q] = a[q * k + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r];
          const aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => a[j * k + j] - a[i * k + i]);
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    values[c] = a[order[c] * k + order[c]];
    for (let r = 0; r < k; r++) vectors[r * k + c] = v[r * k + order[c]];
  }
  return { values, vectors };
}
