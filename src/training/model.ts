// The trainable model's parameters and random masks, shared by the CPU and GPU trainers
// so that both start from the same numbers and drop the same entries.
//
// Weights. Layer ℓ = 1..L has W_ℓ (dims[ℓ−1] × dims[ℓ]), drawn with the forward engine's
// `initMatrix` (SPEC §1.4: `gaussian` N(0, gain²/fan_in), `orthogonal`·gain, `identity`), so the
// gradient view shows the same kind of network the collapse view does. On square hidden layers
// N(0, 1/d) has the variance of the Glorot-uniform init of the authors' PyG GCNConv (a²/3 = 1/d
// for a = √(6/2d)). The read-out W_out (hidden × classes) is Glorot-uniform U(−a, a),
// a = √(6/(hidden + classes)), whatever the layer init (an identity read-out would be meaningless).
// Streams: Rng(seed, TRAIN_WEIGHT_DOMAIN, ℓ, 0) for W_ℓ and Rng(seed, TRAIN_WEIGHT_DOMAIN, L+1, 1)
// for W_out. TRAIN_WEIGHT_DOMAIN differs from the forward engine's, so a training seed never
// replays the forward view's matrices by accident. Entries are drawn in row-major order.
//
// Dropout (inverted): site k = 0..L−1 is the input of layer k+1, site L the read-out input. In
// epoch e (0-based) entry i (row-major index) of site k is kept when u_i ≥ p, and then scaled by
// 1/(1−p); dropped entries are 0. u_i is counter-based, so any entry can be drawn on its own
// (the sparse first layer draws only the non-zeros of X; a shader can draw its own entries):
//   key = hashSeed(seed, DROPOUT_DOMAIN, e, k)                    (src/math/random.ts)
//   u_i = fmix32((key + i·0x9E3779B9) mod 2³²) / 2³²             (a Weyl sequence + MurmurHash3's finalizer)

import { initMatrix } from '../engine/weights';
import { Rng, fmix32, hashSeed } from '../math/random';
import type { TrainConfig } from './types';

export const TRAIN_WEIGHT_DOMAIN = 0x54524e57; // 'TRNW'
export const DROPOUT_DOMAIN = 0x44524f50; // 'DROP'

export interface TrainingWeights {
  /** Widths of H_0..H_L: [inDim, hidden, …, hidden]. */
  dims: number[];
  /** W_1..W_L (index ℓ−1), row-major dims[ℓ−1]×dims[ℓ]. */
  layers: Float64Array[];
  /** Read-out, hidden×classes. */
  out: Float64Array;
  classes: number;
}

/** Glorot (Xavier) uniform: U(−a, a), a = gain·√(6/(rows + cols)). */
export function glorotUniform(rows: number, cols: number, rng: Rng, gain = 1): Float64Array {
  const a = gain * Math.sqrt(6 / (rows + cols));
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = (2 * rng.uniform() - 1) * a;
  return m;
}

export function initTrainingWeights(config: TrainConfig, inDim: number, classes: number): TrainingWeights {
  const { layers: L, hidden, seed } = config;
  if (!Number.isInteger(L) || L < 1) throw new Error(`layers L must be an integer ≥ 1 (got ${L})`);
  const dims = [inDim, ...Array.from({ length: L }, () => hidden)];
  const layers: Float64Array[] = [];
  for (let l = 1; l <= L; l++)
    layers.push(
      initMatrix(
        config.weights.init,
        config.weights.gain,
        dims[l - 1],
        dims[l],
        new Rng(seed, TRAIN_WEIGHT_DOMAIN, l, 0),
      ),
    );
  const out = glorotUniform(hidden, classes, new Rng(seed, TRAIN_WEIGHT_DOMAIN, L + 1, 1));
  return { dims, layers, out, classes };
}

/** Deep copy (the trainer updates weights in place). */
export function cloneWeights(w: TrainingWeights): TrainingWeights {
  return {
    dims: [...w.dims],
    layers: w.layers.map((m) => m.slice()),
    out: w.out.slice(),
    classes: w.classes,
  };
}

/** The key of one dropout site in one epoch (see the header). */
export function dropoutKey(seed: number, epoch: number, site: number): number {
  return hashSeed(seed, DROPOUT_DOMAIN, epoch, site);
}

/** u_i ∈ [0, 1) of entry `index` under `key`: fmix32((key + index·0x9E3779B9) mod 2³²) / 2³². */
export function dropoutUniform(key: number, index: number): number {
  return fmix32((key + Math.imul(index, 0x9e3779b9)) >>> 0) / 4294967296;
}

/**
 * The integer form of the keep test, for shaders without float64: entry i is kept when
 * fmix32(…) ≥ threshold. h/2³² ≥ p ⟺ h ≥ p·2³² (both sides exact in float64: scaling by a power of
 * two) ⟺ h ≥ ⌈p·2³²⌉ for integer h. `keep` is the kept entries' factor 1/(1−p). For p so close to
 * 1 that ⌈p·2³²⌉ = 2³² nothing is kept: threshold 0 with factor 0.
 */
export function dropoutThreshold(p: number): { threshold: number; keep: number } {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout probability must be in [0, 1) (got ${p})`);
  const threshold = Math.ceil(p * 4294967296);
  return threshold > 0xffffffff ? { threshold: 0, keep: 0 } : { threshold, keep: 1 / (1 - p) };
}

/**
 * The inverted-dropout mask of one site in one epoch: entries 0 (dropped) or 1/(1−p) (kept).
 * p = 0 gives all ones; p must be in [0, 1).
 */
export function dropoutMask(
  seed: number,
  epoch: number,
  site: number,
  length: number,
  p: number,
): Float64Array {
  if (!(p >= 0 && p < 1)) throw new Error(`dropout probability must be in [0, 1) (got ${p})`);
  const mask = new Float64Array(length);
  if (p === 0) return mask.fill(1);
  const key = dropoutKey(seed, epoch, site);
  const keep = 1 / (1 - p);
  for (let i = 0; i < length; i++) mask[i] = dropoutUniform(key, i) >= p ? keep : 0;
  return mask;
}
