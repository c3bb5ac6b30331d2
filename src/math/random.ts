// The one pseudo-random generator of the project (SPEC §1.4: "same seed, same weights").
// Weights and built-in data sets are drawn here, in float64, on the CPU only; the GPU
// engine uploads the resulting numbers cast to float32, so both engines see the same draws.
//
// The algorithm, exactly (so that anyone can reproduce a stream in another language):
//
// 1. Key. `hashSeed(v0, v1, …)` turns any list of numbers into one uint32. Each value is
//    taken as its IEEE-754 float64 bit pattern (−0 is read as +0), split into its low and
//    high 32-bit words (in that order), and the word sequence is hashed with
//    MurmurHash3_x86_32 (seed 0, the length term counting 4 bytes a word).
// 2. State. The four 32-bit words of xoshiro128** are s_k = fmix32(key + (k+1)·0x9E3779B9)
//    for k = 0..3 (mod 2³²; fmix32 is MurmurHash3's finalizer, a bijection, so the four
//    words are distinct and the state is never all zero).
// 3. Stream. `nextUint32()` is one step of xoshiro128** (Blackman & Vigna, 2018).
// 4. uniform() = (a >>> 5 · 2²⁶ + b >>> 6) / 2⁵³ from two consecutive outputs a, b:
//    a float64 in [0, 1) with 53 random bits.
// 5. normal(): Box–Muller on u1 = 1 − uniform() ∈ (0, 1] and u2 = uniform():
//    r = sqrt(−2 ln u1); returns r·cos(2π u2), and the next call returns the cached
//    r·sin(2π u2). So normals come in pairs and each pair costs two uniforms.
// 6. int(n) = floor(uniform() · n), for 1 ≤ n ≤ 2⁵³ (bias below 2⁻²⁰ for n < 2³²).

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// Float64Array/Uint32Array views share the platform's byte order; every JS engine we
// target is little-endian, where U32[0] is the low word.

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Mix numbers into one uint32 key (MurmurHash3_x86_32 of their float64 bit patterns).
 * Different lists give unrelated keys; any finite number is accepted, so seed 1 and 1.5
 * are different streams.
 */
export function hashSeed(...values: number[]): number {
  let h = 0;
  let words = 0;
  const mix = (word: number): void => {
    let k = Math.imul(word, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    words++;
  };
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`random seed parts must be finite numbers (got ${v})`);
    F64[0] = v === 0 ? 0 : v;
    mix(U32[0]);
    mix(U32[1]);
  }
  h ^= words * 4;
  return fmix32(h);
}

/** Deterministic xoshiro128** stream keyed by hashSeed(seed, ...stream). */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, ...stream: number[]) {
    const key = hashSeed(seed, ...stream);
    this.s0 = fmix32((key + 0x9e3779b9) >>> 0);
    this.s1 = fmix32((key + 2 * 0x9e3779b9) >>> 0);
    this.s2 = fmix32((key + 3 * 0x9e3779b9) >>> 0);
    this.s3 = fmix32((key + 4 * 0x9e3779b9) >>> 0);
  }

  /** One xoshiro128** step: a uniform uint32. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float64 in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal N(0, 1) by Box–Muller (pairs; the second of a pair is cached). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const phi = 2 * Math.PI * u2;
    this.spare = r * Math.sin(phi);
    this.hasSpare = true;
    return r * Math.cos(phi);
  }

  /** Uniform integer in 0..n−1. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fill `out` with N(0, std²) draws, in index order. */
  fillNormal(out: Float64Array | Float32Array, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = std * this.normal();
  }
}
