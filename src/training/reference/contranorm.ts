// ContraNorm (SPEC §1.3) forward with a tape, and its backward; S is never formed as an N×N
// matrix: the forward keeps S Z (n×d), and the backward recomputes S one row at a time.
//
// Forward, with u = rn(Z), c = 1/τ, a = s, k = 1 (k = 1+s for `identity`; for `paper` u = Z,
// c = 1, a = s/τ):  S = softmax(c·u uᵀ) (row-wise, `mask` removes self and neighbours),
// Y = k·Z − a·S Z,  out = layernorm(Y).
// Backward, from ∂Y (LayerNorm's backward first), per row i with b_i = −a·∂Y_i:
//   value path        ∂Z_j += S_ij·b_i                       (the Sᵀ ∂Y term, scattered)
//   softmax           ∂score_ij = S_ij·(b_i·Z_j − b_i·(S Z)_i)
//   scores c·u_i·u_j  ∂u_i += c·Σ_j ∂score_ij u_j,  ∂u_j += c·∂score_ij u_i
//   identity term     ∂Z += k·∂Y
// then through rn: ∂z_i += (∂u_i − u_i(u_i·∂u_i))/‖z_i‖ (‖z_i‖ > 1e-12; below, rn is z/1e-12, linear).
// A fully masked row has S Z = 0 and passes nothing back through S.

import type { NormConfig } from '../../engine/types';
import type { Csr } from '../../data/graph';
import { contraNormRow, rowNormalize } from '../../engine/reference/ops';
import { contraNormCoefficients } from '../../math/contranorm';
import { ROW_NORM_EPS } from '../../engine/metrics';
import { layerNorm, layerNormBackward } from './norms';

export interface ContraNormTape {
  z: Float64Array;
  /** The vectors whose dot products are the scores: rn(Z), or Z itself for `paper`. */
  u: Float64Array;
  /** S Z, n×d (rows of fully masked rows are 0). */
  sz: Float64Array;
  /** Y = k·Z − a·S Z, the LayerNorm input. */
  y: Float64Array;
}

export function contraNormForward(
  z: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  graph?: Csr,
): { out: Float64Array; tape: ContraNormTape } {
  const co = contraNormCoefficients(norm);
  const u = co.paper ? z : rowNormalize(z, n, d);
  const mask = norm.variant === 'mask';
  const stamp = new Int32Array(mask ? n : 0).fill(-1);
  const scores = new Float64Array(n);
  const sz = new Float64Array(n * d);
  const y = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    if (contraNormRow(i, u, n, d, co.scoreScale, mask, graph, stamp, scores))
      for (let j = 0; j < n; j++) {
        const p = scores[j];
        if (p === 0) continue;
        const oj = j * d;
        for (let t = 0; t < d; t++) sz[oi + t] += p * z[oj + t];
      }
    for (let t = 0; t < d; t++) y[oi + t] = co.keep * z[oi + t] - co.pull * sz[oi + t];
  }
  return { out: layerNorm(y, n, d), tape: { z, u, sz, y } };
}

export function contraNormBackward(
  tape: ContraNormTape,
  g: Float64Array,
  n: number,
  d: number,
  norm: NormConfig,
  graph?: Csr,
): Float64Array {
  const { z, u, sz, y } = tape;
  const co = contraNormCoefficients(norm);
  const gy = layerNormBackward(y, g, n, d);
  const gz = new Float64Array(n * d);
  for (let k = 0; k < gz.length; k++) gz[k] = co.keep * gy[k];
  const gu = new Float64Array(n * d);
  const mask = norm.variant === 'mask';
  const stamp = new Int32Array(mask ? n : 0).fill(-1);
  const scores = new Float64Array(n);
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    if (!contraNormRow(i, u, n, d, co.scoreScale, mask, graph, stamp, scores)) continue;
    const oi = i * d;
    let base = 0;
    for (let t = 0; t < d; t++) {
      b[t] = -co.pull * gy[oi + t];
      base += b[t] * sz[oi + t];
    }
    for (let j = 0; j < n; j++) {
      const p = scores[j];
      if (p === 0) continue;
      const oj = j * d;
      let bz = 0;
      for (let t = 0; t < d; t++) bz += b[t] * z[oj + t];
      const ds = co.scoreScale * p * (bz - base);
      for (let t = 0; t < d; t++) {
        gz[oj + t] += p * b[t];
        gu[oi + t] += ds * u[oj + t];
        gu[oj + t] += ds * u[oi + t];
      }
    }
  }
  if (co.paper) {
    for (let k = 0; k < gz.length; k++) gz[k] += gu[k];
    return gz;
  }
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    let sq = 0;
    let ug = 0;
    for (let t = 0; t < d; t++) {
      sq += z[oi + t] * z[oi + t];
      ug += u[oi + t] * gu[oi + t];
    }
    const r = Math.sqrt(sq);
    if (r > ROW_NORM_EPS) for (let t = 0; t < d; t++) gz[oi + t] += (gu[oi + t] - u[oi + t] * ug) / r;
    else for (let t = 0; t < d; t++) gz[oi + t] += gu[oi + t] / ROW_NORM_EPS;
  }
  return gz;
}
