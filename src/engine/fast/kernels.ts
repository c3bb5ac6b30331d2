// The TypeScript side of the fast engine's WebAssembly kernels (wasm/kernels.ts): one instance
// per thread, an arena in its memory that each call lays its operands into (rows padded to the
// strides the kernels load as whole v128s), and the results copied back out as plain N×d
// Float32Arrays. Copies are O(N·d); the kernels are O(N·d·k) or O(N²·d).
import { plain, relaxed } from 'virtual:fast-kernels';
import { selfLoopDegrees, type Csr } from '../../data/graph';
import type { Adjacency } from '../types';
import type { HeadWeights, Mat } from '../reference/ops';
import { gramOf } from '../reference/layerSums';
import type { LayerSums } from '../metrics';
import type { LayerSumsOptions } from '../cpuEngine';

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  matmul(x: number, n: number, k: number, w: number, mp: number, out: number): void;
  propagate(
    rowPtr: number,
    col: number,
    coef: number,
    self: number,
    x: number,
    dp: number,
    r0: number,
    r1: number,
    out: number,
  ): void;
  expInPlace(x: number, len: number): void;
  expSoftmaxInPlace(x: number, len: number): void;
  softmaxRows(
    q: number,
    dkp: number,
    dk: number,
    kt: number,
    n: number,
    np: number,
    v: number,
    dvp: number,
    r0: number,
    r1: number,
    scale: number,
    fixedMax: number,
    maskSelf: number,
    exRowPtr: number,
    exCol: number,
    o: number,
    stats: number,
    scratch: number,
    rowScores: number,
    c: number,
  ): void;
  gram64(x: number, n: number, d: number, dp: number, shift: number, g: number, rows: number): void;
  layerSums64(x: number, n: number, d: number, out: number): void;
  symmetricEigenvalues64(m: number, n: number, diag: number, off: number, p: number): number;
  rowNormalize(x: number, n: number, d: number, out: number, np: number): void;
  transpose(x: number, n: number, d: number, out: number, np: number): void;
  contraNormFinish(
    z: number,
    acc: number,
    l: number,
    n: number,
    d: number,
    dvp: number,
    keep: number,
    pull: number,
    y: number,
    out: number,
  ): void;
  dirichlet64(rowPtr: number, col: number, x: number, n: number, d: number): number;
  softmaxSymmetric(
    u: number,
    ut: number,
    dk: number,
    n: number,
    np: number,
    z: number,
    dvp: number,
    r0: number,
    r1: number,
    scale: number,
    m: number,
    acc: number,
    l: number,
    scratch: number,
  ): void;
}

/** Keys per tile in the streaming softmax (TILE in wasm/kernels.ts). */
const TILE = 64;

/** The two builds of wasm/kernels.ts: `relaxed` adds relaxed SIMD's fused multiply-add. */
export type KernelBuild = 'plain' | 'relaxed';

const BINARIES: Record<KernelBuild, string> = { plain, relaxed };
const bytesOf = (build: KernelBuild): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(BINARIES[build]), (c) => c.charCodeAt(0));

let best: KernelBuild | null = null;
/** The faster build where this JavaScript engine accepts it (relaxed SIMD: Chromium 114 on; Node 20 only behind a flag). */
export function bestBuild(): KernelBuild {
  best ??= WebAssembly.validate(bytesOf('relaxed')) ? 'relaxed' : 'plain';
  return best;
}

const modules = new Map<KernelBuild, Promise<WebAssembly.Module>>();

/** The compiled module, once per thread; it can be posted to worker threads as it is. */
export function kernelModule(build: KernelBuild = bestBuild()): Promise<WebAssembly.Module> {
  let m = modules.get(build);
  if (!m) modules.set(build, (m = WebAssembly.compile(bytesOf(build))));
  return m;
}

/**
 * A copy of a view on the module's memory. Not view.slice(): Chromium copies a slice of wasm
 * memory element by element (measured: most of W2's time outside the kernels), where set() is
 * one block copy.
 */
function copyOf<T extends Float32Array | Float64Array>(view: T): T {
  const out = (
    view instanceof Float32Array ? new Float32Array(view.length) : new Float64Array(view.length)
  ) as T;
  out.set(view);
  return out;
}

const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/**
 * One row-block of a streaming softmax product O = softmax(scale·Q Kᵀ) V (attention, or
 * ContraNorm's S·Z with Q = K = rn(Z), V = Z). Plain data: it is posted to worker threads.
 */
export interface SoftmaxOp {
  n: number;
  dk: number;
  dv: number;
  /** n×dk, n×dk, n×dv, row-major. */
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  scale: number;
  /** A constant row max (ContraNorm's unit rows: 1/τ), or Infinity for the running max. */
  fixedMax: number;
  /** Leave each row's own key out (ContraNorm `mask`). */
  maskSelf: boolean;
  /** Keys each row leaves out (ContraNorm `mask`: graph neighbours), as a CSR with sorted columns. */
  exclude: { rowPtr: Uint32Array; col: Uint32Array } | null;
  /** Also return c_j = Σ_i P_ij/‖P_i‖ over the block's rows (the attention-map similarity). */
  colSums: boolean;
  /**
   * Q = K, a finite fixedMax, no masks and no colSums (ContraNorm's `code` and `identity` forms):
   * the scores are symmetric and each pair is scored once (wasm softmaxSymmetric). A block is
   * then a partial sum over all n rows (SoftmaxBlock.partial), to be added up and divided.
   */
  symmetric?: boolean;
}

export interface SoftmaxBlock {
  r0: number;
  r1: number;
  /** (r1 − r0)×dv output rows. */
  o: Float32Array;
  /** Per row: the max m, Σ exp(s − m), Σ exp(2(s − m)). */
  stats: Float32Array;
  /** Length n (with colSums), else null. */
  colSum: Float32Array | null;
  /**
   * A symmetric op's share of the work: o is then n×dv, Σ_j p_ij v_j not yet divided, for every
   * row, and stats holds the n row sums Σ_j p_ij (see SoftmaxOp.symmetric).
   */
  partial?: boolean;
}

/** Where one softmaxRows call's operands lie in the module's memory (FastKernels.softmaxRowsArena). */
interface SoftmaxArena {
  np: number;
  dkp: number;
  dvp: number;
  pq: number;
  pkt: number;
  pv: number;
  po: number;
  pStats: number;
  pScratch: number;
  pRowScores: number;
  pC: number;
}

/** Â's coefficients for the propagate kernel (per CSR entry, and the self loop per row). */
interface PropagationPlan {
  coef: Float32Array;
  self: Float32Array;
}
const plans = new WeakMap<Csr, Map<Adjacency, PropagationPlan>>();

function propagationPlan(graph: Csr, n: number, adjacency: Adjacency): PropagationPlan {
  let byAdjacency = plans.get(graph);
  if (!byAdjacency) plans.set(graph, (byAdjacency = new Map<Adjacency, PropagationPlan>()));
  let plan = byAdjacency.get(adjacency);
  if (plan) return plan;
  // The same coefficients as the reference's propagate(), computed in float64, stored as float32.
  const deg = selfLoopDegrees(graph, n);
  const coef = new Float32Array(graph.colIdx.length);
  const self = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    self[i] = 1 / deg[i];
    for (let k = graph.rowPtr[i]; k < graph.rowPtr[i + 1]; k++) {
      const a = graph.weights ? graph.weights[k] : 1;
      const j = graph.colIdx[k];
      coef[k] = adjacency === 'rw' ? a / deg[i] : a / Math.sqrt(deg[i] * deg[j]);
    }
  }
  plan = { coef, self };
  byAdjacency.set(adjacency, plan);
  return plan;
}

export class FastKernels {
  private top = 0;
  private readonly base: number;

  private constructor(private readonly x: KernelExports) {
    this.base = roundUp(x.heapBase(), 16);
  }

  static async create(module?: WebAssembly.Module): Promise<FastKernels> {
    const instance = await WebAssembly.instantiate(module ?? (await kernelModule()), {
      env: {
        abort: () => {
          throw new Error('fast kernels: abort');
        },
      },
    });
    return new FastKernels(instance.exports as unknown as KernelExports);
  }

  /** Start a new call's arena. */
  private reset(): void {
    this.top = this.base;
  }

  /** Bytes for one operand, 16-aligned, growing the memory when needed. */
  private alloc(bytes: number): number {
    const p = this.top;
    this.top = roundUp(p + bytes, 16);
    const have = this.x.memory.buffer.byteLength;
    if (this.top > have) this.x.memory.grow(Math.ceil((this.top - have) / 65536));
    return p;
  }

  /** A view on the memory (made after every alloc of the call: growing detaches older views). */
  private f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, ptr, length);
  }
  private u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.x.memory.buffer, ptr, length);
  }

  /** Copy an n×d matrix into rows of stride dp (zero padded) at ptr. */
  private putRows(ptr: number, x: Mat, n: number, d: number, dp: number, r0 = 0): void {
    const dst = this.f32(ptr, n * dp);
    if (dp === d) {
      dst.set(r0 === 0 && x.length === n * d ? x : x.subarray(r0 * d, (r0 + n) * d));
      return;
    }
    dst.fill(0);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) dst[i * dp + t] = x[(r0 + i) * d + t];
  }

  /** Rows of stride dp at ptr, as an n×d Float32Array. */
  private getRows(ptr: number, n: number, d: number, dp: number): Float32Array {
    const src = this.f32(ptr, n * dp);
    if (dp === d) return copyOf(src);
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) out.set(src.subarray(i * dp, i * dp + d), i * d);
    return out;
  }

  /** x (n×k) · w (k×m), float32. */
  matmul(x: Mat, n: number, k: number, w: Float64Array, m: number): Float32Array {
    this.reset();
    const mp = roundUp(m, 8);
    const px = this.alloc(n * k * 4);
    const pw = this.alloc(k * mp * 4);
    const po = this.alloc(n * mp * 4);
    this.f32(px, n * k).set(x);
    this.putRows(pw, w, k, m, mp);
    this.x.matmul(px, n, k, pw, mp, po);
    return this.getRows(po, n, m, mp);
  }

  /**
   * One attention head on this thread alone (see SoftmaxPool.parts), every step in the module's
   * memory: Q, K, V = x·W_Q, x·W_K, x·W_V, Kᵀ, then all n rows of the streaming softmax with the
   * column sums; one copy in, one out.
   */
  attentionLocal(x: Mat, n: number, k: number, head: HeadWeights, m: number): SoftmaxBlock {
    const mp = roundUp(m, 8);
    this.reset();
    const px = this.alloc(n * k * 4);
    const w = [head.wq, head.wk, head.wv];
    const pw = w.map(() => this.alloc(k * mp * 4));
    const pk = this.alloc(n * mp * 4);
    const a = this.softmaxRowsArena(n, n, mp, mp, true);
    this.f32(px, n * k).set(x);
    w.forEach((wi, i) => this.putRows(pw[i], wi, k, m, mp));
    this.x.matmul(px, n, k, pw[0], mp, a.pq);
    this.x.matmul(px, n, k, pw[1], mp, pk);
    this.x.matmul(px, n, k, pw[2], mp, a.pv);
    this.x.transpose(pk, n, mp, a.pkt, a.np);
    this.softmaxRows(a, m, n, 0, n, { scale: 1 / Math.sqrt(m), fixedMax: Infinity, maskSelf: false });
    return {
      r0: 0,
      r1: n,
      o: this.getRows(a.po, n, m, mp),
      stats: copyOf(this.f32(a.pStats, n * 3)),
      colSum: copyOf(this.f32(a.pC, n)),
    };
  }

  /** Â x over the graph's CSR (SPEC §1.1), float32. */
  propagate(graph: Csr, x: Mat, n: number, d: number, adjacency: Adjacency): Float32Array {
    const plan = propagationPlan(graph, n, adjacency);
    this.reset();
    const dp = roundUp(d, 4);
    const nnz = graph.colIdx.length;
    const pRow = this.alloc((n + 1) * 4);
    const pCol = this.alloc(nnz * 4);
    const pCoef = this.alloc(nnz * 4);
    const pSelf = this.alloc(n * 4);
    const px = this.alloc(n * dp * 4);
    const po = this.alloc(n * dp * 4);
    this.u32(pRow, n + 1).set(graph.rowPtr);
    this.u32(pCol, nnz).set(graph.colIdx);
    this.f32(pCoef, nnz).set(plan.coef);
    this.f32(pSelf, n).set(plan.self);
    this.putRows(px, x, n, d, dp);
    this.x.propagate(pRow, pCol, pCoef, pSelf, px, dp, 0, n, po);
    return this.getRows(po, n, d, dp);
  }

  /**
   * Σ_i (x_i − shift)(x_i − shift)ᵀ (d×d) of float32 rows, summed in float64 (so the spectrum
   * carries no float32 summation noise); shift null for none.
   */
  gram(x: Float32Array, n: number, d: number, shift: Float64Array | null): Float64Array {
    this.reset();
    const px = this.alloc(n * d * 4);
    this.f32(px, n * d).set(x);
    return this.gramResident(px, n, d, shift);
  }

  /** gram() of the n×d rows already at px (allocated in the current call's arena). */
  private gramResident(px: number, n: number, d: number, shift: Float64Array | null): Float64Array {
    const gs = roundUp(d, 2);
    const pShift = shift ? this.alloc(d * 8) : 0;
    const pg = this.alloc(d * gs * 8);
    const pRows = this.alloc(4 * gs * 8);
    if (shift) new Float64Array(this.x.memory.buffer, pShift, d).set(shift);
    new Float64Array(this.x.memory.buffer, pg, d * gs).fill(0);
    this.x.gram64(px, n, d, d, pShift, pg, pRows);
    const src = new Float64Array(this.x.memory.buffer, pg, d * gs);
    const g = new Float64Array(d * d);
    for (let a = 0; a < d; a++)
      for (let b = 0; b <= a; b++) {
        const v = src[a * gs + b];
        g[a * d + b] = v;
        g[b * d + a] = v;
      }
    return g;
  }

  /**
   * A layer's metric sums (metrics.ts LayerSums) and its count of NaN and ±∞ entries, in float64
   * from the float32 rows, in the reference's order of summation (computeLayerSums), with H copied
   * into the module once for all of them. The Gram is d×d here when n ≥ d, else gramOf's n×n.
   */
  layerSums(
    x: Float32Array,
    n: number,
    d: number,
    options: LayerSumsOptions,
  ): { sums: LayerSums; nonFinite: number } {
    this.reset();
    const px = this.alloc(n * d * 4);
    const pOut = this.alloc((2 * d + 4) * 8);
    this.f32(px, n * d).set(x);
    this.x.layerSums64(px, n, d, pOut);
    const out = copyOf(new Float64Array(this.x.memory.buffer, pOut, 2 * d + 4));
    const colSum = out.slice(0, d);
    const gamma = colSum.map((v) => v / n);
    const shift = options.centered ? gamma : null;
    let gram: Float64Array;
    if (n >= d) gram = this.gramResident(px, n, d, shift);
    else gram = gramOf(x, n, d, shift);
    let dirichletSum: number | null = null;
    const graph = options.graph;
    if (graph) {
      const nnz = graph.colIdx.length;
      const pRow = this.alloc((n + 1) * 4);
      const pCol = this.alloc(Math.max(nnz, 1) * 4);
      this.u32(pRow, n + 1).set(graph.rowPtr);
      this.u32(pCol, nnz).set(graph.colIdx);
      dirichletSum = this.x.dirichlet64(pRow, pCol, px, n, d);
    }
    return {
      sums: {
        n,
        d,
        gram,
        colSum,
        unitColSum: out.slice(d, 2 * d),
        unitRowCount: out[2 * d],
        sumSq: out[2 * d + 1],
        centeredSumSq: out[2 * d + 2],
        dirichletSum,
        attention: options.attention,
      },
      nonFinite: out[2 * d + 3],
    };
  }

  /**
   * src/math/spectrum.ts's singularValuesFromGram with the eigensolver in wasm (the same algorithm,
   * statement for statement; Math.hypot is the module's own): σ_i = sqrt(max(λ_i, 0)) of the
   * symmetric side×side Gram, descending, the first `count`; all NaN for a non-finite Gram or a QL
   * iteration that does not converge.
   */
  singularValues(gram: Float64Array, side: number, count: number): Float64Array {
    const out = new Float64Array(Math.max(0, count));
    const n = side;
    if (n === 0) return out;
    let scale = 0;
    for (let i = 0; i < n * n; i++) {
      if (!Number.isFinite(gram[i])) return out.fill(NaN);
      if (i % n <= Math.floor(i / n)) scale = Math.max(scale, Math.abs(gram[i]));
    }
    if (scale === 0) return out;
    this.reset();
    const pm = this.alloc(n * n * 8);
    const pDiag = this.alloc(n * 8);
    const pOff = this.alloc(n * 8);
    const pP = this.alloc(n * 8);
    const m = new Float64Array(this.x.memory.buffer, pm, n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = gram[i * n + j] / scale;
        m[i * n + j] = v;
        m[j * n + i] = v;
      }
    if (!this.x.symmetricEigenvalues64(pm, n, pDiag, pOff, pP)) return out.fill(NaN);
    const eig = copyOf(new Float64Array(this.x.memory.buffer, pDiag, n));
    for (let i = 0; i < n; i++) eig[i] *= scale;
    eig.sort().reverse();
    for (let i = 0; i < out.length && i < n; i++) out[i] = Math.sqrt(Math.max(eig[i], 0));
    return out;
  }

  /** exp of each entry (length a multiple of 4): the kernels' vector exp, for its tests. */
  exp(values: Float32Array): Float32Array {
    return this.inPlace(values, (p, len) => this.x.expInPlace(p, len));
  }

  /** A copy of `values` after an in-place kernel ran on them in the module's memory. */
  private inPlace(values: Float32Array, kernel: (p: number, len: number) => void): Float32Array {
    this.reset();
    const p = this.alloc(values.length * 4);
    this.f32(p, values.length).set(values);
    kernel(p, values.length);
    return copyOf(this.f32(p, values.length));
  }

  /**
   * ContraNorm's `code` and `identity` forms with the fixed maximum on this thread alone, every
   * step in the module's memory (one copy in, one out): u = rn(z), the symmetric S·Z, then
   * keep·z − pull·S·z and LayerNorm (SPEC §1.3).
   */
  contraNormLocal(
    z: Float32Array,
    n: number,
    d: number,
    scale: number,
    keep: number,
    pull: number,
  ): Float32Array {
    this.reset();
    const pzIn = this.alloc(n * d * 4);
    this.f32(pzIn, n * d).set(z);
    const { pz, pAcc, pl, dvp } = this.symmetricSums(
      n,
      d,
      (pu, np) => this.x.rowNormalize(pzIn, n, d, pu, np),
      z,
      d,
      [0, roundUp(n, 4)],
      scale,
      scale,
    );
    const py = this.alloc(dvp * 4);
    const pOut = this.alloc(n * d * 4);
    this.x.contraNormFinish(pz, pAcc, pl, n, d, dvp, keep, pull, py, pOut);
    return copyOf(this.f32(pOut, n * d));
  }

  /**
   * Rows [r0, r1) of the symmetric softmax sums (wasm softmaxSymmetric) in this call's arena:
   * `putU` writes the n×dk score vectors u at pu (np rows of stride dk, the padding rows zero), V
   * (n×dv) is copied in at stride dvp. Returns where V, the sums Σ_j p_ij v_j (np×dvp) and
   * Σ_j p_ij (np) lie.
   */
  private symmetricSums(
    n: number,
    dk: number,
    putU: (pu: number, np: number) => void,
    v: Mat,
    dv: number,
    [r0, r1]: [number, number],
    scale: number,
    fixedMax: number,
  ): { pz: number; pAcc: number; pl: number; dvp: number } {
    const np = roundUp(n, 8);
    const dvp = roundUp(dv, 8);
    const pu = this.alloc(np * dk * 4);
    const put = this.alloc(dk * np * 4);
    const pz = this.alloc(np * dvp * 4);
    const pAcc = this.alloc(np * dvp * 4);
    const pl = this.alloc(np * 4);
    const pScratch = this.alloc(4 * TILE * 4);
    putU(pu, np);
    this.x.transpose(pu, n, dk, put, np);
    this.f32(pz, np * dvp).fill(0);
    this.putRows(pz, v, n, dv, dvp);
    this.f32(pAcc, np * dvp).fill(0);
    this.f32(pl, np).fill(0);
    this.x.softmaxSymmetric(pu, put, dk, n, np, pz, dvp, r0, r1, scale, fixedMax, pAcc, pl, pScratch);
    return { pz, pAcc, pl, dvp };
  }

  /** The sums of a symmetric op's row blocks [r0, r1) (r0 a multiple of 4), over all n rows. */
  private symmetricPart(op: SoftmaxOp, r0: number, r1: number): SoftmaxBlock {
    const { n, dk, dv } = op;
    if (op.q !== op.k || !Number.isFinite(op.fixedMax) || op.maskSelf || op.exclude || op.colSums)
      throw new Error('fast kernels: a symmetric softmax needs Q = K, a fixed maximum and no masks');
    this.reset();
    const putU = (pu: number, np: number): void => {
      const u = this.f32(pu, np * dk);
      u.fill(0);
      u.set(op.q.subarray(0, n * dk));
    };
    const { pAcc, pl, dvp } = this.symmetricSums(n, dk, putU, op.v, dv, [r0, r1], op.scale, op.fixedMax);
    return {
      r0,
      r1,
      o: this.getRows(pAcc, n, dv, dvp),
      stats: copyOf(this.f32(pl, n)),
      colSum: null,
      partial: true,
    };
  }

  /** The softmax's exp (arguments ≤ 0 up to rounding) of each entry (length a multiple of 4), for its tests. */
  expSoftmax(values: Float32Array): Float32Array {
    return this.inPlace(values, (p, len) => this.x.expSoftmaxInPlace(p, len));
  }

  /** Rows [r0, r1) of a streaming softmax product (for a symmetric op: their share of the sums). */
  softmaxBlock(op: SoftmaxOp, r0: number, r1: number): SoftmaxBlock {
    if (op.symmetric) return this.symmetricPart(op, r0, r1);
    const { n, dk, dv } = op;
    const rows = r1 - r0;
    const dvp = roundUp(dv, 8);
    this.reset();
    const a = this.softmaxRowsArena(rows, n, dk, dvp, op.colSums);
    const ex = op.exclude;
    const exclude = ex
      ? { row: this.alloc((n + 1) * 4), col: this.alloc(Math.max(ex.col.length, 1) * 4) }
      : null;
    const pk = this.alloc(n * dk * 4);
    this.f32(a.pq, rows * dk).set(op.q.subarray(r0 * dk, r1 * dk));
    this.f32(pk, n * dk).set(op.k);
    this.x.transpose(pk, n, dk, a.pkt, a.np);
    this.putRows(a.pv, op.v, n, dv, dvp);
    if (ex && exclude) {
      this.u32(exclude.row, n + 1).set(ex.rowPtr);
      this.u32(exclude.col, ex.col.length).set(ex.col);
    }
    this.softmaxRows(a, dk, n, r0, r1, op, exclude);
    const stats = copyOf(this.f32(a.pStats, rows * 3));
    const colSum = op.colSums ? copyOf(this.f32(a.pC, n)) : null;
    return { r0, r1, o: this.getRows(a.po, rows, dv, dvp), stats, colSum };
  }

  /**
   * The arena of one wasm softmaxRows call over `rows` query rows and n keys: Q (rows4×dkp, zero,
   * its rows the caller's to write), Kᵀ (dkp×np), V (np×dvp, zero), O (rows4×dvp), the per-row
   * stats, scratch, and with colSums the row scores and the column sums (zero).
   */
  private softmaxRowsArena(
    rows: number,
    n: number,
    dkp: number,
    dvp: number,
    colSums: boolean,
  ): SoftmaxArena {
    const rows4 = roundUp(Math.max(rows, 1), 4);
    const np = roundUp(n, 8);
    const a: SoftmaxArena = {
      np,
      dkp,
      dvp,
      pq: this.alloc(rows4 * dkp * 4),
      pkt: this.alloc(dkp * np * 4),
      pv: this.alloc(np * dvp * 4),
      po: this.alloc(rows4 * dvp * 4),
      pStats: this.alloc(rows4 * 12),
      pScratch: this.alloc((4 * TILE + 4 * dvp + 20) * 4),
      pRowScores: colSums ? this.alloc((4 * np + 4 * Math.ceil(np / TILE)) * 4) : 0,
      pC: colSums ? this.alloc(np * 4) : 0,
    };
    this.f32(a.pq, rows4 * dkp).fill(0);
    this.f32(a.pv, np * dvp).fill(0);
    if (colSums) this.f32(a.pC, np).fill(0);
    return a;
  }

  /** wasm softmaxRows over rows [r0, r1) of an arena laid out by softmaxRowsArena; dk ≤ its dkp. */
  private softmaxRows(
    a: SoftmaxArena,
    dk: number,
    n: number,
    r0: number,
    r1: number,
    op: Pick<SoftmaxOp, 'scale' | 'fixedMax' | 'maskSelf'>,
    exclude: { row: number; col: number } | null = null,
  ): void {
    const mask = op.maskSelf ? 1 : 0;
    const [exRow, exCol] = exclude ? [exclude.row, exclude.col] : [0, 0];
    this.x.softmaxRows(
      a.pq,
      a.dkp,
      dk,
      a.pkt,
      n,
      a.np,
      a.pv,
      a.dvp,
      r0,
      r1,
      op.scale,
      op.fixedMax,
      mask,
      exRow,
      exCol,
      a.po,
      a.pStats,
      a.pScratch,
      a.pRowScores,
      a.pC,
    );
  }
}
