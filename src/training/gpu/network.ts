// The training model of src/training/types.ts encoded on the GPU: forward with saved
// activations, softmax cross-entropy, backward, Adam, per-layer statistics. Mirrors the float64
// reference (src/training/reference/network.ts) step for step:
//   X_ℓ = dropout(H_{ℓ−1});  Z = Â (X_ℓ W_ℓ);  N = norm(Z);  A = act(N);  H_ℓ = A or H_{ℓ−1} + α·A
//   logits = dropout(H_L) W_out
// Supported: every norm (none, layernorm, batchnorm, pairnorm, contranorm code/identity/mask/
// paper), activations none/relu/tanh, residual none/residual/lipschitz, dropout, rw and sym.
// The Lipschitz-bounded residual H_ℓ = c_ℓ(H_{ℓ−1} + α·A), c_ℓ = 1/(1 + α‖W_ℓ‖₂), treats c_ℓ as a
// constant in the backward, as the reference does; the trainer computes ‖W_ℓ‖₂ on the host from
// the weights it reads back after each update (setLipschitzNorms).
import type { Csr } from '../../data/graph';
import type { Binding } from '../../engine/gpu/recorder';
import { propagationCsr, type PropagationCsr } from '../../engine/gpu/graphBuffers';
import { COLUMN_CHUNK, STREAM_ROWS } from '../../engine/gpu/kernels';
import { encodeMatmul, encodeRowwise, type RowwiseOptions } from '../../engine/gpu/layers';
import type { TrainConfig } from '../types';
import type { TrainingData } from '../data';
import { dropoutKey, dropoutThreshold, type TrainingWeights } from '../model';
import { spectralNorm } from '../../engine/weights';
import { alignFloats, BufferSet, slice } from './buffers';
import { DENSE_CHUNK, LOSS_CHUNK } from './kernels';
import type { TrainRecorder } from './recorder';
import { transposedPattern } from './variants';
import {
  encodeColumnStats,
  encodeNormBackward,
  encodeNormForward,
  tapeNeeds,
  type NormScratch,
  type NormTape,
} from './norms';

const ACT = { none: 0, relu: 1, tanh: 2 } as const;
const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** Why `config` cannot run on the GPU trainer, or null when it can. */
export function unsupportedReason(config: TrainConfig, n: number): string | null {
  if (config.norm.kind === 'contranorm') {
    if (Math.ceil(n / STREAM_ROWS) > 65535)
      return `ContraNorm's streaming softmax supports at most ${65535 * STREAM_ROWS} nodes (got ${n})`;
  }
  return null;
}

/** CSR of Âᵀ: for `sym` Â itself; for `rw` (Â = D̃⁻¹Ã) Ã's pattern with values Ã_ij / d̃_j, in float64 then float32. */
export function transposedPropagationCsr(
  graph: Csr,
  n: number,
  adjacency: TrainConfig['adjacency'],
): PropagationCsr {
  const csr = propagationCsr(graph, n, adjacency);
  if (adjacency === 'sym') return csr;
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let e = graph.rowPtr[i]!; e < graph.rowPtr[i + 1]!; e++) s += graph.weights ? graph.weights[e]! : 1;
    degree[i] = s;
  }
  const vals = new Float32Array(csr.vals.length);
  for (let i = 0; i < n; i++) {
    // Row i of propagationCsr: the self loop first, then the neighbours in CSR order.
    let k = csr.rowPtr[i]!;
    vals[k++] = 1 / degree[i]!;
    for (let e = graph.rowPtr[i]!; e < graph.rowPtr[i + 1]!; e++, k++) {
      const w = graph.weights ? graph.weights[e]! : 1;
      vals[k] = w / degree[graph.colIdx[e]!]!;
    }
  }
  return { rowPtr: csr.rowPtr, colIdx: csr.colIdx, vals };
}

interface LayerTape extends NormTape {
  din: number;
  d: number;
  /** dropout(H_{ℓ−1}) when dropout is on (else H_{ℓ−1} itself is used). */
  x: GPUBuffer | null;
  h: GPUBuffer;
  residual: boolean;
}

export class GpuNetwork {
  readonly n: number;
  readonly dims: number[];
  readonly classes: number;
  readonly L: number;
  readonly bufs: BufferSet;
  private readonly x0: GPUBuffer;
  private readonly prop: { rowPtr: GPUBuffer; colIdx: GPUBuffer; vals: GPUBuffer };
  private readonly propT: { rowPtr: GPUBuffer; colIdx: GPUBuffer; vals: GPUBuffer };
  private readonly graph: { rowPtr: GPUBuffer; colIdx: GPUBuffer };
  private readonly graphT: { rowPtr: GPUBuffer; colIdx: GPUBuffer };
  private readonly labels: GPUBuffer;
  private readonly role: GPUBuffer;
  private readonly tapes: LayerTape[] = [];
  /** Flat parameters W_1..W_L, W_out at 64-float-aligned offsets; gradients, Adam moments alike. */
  readonly w: GPUBuffer;
  readonly grad: GPUBuffer;
  private readonly m: GPUBuffer;
  private readonly v: GPUBuffer;
  readonly offsets: number[];
  readonly paramFloats: number;
  /** dropoutThreshold(p), or null without dropout. */
  private readonly drop: { threshold: number; keep: number } | null;
  /** The dropout key of each site (0..L) in the current epoch; null: eval mode (no dropout). */
  private siteKeys: number[] | null = null;
  private adamSteps = 0;
  /** c_ℓ = 1/(1 + α‖W_ℓ‖₂) of the `lipschitz` residual (index ℓ−1); 1 otherwise. */
  private residualScale: number[];
  // read-out and loss
  private readonly xr: GPUBuffer | null;
  readonly logits: GPUBuffer;
  private readonly dlogits: GPUBuffer;
  private readonly rowOut: GPUBuffer;
  private readonly cePartials: GPUBuffer;
  private readonly nTrain: number;
  // backward scratch (n × max(hidden, classes) floats each)
  private readonly s: GPUBuffer[];
  private readonly ghPing: GPUBuffer[];
  private gx0: GPUBuffer | null = null;
  private gh0: GPUBuffer | null = null;
  private readonly densePartials: GPUBuffer;
  private readonly colPartials: GPUBuffer;
  private readonly gColStats: GPUBuffer;
  private readonly scratch: NormScratch;
  /** Per-layer column statistics of G_ℓ (slot 2ℓ) and H_ℓ (slot 2ℓ+1), `statSlot` floats apart. */
  readonly layerStats: GPUBuffer;
  readonly statSlot: number;

  constructor(
    private readonly rec: TrainRecorder,
    device: GPUDevice,
    private readonly config: TrainConfig,
    data: TrainingData,
    weights: TrainingWeights,
  ) {
    const reason = unsupportedReason(config, data.n);
    if (reason) throw new Error(`GPU trainer: ${reason}`);
    this.bufs = new BufferSet(device);
    const B = this.bufs;
    const n = (this.n = data.n);
    this.dims = weights.dims;
    this.classes = weights.classes;
    this.L = weights.layers.length;
    const { dims, L } = this;
    this.residualScale = new Array<number>(this.L).fill(1);
    const hidden = dims[L]!;
    const wide = Math.max(hidden, this.classes);

    this.x0 = B.upload(Float32Array.from(data.features), 'X');
    const up = (c: PropagationCsr) => ({
      rowPtr: B.upload(c.rowPtr),
      colIdx: B.upload(c.colIdx),
      vals: B.upload(c.vals),
    });
    this.prop = up(propagationCsr(data.graph, n, config.adjacency));
    this.propT =
      config.adjacency === 'sym' ? this.prop : up(transposedPropagationCsr(data.graph, n, config.adjacency));
    this.graph = { rowPtr: B.upload(data.graph.rowPtr), colIdx: B.upload(data.graph.colIdx) };
    const t = transposedPattern(data.graph.rowPtr, data.graph.colIdx, n);
    this.graphT =
      sameArrays(t.colIdx, data.graph.colIdx) && sameArrays(t.rowPtr, data.graph.rowPtr)
        ? this.graph
        : { rowPtr: B.upload(t.rowPtr), colIdx: B.upload(t.colIdx) };
    this.labels = B.upload(data.labels);
    const role = new Uint32Array(n);
    data.split.train.forEach((i) => (role[i] = 1));
    data.split.val.forEach((i) => (role[i] = 2));
    data.split.test.forEach((i) => (role[i] = 3));
    this.role = B.upload(role);
    this.nTrain = data.split.train.length;

    // Parameters.
    this.offsets = [];
    let at = 0;
    for (const m of [...weights.layers, weights.out]) {
      this.offsets.push(at);
      at += alignFloats(m.length);
    }
    this.paramFloats = at;
    const flat = new Float32Array(at);
    [...weights.layers, weights.out].forEach((m, i) => flat.set(m, this.offsets[i]));
    this.w = B.upload(flat, 'weights');
    this.grad = B.create(at, 'grad');
    this.m = B.create(at);
    this.v = B.create(at);

    const dropout = config.dropout > 0;
    this.drop = dropout ? dropoutThreshold(config.dropout) : null;
    const norm = config.norm;
    for (let l = 1; l <= L; l++) {
      const din = dims[l - 1]!;
      const d = dims[l]!;
      const z = B.create(n * d, `z${l}`);
      const need = tapeNeeds(norm);
      this.tapes.push({
        din,
        d,
        x: dropout ? B.create(n * din) : null,
        z,
        nrm: need.nrm ? B.create(n * d) : z,
        h: B.create(n * d, `h${l}`),
        u: need.u ? B.create(n * d) : need.contra ? z : null,
        sz: need.contra ? B.create(n * d) : null,
        stats: need.contra ? B.create(n * 4) : null,
        colStats: need.col ? B.create(2 * d + 1) : null,
        residual: config.residual !== 'none' && din === d,
      });
    }
    this.xr = dropout ? B.create(n * hidden) : null;
    this.logits = B.create(n * this.classes, 'logits');
    this.dlogits = B.create(n * this.classes);
    this.rowOut = B.create(n * 4);
    this.cePartials = B.create(Math.ceil(n / LOSS_CHUNK) * 4);
    this.s = Array.from({ length: 6 }, () => B.create(n * wide));
    this.ghPing = [B.create(n * wide), B.create(n * wide)];
    let denseMax = hidden * this.classes;
    for (let l = 1; l <= L; l++) denseMax = Math.max(denseMax, dims[l - 1]! * dims[l]!);
    this.densePartials = B.create(Math.ceil(n / DENSE_CHUNK) * denseMax);
    const maxDim = Math.max(...dims);
    this.colPartials = B.create(Math.ceil(n / COLUMN_CHUNK) * maxDim * 2);
    this.gColStats = B.create(2 * hidden + 1);
    this.scratch = {
      s: this.s,
      colPartials: this.colPartials,
      gColStats: this.gColStats,
      graph: this.graph,
      graphT: this.graphT,
    };
    this.statSlot = alignFloats(2 * maxDim + 1);
    this.layerStats = B.create(this.statSlot * 2 * (L + 1));
    this.setLipschitzNorms(weights.layers.map((w, i) => spectralNorm(w, dims[i]!, dims[i + 1]!)));
  }

  private weight(l: number): Binding {
    const rows = l <= this.L ? this.dims[l - 1]! : this.dims[this.L]!;
    const cols = l <= this.L ? this.dims[l]! : this.classes;
    return slice(this.w, this.offsets[l - 1]!, rows * cols);
  }

  private gradSlice(l: number): Binding {
    const rows = l <= this.L ? this.dims[l - 1]! : this.dims[this.L]!;
    const cols = l <= this.L ? this.dims[l]! : this.classes;
    return slice(this.grad, this.offsets[l - 1]!, rows * cols);
  }

  /**
   * Dropout of `epoch` (null: none, eval mode). The dropout kernel draws each site's mask itself
   * from the site's key (shaders/dropout.wgsl), the entries the reference trainer drops.
   */
  setDropout(epoch: number | null): void {
    this.siteKeys =
      epoch !== null && this.drop
        ? this.dims.map((_, site) => dropoutKey(this.config.seed, epoch, site))
        : null;
  }

  private get masksOn(): boolean {
    return this.siteKeys !== null;
  }

  /** ‖W_ℓ‖₂ (index ℓ−1) of the weights the next forward uses, for the `lipschitz` residual. */
  setLipschitzNorms(norms: readonly number[]): void {
    if (this.config.residual !== 'lipschitz') return; // (the constructor calls this for every config)
    this.residualScale = norms.map((s) => 1 / (1 + this.config.alpha * s));
  }

  /** Layer ℓ's weight matrix (1-based; L + 1 is the read-out) as [rows, cols]. */
  weightShape(l: number): [number, number] {
    return l <= this.L ? [this.dims[l - 1]!, this.dims[l]!] : [this.dims[this.L]!, this.classes];
  }

  // ---- small encoders ----

  /** The forward engine's choice of kernel for A·B (per adapter and shape), on the trainer's recorder. */
  private matmul(a: Binding, b: Binding, c: Binding, m: number, k: number, n: number): void {
    encodeMatmul(this.rec, a, b, c, m, k, n);
  }

  private rowwise(x: GPUBuffer, y: GPUBuffer | null, out: GPUBuffer, d: number, o: RowwiseOptions): void {
    encodeRowwise(this.rec, this.n, d, x, y, out, o);
  }

  /** out = mask·x + β·y (mask of `site` when dropout is on; β·y when y is given). */
  private dropout(
    x: GPUBuffer,
    y: GPUBuffer | null,
    beta: number,
    out: GPUBuffer,
    site: number,
    d: number,
  ): void {
    const key = this.siteKeys?.[site];
    this.rec.dispatch1d(
      'dropout',
      {
        count: this.n * d,
        useY: y ? 1 : 0,
        useMask: key === undefined ? 0 : 1,
        key: key ?? 0,
        threshold: this.drop?.threshold ?? 0,
        keep: this.drop?.keep ?? 1,
        beta,
      },
      { x, y: y ?? x, out },
      this.n * d,
    );
  }

  /** ∂L/∂W (k×m) = Hᵀ G over the n rows: chunked partial sums, then their sum. */
  private weightGrad(h: GPUBuffer, g: GPUBuffer, out: Binding, k: number, m: number): void {
    const chunks = Math.ceil(this.n / DENSE_CHUNK);
    const p = { n: this.n, k, m, chunks };
    this.rec.dispatch1d(
      'weightPartial',
      p,
      { h, g, partials: this.densePartials },
      chunks * k * Math.ceil(m / 4),
    );
    this.rec.dispatch1d('weightFinalize', p, { partials: this.densePartials, out }, k * m);
  }

  private columnStats(h: GPUBuffer, d: number, stats: Binding): void {
    encodeColumnStats(this.rec, this.n, d, h, this.colPartials, stats);
  }

  // ---- forward ----

  /** The forward pass into the tapes, then the read-out logits. Dropout per setDropout. */
  encodeForward(): void {
    const { n, config } = this;
    const norm = config.norm;
    let h = this.x0;
    for (let l = 1; l <= this.L; l++) {
      const t = this.tapes[l - 1]!;
      const { din, d } = t;
      let x = h;
      if (this.masksOn && t.x) {
        this.dropout(h, null, 0, t.x, l - 1, din);
        x = t.x;
      }
      const xw = this.s[0]!;
      this.matmul(x, this.weight(l), xw, n, din, d);
      this.rec.dispatch1d(
        'spmm',
        { n, d },
        { rowPtr: this.prop.rowPtr, colIdx: this.prop.colIdx, vals: this.prop.vals, h: xw, out: t.z },
        n * d,
      );
      encodeNormForward(this.rec, n, d, norm, t, this.scratch);
      if (t.residual) {
        const act = this.s[1]!;
        this.rowwise(t.nrm, null, act, d, { act: config.activation });
        this.rowwise(h, act, t.h, d, { a: 1, b: config.alpha, scale: this.residualScale[l - 1]! });
      } else {
        this.rowwise(t.nrm, null, t.h, d, { act: config.activation });
      }
      h = t.h;
    }
    let xr = h;
    if (this.masksOn && this.xr) {
      this.dropout(h, null, 0, this.xr, this.L, this.dims[this.L]!);
      xr = this.xr;
    }
    this.matmul(xr, this.weight(this.L + 1), this.logits, n, this.dims[this.L]!, this.classes);
  }

  /** Cross-entropy rows, gradient into dlogits, and the four sums into `totals` (4 floats). */
  encodeLoss(totals: Binding): void {
    const { n } = this;
    const chunks = Math.ceil(n / LOSS_CHUNK);
    const p = { n, classes: this.classes, chunks, invTrain: 1 / this.nTrain };
    this.rec.dispatch1d(
      'crossEntropyRows',
      p,
      { logits: this.logits, labels: this.labels, role: this.role, grad: this.dlogits, rowOut: this.rowOut },
      n,
    );
    this.rec.dispatch1d(
      'crossEntropySumPartial',
      p,
      { rowOut: this.rowOut, partials: this.cePartials },
      chunks * 4,
    );
    this.rec.dispatch('crossEntropySumFinalize', p, { partials: this.cePartials, totals }, [1, 1, 1]);
  }

  // ---- backward ----

  /**
   * Backward from dlogits into `grad`. With `stats`, also G_ℓ = ∂loss/∂H_ℓ for ℓ = 0..L and the
   * column statistics of G_ℓ and H_ℓ into `layerStats` (G_0 costs an n×inDim product).
   */
  encodeBackward(stats: boolean): void {
    const { n, L, config } = this;
    const hidden = this.dims[L]!;
    const xr = this.masksOn && this.xr ? this.xr : this.tapes[L - 1]!.h;
    this.weightGrad(xr, this.dlogits, this.gradSlice(L + 1), hidden, this.classes);
    const gxr = this.s[0]!;
    this.rec.dispatch1d(
      'matmulNT',
      { n, k: hidden, m: this.classes, chunks: 0 },
      { w: this.weight(L + 1), g: this.dlogits, out: gxr },
      n * Math.ceil(hidden / 4),
    );
    let gh = this.ghPing[0]!;
    this.dropout(gxr, null, 0, gh, L, hidden);
    if (stats) this.layerStatistics(L, gh);
    for (let l = L; l >= 1; l--) {
      const t = this.tapes[l - 1]!;
      const { din, d } = t;
      const ga = this.s[0]!;
      this.rec.dispatch1d(
        'actBackward',
        {
          count: n * d,
          act: ACT[config.activation],
          alpha: t.residual ? config.alpha * this.residualScale[l - 1]! : 1,
        },
        { pre: t.nrm, g: gh, out: ga },
        n * d,
      );
      const gz = encodeNormBackward(this.rec, n, d, config.norm, t, ga, this.scratch);
      const gxw = this.s[5]!;
      this.rec.dispatch1d(
        'spmm',
        { n, d },
        { rowPtr: this.propT.rowPtr, colIdx: this.propT.colIdx, vals: this.propT.vals, h: gz, out: gxw },
        n * d,
      );
      const x = this.masksOn && t.x ? t.x : l === 1 ? this.x0 : this.tapes[l - 2]!.h;
      this.weightGrad(x, gxw, this.gradSlice(l), din, d);
      if (l === 1 && !stats) break;
      const wideIn = din > Math.max(hidden, this.classes);
      const gx = wideIn ? (this.gx0 ??= this.bufs.create(n * din)) : this.s[1]!;
      this.rec.dispatch1d(
        'matmulNT',
        { n, k: din, m: d, chunks: 0 },
        { w: this.weight(l), g: gxw, out: gx },
        n * Math.ceil(din / 4),
      );
      const next = wideIn
        ? (this.gh0 ??= this.bufs.create(n * din))
        : gh === this.ghPing[0]
          ? this.ghPing[1]!
          : this.ghPing[0]!;
      this.dropout(gx, t.residual ? gh : null, this.residualScale[l - 1]!, next, l - 1, din);
      gh = next;
      if (stats) this.layerStatistics(l - 1, gh);
    }
  }

  /** Column statistics of G_ℓ and H_ℓ into layerStats (read back by the trainer). */
  private layerStatistics(l: number, g: GPUBuffer): void {
    const d = this.dims[l]!;
    const h = l === 0 ? this.x0 : this.tapes[l - 1]!.h;
    this.columnStats(g, d, slice(this.layerStats, 2 * l * this.statSlot, 2 * d + 1));
    this.columnStats(h, d, slice(this.layerStats, (2 * l + 1) * this.statSlot, 2 * d + 1));
  }

  /** One Adam step on every parameter (PyTorch semantics, bias corrections in float64). */
  encodeAdam(): void {
    this.adamSteps++;
    const t = this.adamSteps;
    const bc1 = 1 - ADAM.beta1 ** t;
    const bc2 = 1 - ADAM.beta2 ** t;
    this.rec.dispatch1d(
      'adam',
      {
        count: this.paramFloats,
        beta1: ADAM.beta1,
        beta2: ADAM.beta2,
        eps: ADAM.eps,
        weightDecay: this.config.weightDecay,
        stepSize: this.config.lr / bc1,
        invSqrtBc2: 1 / Math.sqrt(bc2),
      },
      { w: this.w, g: this.grad, m: this.m, v: this.v },
      this.paramFloats,
    );
  }

  /** H_L, for the embeddings. */
  get lastHidden(): GPUBuffer {
    return this.tapes[this.L - 1]!.h;
  }

  dispose(): void {
    this.bufs.dispose();
  }
}

function sameArrays(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}
