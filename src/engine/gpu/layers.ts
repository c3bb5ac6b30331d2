// Encodes one GNN or Transformer layer (SPEC §1.1, §1.2) and its normalization (§1.3) as a
// sequence of kernel dispatches. Intermediates live in a small pool of N×maxWidth scratch
// buffers; a buffer handed back to the pool may be overwritten by a later dispatch, which is
// safe because dispatches run in recording order.
import type { EngineConfig } from '../types';
import { contraNormCoefficients } from '../../math/contranorm';
import type { LayerWeights } from '../weights';
import type { Binding, Dispatcher, Recorder } from './recorder';
import { COLUMN_CHUNK, type ForwardKernels } from './kernels';
import { encodeSoftmax, type AttentionScratch, type AttentionVariants } from './attention';

export interface LayerBuffers {
  n: number;
  /** Scratch buffers available to the layer, each at least N × maxWidth floats. */
  pool: GPUBuffer[];
  /** CSR of Â (propagation), and of A (mask, Dirichlet); 4-byte dummies without a graph. */
  prop: { rowPtr: GPUBuffer; colIdx: GPUBuffer; vals: GPUBuffer } | null;
  graph: { rowPtr: Binding; colIdx: Binding };
  /** N×4 floats for streaming-softmax row statistics. */
  stats: GPUBuffer;
  columnPartials: GPUBuffer;
  columnStats: GPUBuffer;
  /** The softmax kernels' compiled variants and split-key scratch. */
  attention: { variants: AttentionVariants; scratch: AttentionScratch };
}

export interface WeightBindings {
  W?: Binding;
  Wq?: Binding;
  Wk?: Binding;
  Wv?: Binding;
  Wo?: Binding;
}

const ACT = { none: 0, relu: 1, tanh: 2 } as const;

/**
 * Widths up to which software adapters use the barrier-free kernels (matmul_rows.wgsl, gram.wgsl's
 * gramRows) for a layer's H·W and Gram: on a CPU emulation barriers are expensive. Beyond them
 * (raw input features, say), and always on hardware GPUs, the tiled kernels run: they stage
 * operands in workgroup memory and reuse each loaded value across a 64-wide tile.
 */
export const ROWS_KERNEL_MAX_WIDTH = 256;

/** C = A·B with the kernel suited to the shape (`variant` forces one, for the tests). */
export function encodeMatmul(
  // The trainer's recorder (a superset of the kernels) encodes with it too.
  rec: Dispatcher<ForwardKernels>,
  a: Binding,
  b: Binding,
  c: Binding,
  m: number,
  k: number,
  n: number,
  variant: 'auto' | 'rows' | 'tiled' = 'auto',
): void {
  const rows =
    variant === 'rows' ||
    (variant === 'auto' &&
      rec.kernelSet === 'software' &&
      k <= ROWS_KERNEL_MAX_WIDTH &&
      n <= ROWS_KERNEL_MAX_WIDTH);
  if (rows) {
    rec.dispatch1d('matmulRows', { m, k, n }, { a, b, c }, m * Math.ceil(n / 4));
    return;
  }
  const rowTiles = Math.ceil(m / 64);
  const y = Math.min(rowTiles, 65535);
  rec.dispatch('matmul', { m, k, n }, { a, b, c }, [Math.ceil(n / 64), y, Math.ceil(rowTiles / y)]);
}

export type Activation = keyof typeof ACT;
export interface RowwiseOptions {
  a?: number;
  b?: number;
  layernorm?: boolean;
  act?: Activation;
  scale?: number;
}

/** out = scale · act(LN?(a·x + b·y)) over n rows of width d (rowwise.wgsl; y absent: b·y = 0). */
export function encodeRowwise(
  rec: Pick<Dispatcher<ForwardKernels>, 'dispatch1d'>,
  n: number,
  d: number,
  x: Binding,
  y: Binding | null,
  out: Binding,
  o: RowwiseOptions,
): void {
  rec.dispatch1d(
    'rowwise',
    {
      n,
      d,
      useY: y ? 1 : 0,
      layernorm: o.layernorm ? 1 : 0,
      act: ACT[o.act ?? 'none'],
      a: o.a ?? 1,
      b: o.b ?? 0,
      scale: o.scale ?? 1,
    },
    { x, y: y ?? x, out },
    n,
  );
}

export class LayerEncoder {
  private free: GPUBuffer[];

  constructor(
    private readonly rec: Recorder,
    private readonly bufs: LayerBuffers,
    private readonly config: EngineConfig,
  ) {
    this.free = [...bufs.pool];
  }

  take(): GPUBuffer {
    const b = this.free.pop();
    if (!b) throw new Error('GPU engine: scratch pool exhausted (an encoder bug)');
    return b;
  }

  give(b: GPUBuffer): void {
    if (this.bufs.pool.includes(b) && !this.free.includes(b)) this.free.push(b);
  }

  private matmul(x: GPUBuffer, w: Binding, m: number, k: number, n: number): GPUBuffer {
    const out = this.take();
    encodeMatmul(this.rec, x, w, out, m, k, n);
    return out;
  }

  /** out = scale · act(LN?(a·x + b·y)). */
  private rowwise(x: GPUBuffer, y: GPUBuffer | null, d: number, o: RowwiseOptions): GPUBuffer {
    const out = this.take();
    encodeRowwise(this.rec, this.bufs.n, d, x, y, out, o);
    return out;
  }

  /** S·V by the streaming softmax of softmax(scale·Q Kᵀ); `maxScore` bounds every score when known. */
  streamingSoftmax(
    q: GPUBuffer,
    k: GPUBuffer,
    v: GPUBuffer,
    dk: number,
    dv: number,
    scale: number,
    mask: boolean,
    writeStats: boolean,
    maxScore: number | null = null,
    maxDispatchFlops?: number,
  ): GPUBuffer {
    const out = this.take();
    encodeSoftmax(this.rec, this.bufs.attention.variants, this.bufs.attention.scratch, {
      q,
      k,
      v,
      n: this.bufs.n,
      dk,
      dv,
      scale,
      mask,
      writeStats,
      maxScore,
      maxDispatchFlops,
      rowPtr: this.bufs.graph.rowPtr,
      colIdx: this.bufs.graph.colIdx,
      out,
      stats: this.bufs.stats,
    });
    return out;
  }

  /** The configured normalization of Z (width d), followed by the activation. Consumes z. */
  normalize(z: GPUBuffer, d: number, act: keyof typeof ACT): GPUBuffer {
    const { norm } = this.config;
    const n = this.bufs.n;
    let out: GPUBuffer;
    switch (norm.kind) {
      case 'none':
        if (act === 'none') return z;
        out = this.rowwise(z, null, d, { act });
        break;
      case 'layernorm':
        out = this.rowwise(z, null, d, { layernorm: true, act });
        break;
      case 'batchnorm':
      case 'pairnorm': {
        const chunks = Math.ceil(n / COLUMN_CHUNK);
        const { columnPartials, columnStats } = this.bufs;
        this.rec.dispatch1d(
          'columnStatsPartial',
          { n, d, chunks },
          { h: z, partials: columnPartials },
          chunks * d,
        );
        this.rec.dispatch(
          'columnStatsFinalize',
          { n, d, chunks },
          { partials: columnPartials, stats: columnStats },
          [1, 1, 1],
        );
        const normed = this.take();
        this.rec.dispatch1d(
          'columnNorm',
          { n, d, mode: norm.kind === 'batchnorm' ? 0 : 1, pairnormScale: norm.pairnormScale },
          { z, stats: columnStats, out: normed },
          n * d,
        );
        if (act === 'none') {
          out = normed;
        } else {
          out = this.rowwise(normed, null, d, { act });
          this.give(normed);
        }
        break;
      }
      case 'contranorm': {
        const { paper, scoreScale, pull, keep } = contraNormCoefficients(norm);
        let sz: GPUBuffer;
        if (paper) {
          sz = this.streamingSoftmax(z, z, z, d, d, scoreScale, false, false);
        } else {
          const u = this.take();
          this.rec.dispatch1d('rownorm', { n, d }, { h: z, out: u }, n);
          // Rows of u are unit (or zero) vectors, so every score u_i·u_j/τ is at most 1/τ.
          const mask = norm.variant === 'mask';
          sz = this.streamingSoftmax(u, u, z, d, d, scoreScale, mask, false, scoreScale);
          this.give(u);
        }
        out = this.rowwise(z, sz, d, { a: keep, b: -pull, layernorm: true, act });
        this.give(sz);
        break;
      }
    }
    this.give(z);
    return out;
  }

  /** The layer's Lipschitz constant where the residual needs it (reading it runs a power iteration). */
  private lipschitzNorm(w: LayerWeights): number {
    return this.config.residual === 'lipschitz' ? w.lipschitzNorm : 0;
  }

  /** H' = scale·(H + α·Z) where widths match, else Z (the caller warns). Consumes z. */
  residual(h: GPUBuffer, z: GPUBuffer, d: number, lipschitzNorm: number): GPUBuffer {
    const { residual, alpha } = this.config;
    if (residual === 'none') return z;
    const scale = residual === 'lipschitz' ? 1 / (1 + alpha * lipschitzNorm) : 1;
    const out = this.rowwise(h, z, d, { a: 1, b: alpha, scale });
    this.give(z);
    return out;
  }

  /** GNN layer: Z = Â (H W) → norm → act → residual. Returns a new buffer; h is left intact. */
  gnnLayer(h: GPUBuffer, w: LayerWeights, wb: WeightBindings): GPUBuffer {
    const n = this.bufs.n;
    const prop = this.bufs.prop;
    if (!prop) throw new Error('the GNN model needs a graph');
    const d = w.outDim;
    const hw = this.matmul(h, wb.W!, n, w.inDim, d);
    const z = this.take();
    this.rec.dispatch1d(
      'spmm',
      { n, d },
      { rowPtr: prop.rowPtr, colIdx: prop.colIdx, vals: prop.vals, h: hw, out: z },
      n * d,
    );
    this.give(hw);
    const zn = this.normalize(z, d, this.config.activation);
    if (w.inDim !== d) return zn;
    return this.residual(h, zn, d, this.lipschitzNorm(w));
  }

  /** Attention sublayer: P V W_O (activation applied), with P's row statistics left in `stats`. */
  private attention(
    x: GPUBuffer,
    w: LayerWeights,
    wb: WeightBindings,
  ): { z: GPUBuffer; q: GPUBuffer; k: GPUBuffer } {
    const n = this.bufs.n;
    const d = w.outDim;
    const q = this.matmul(x, wb.Wq!, n, w.inDim, d);
    const k = this.matmul(x, wb.Wk!, n, w.inDim, d);
    const v = this.matmul(x, wb.Wv!, n, w.inDim, d);
    const pv = this.streamingSoftmax(q, k, v, d, d, 1 / Math.sqrt(d), false, true);
    this.give(v);
    let z = this.matmul(pv, wb.Wo!, n, d, d);
    this.give(pv);
    if (this.config.activation !== 'none') {
      const za = this.rowwise(z, null, d, { act: this.config.activation });
      this.give(z);
      z = za;
    }
    return { z, q, k };
  }

  /**
   * Transformer layer, pre- or post-norm, residual optional. Returns the new H and the Q, K
   * buffers (the caller computes the attention-map metric from them, then gives them back).
   */
  transformerLayer(
    h: GPUBuffer,
    w: LayerWeights,
    wb: WeightBindings,
  ): { out: GPUBuffer; q: GPUBuffer; k: GPUBuffer } {
    const d = w.outDim;
    const widthsMatch = w.inDim === d;
    if (this.config.normPlacement === 'pre') {
      const hn = this.normalizeCopy(h, w.inDim);
      const { z, q, k } = this.attention(hn, w, wb);
      if (hn !== h) this.give(hn);
      return { out: widthsMatch ? this.residual(h, z, d, this.lipschitzNorm(w)) : z, q, k };
    }
    const { z, q, k } = this.attention(h, w, wb);
    const r = widthsMatch ? this.residual(h, z, d, this.lipschitzNorm(w)) : z;
    return { out: this.normalize(r, d, 'none'), q, k };
  }

  /** Normalize without consuming the input (pre-norm keeps H for the residual). */
  private normalizeCopy(h: GPUBuffer, d: number): GPUBuffer {
    if (this.config.norm.kind === 'none') return h;
    const copy = this.rowwise(h, null, d, {});
    return this.normalize(copy, d, 'none');
  }
}
