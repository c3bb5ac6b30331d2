// The TensorFlow.js peer (benchmark only): the same mathematics as the engine (SPEC §1, §2),
// written the way tfjs code would write it, on tfjs's WebGPU backend.
//
// - Weights: the very same matrices (layerWeights of src/engine/weights.ts, cast to float32).
// - GCN propagation Â·X: tfjs has no sparse matmul on WebGPU, so it is a gather over the edge
//   list of Ã = A + I (self loops included) scaled by Â's values, then unsortedSegmentSum by
//   row: out_i = Σ_k [row_k = i] Â_k · X[col_k] (in chunks of 10⁶ entries, see TfjsGraph).
//   Never a dense Â (it would not scale to W3).
// - ContraNorm (`code`, `identity`, `paper`): the N×N similarity and its softmax are
//   materialized (tf.matMul + tf.softmax), as tfjs code would; then a LayerNorm without affine.
// - PairNorm, LayerNorm, ReLU/tanh, residuals: elementwise tfjs ops.
// - Attention: Q, K, V, softmax(QKᵀ/√d) materialized, P·V·W_O.
// - Metrics at every layer, on the GPU with tfjs ops: Gram HᵀH, column sums, column sums of
//   the row-normalized H, Σ‖rn(H_i)‖², ‖H‖², ‖H − 1γᵀ‖², the Dirichlet sum over A's edge
//   list (gather both ends), the non-finite count and, for attention, the column sums of the
//   row-normalized P. One packed readback per layer (`await data()`), then the same float64
//   finish as the engines (finishMetrics of src/engine/metrics.ts: symmetricEigenvalues of the
//   Gram on the CPU, effective rank, μ, mean cosine, …).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import type { Dataset, EngineConfig, LayerMetrics } from '../src/engine/types';
import { layerWeights } from '../src/engine/weights';
import { finishMetrics, type LayerSums } from '../src/engine/metrics';

export const TFJS_METHOD =
  'tfjs-core + tfjs-backend-webgpu: Â·X by gather + unsortedSegmentSum over the edge list of Ã with Â values; ' +
  'ContraNorm and attention with a materialized N×N softmax; metrics reduced with tfjs ops, read back once per layer; ' +
  'eigenvalues by the shared symmetricEigenvalues (float64, CPU)';

let ready: Promise<string> | null = null;

/** Select the WebGPU backend (once). Every op runs on the GPU: no forwarding of small ops to the CPU. */
export function initTfjs(): Promise<string> {
  ready ??= (async () => {
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const ok = await tf.setBackend('webgpu');
    if (!ok) throw new Error('tfjs: the WebGPU backend could not be initialized');
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

/** Graph index tensors, prepared once per data set (the engine likewise keeps its CSR on the GPU). */
export interface TfjsGraph {
  /**
   * Ã's entries in chunks: row (segment id), column, Â value. Chunked because tfjs's
   * unsortedSegmentSum transposes its [entries, d] input with a 16-row-tiled kernel whose
   * dispatch may not exceed 65,535 workgroups (1,048,560 entries); W3 has 1.1 million.
   */
  prop: { rows: tf.Tensor1D; cols: tf.Tensor1D; vals: tf.Tensor2D }[];
  /** A's directed edges (each undirected edge both ways), for the Dirichlet sum. */
  edgeSrc: tf.Tensor1D;
  edgeDst: tf.Tensor1D;
  nnzProp: number;
  dispose(): void;
}

/** Entries per unsortedSegmentSum call (see TfjsGraph.prop). */
const SEGMENT_CHUNK = 1_000_000;

export function prepareGraph(ds: Dataset, adjacency: EngineConfig['adjacency']): TfjsGraph | null {
  const g = ds.graph;
  if (!g) return null;
  const n = ds.n;
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let k = g.rowPtr[i]!; k < g.rowPtr[i + 1]!; k++) s += g.weights ? g.weights[k]! : 1;
    deg[i] = s;
  }
  const nnzA = g.colIdx.length;
  const nnz = nnzA + n;
  const rows = new Int32Array(nnz);
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  const src = new Int32Array(nnzA);
  const dst = new Int32Array(nnzA);
  let p = 0;
  for (let i = 0; i < n; i++) {
    rows[p] = i;
    cols[p] = i;
    vals[p] = 1 / deg[i]!; // the self loop: 1/d̃_i for rw and for sym alike
    p++;
    for (let k = g.rowPtr[i]!; k < g.rowPtr[i + 1]!; k++) {
      const j = g.colIdx[k]!;
      const w = g.weights ? g.weights[k]! : 1;
      rows[p] = i;
      cols[p] = j;
      vals[p] = adjacency === 'rw' ? w / deg[i]! : w / Math.sqrt(deg[i]! * deg[j]!);
      p++;
      src[k] = i;
      dst[k] = j;
    }
  }
  const prop: TfjsGraph['prop'] = [];
  for (let a = 0; a < nnz; a += SEGMENT_CHUNK) {
    const b = Math.min(nnz, a + SEGMENT_CHUNK);
    prop.push({
      rows: tf.tensor1d(rows.subarray(a, b), 'int32'),
      cols: tf.tensor1d(cols.subarray(a, b), 'int32'),
      vals: tf.tensor2d(vals.subarray(a, b), [b - a, 1]),
    });
  }
  const edgeSrc = tf.tensor1d(src, 'int32');
  const edgeDst = tf.tensor1d(dst, 'int32');
  return {
    prop,
    edgeSrc,
    edgeDst,
    nnzProp: nnz,
    dispose: () => {
      for (const c of prop) [c.rows, c.cols, c.vals].forEach((x) => x.dispose());
      edgeSrc.dispose();
      edgeDst.dispose();
    },
  };
}

export interface TfjsRunResult {
  layers: { metrics: LayerMetrics; nonFinite: number; features?: Float32Array }[];
  timeMs: number;
}

const LN_EPS = 1e-5;
const PAIRNORM_EPS = 1e-6;
const ROW_EPS = 1e-12;

function layerNorm(x: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
}

function rowNormalize(x: tf.Tensor2D): tf.Tensor2D {
  const norms = tf.sqrt(tf.sum(tf.square(x), 1, true));
  return tf.div(x, tf.maximum(norms, ROW_EPS));
}

function activate(x: tf.Tensor2D, act: EngineConfig['activation']): tf.Tensor2D {
  return act === 'relu' ? tf.relu(x) : act === 'tanh' ? tf.tanh(x) : x;
}

/** The configured normalization of Z (SPEC §1.3). */
function normalize(z: tf.Tensor2D, config: EngineConfig): tf.Tensor2D {
  const { norm } = config;
  switch (norm.kind) {
    case 'none':
      return z;
    case 'layernorm':
      return layerNorm(z);
    case 'pairnorm': {
      const zc = tf.sub(z, tf.mean(z, 0, true));
      const msq = tf.mean(tf.sum(tf.square(zc), 1));
      return tf.mul(tf.div(zc, tf.sqrt(tf.add(msq, PAIRNORM_EPS))), norm.pairnormScale);
    }
    case 'batchnorm': {
      const { mean, variance } = tf.moments(z, 0, true);
      return tf.mul(tf.sub(z, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
    }
    case 'contranorm': {
      const { s, tau, variant } = norm;
      if (variant === 'mask') throw new Error('tfjs peer: ContraNorm "mask" is not implemented');
      let zp: tf.Tensor2D;
      if (variant === 'paper') {
        const S = tf.softmax(tf.matMul(z, z, false, true));
        zp = tf.sub(z, tf.mul(tf.matMul(S, z), s / tau));
      } else {
        const u = rowNormalize(z);
        const S = tf.softmax(tf.mul(tf.matMul(u, u, false, true), 1 / tau));
        const a = variant === 'identity' ? 1 + s : 1;
        zp = tf.sub(tf.mul(z, a), tf.mul(tf.matMul(S, z), s));
      }
      return layerNorm(zp);
    }
  }
}

function propagate(x: tf.Tensor2D, g: TfjsGraph, n: number): tf.Tensor2D {
  const parts = g.prop.map(
    (c) => tf.unsortedSegmentSum(tf.mul(tf.gather(x, c.cols), c.vals), c.rows, n) as tf.Tensor2D,
  );
  return parts.length === 1 ? parts[0]! : tf.addN(parts);
}

function residual(h: tf.Tensor2D, z: tf.Tensor2D, config: EngineConfig, lipschitzNorm: number): tf.Tensor2D {
  const out: tf.Tensor2D = tf.add(h, tf.mul(z, config.alpha));
  return config.residual === 'lipschitz' ? tf.div(out, 1 + config.alpha * lipschitzNorm) : out;
}

function matrix(data: Float64Array, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(data), [rows, cols]);
}

/**
 * The per-layer sums, packed into one 1-D tensor:
 * [gram (w²), colSum (w), unitColSum (w), unitRowCount, sumSq, centeredSumSq, nonFinite, dirichlet,
 *  attention c (n) and its row count (when p is given), features (n·w, when asked)].
 */
function packMetrics(
  h: tf.Tensor2D,
  g: TfjsGraph | null,
  p: tf.Tensor2D | null,
  withFeatures: boolean,
): tf.Tensor1D {
  const gram = tf.matMul(h, h, true, false);
  const colSum = tf.sum(h, 0);
  const rn = rowNormalize(h);
  const unitColSum = tf.sum(rn, 0);
  const unitRowCount = tf.sum(tf.square(rn));
  const sumSq = tf.sum(tf.square(h));
  const centeredSumSq = tf.sum(tf.square(tf.sub(h, tf.mean(h, 0, true))));
  const nonFinite = tf.sum(tf.cast(tf.logicalNot(tf.isFinite(h)), 'float32'));
  const dirichlet = g
    ? tf.sum(tf.squaredDifference(tf.gather(h, g.edgeSrc), tf.gather(h, g.edgeDst)))
    : tf.scalar(0);
  const parts: tf.Tensor[] = [
    tf.reshape(gram, [-1]),
    colSum,
    unitColSum,
    tf.stack([unitRowCount, sumSq, centeredSumSq, nonFinite, dirichlet]),
  ];
  if (p) {
    const pn = rowNormalize(p);
    parts.push(tf.sum(pn, 0), tf.reshape(tf.sum(tf.square(pn)), [1]));
  }
  if (withFeatures) parts.push(tf.reshape(h, [-1]));
  return tf.concat(parts) as tf.Tensor1D;
}

function unpackMetrics(
  data: Float32Array,
  n: number,
  w: number,
  hasGraph: boolean,
  attention: boolean,
  withFeatures: boolean,
): { metrics: LayerMetrics; nonFinite: number; features?: Float32Array } {
  let o = 0;
  const take = (len: number): Float64Array => {
    const out = Float64Array.from(data.subarray(o, o + len));
    o += len;
    return out;
  };
  const gram = take(w * w);
  const colSum = take(w);
  const unitColSum = take(w);
  const [unitRowCount, sumSq, centeredSumSq, nonFinite, dirichlet] = take(5) as unknown as number[];
  let att: LayerSums['attention'] = null;
  if (attention) {
    const c = take(n);
    att = { unitColSum: c, unitRowCount: take(1)[0]! };
  }
  const features = withFeatures ? data.slice(o, o + n * w) : undefined;
  const sums: LayerSums = {
    n,
    d: w,
    gram,
    colSum,
    unitColSum,
    unitRowCount: unitRowCount!,
    sumSq: sumSq!,
    centeredSumSq: centeredSumSq!,
    dirichletSum: hasGraph ? dirichlet! : null,
    attention: att,
  };
  let metrics: LayerMetrics;
  if (nonFinite! > 0) {
    metrics = {
      singularValues: new Float64Array(Math.min(n, w)).fill(NaN),
      effectiveRank: NaN,
      meanCosine: NaN,
      mu: NaN,
      dirichlet: hasGraph ? NaN : null,
      attentionSimilarity: attention ? NaN : null,
      frobenius: NaN,
    };
  } else {
    metrics = finishMetrics(sums, false);
  }
  return { metrics, nonFinite: nonFinite!, ...(features ? { features } : {}) };
}

/** One full run: layers 0..L and their metrics, from the input features up. */
export async function runTfjs(
  config: EngineConfig,
  ds: Dataset,
  g: TfjsGraph | null,
  features: 'all' | 'last' | 'none',
): Promise<TfjsRunResult> {
  if (config.centeredSpectrum) throw new Error('tfjs peer: only the uncentered spectrum is implemented');
  if (config.model === 'gnn' && !g) throw new Error('tfjs peer: the GNN model needs a graph');
  const t0 = performance.now();
  const n = ds.n;
  const d = config.hidden;
  const L = config.layers;
  const wants = (l: number): boolean => features === 'all' || (features === 'last' && l === L);
  const layers: TfjsRunResult['layers'] = [];

  let h = tf.tensor2d(ds.features, [n, ds.featureDim]);
  let width = ds.featureDim;
  {
    const packed = tf.tidy(() => packMetrics(h, g, null, wants(0)));
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    layers.push(unpackMetrics(data, n, width, !!g, false, wants(0)));
  }
  for (let l = 1; l <= L; l++) {
    const w = layerWeights(config, l, width);
    const inDim = width;
    const { next, packed } = tf.tidy(() => {
      let out: tf.Tensor2D;
      let p: tf.Tensor2D | null = null;
      if (config.model === 'gnn') {
        const z = propagate(tf.matMul(h, matrix(w.W!, inDim, d)), g!, n);
        out = activate(normalize(z, config), config.activation);
        if (config.residual !== 'none' && inDim === d) out = residual(h, out, config, w.lipschitzNorm);
      } else {
        const pre = config.normPlacement === 'pre';
        const x = pre ? normalize(h, config) : h;
        const q = tf.matMul(x, matrix(w.Wq!, inDim, d));
        const k = tf.matMul(x, matrix(w.Wk!, inDim, d));
        const v = tf.matMul(x, matrix(w.Wv!, inDim, d));
        const attn = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d))) as tf.Tensor2D;
        p = attn;
        const z = activate(tf.matMul(tf.matMul(attn, v), matrix(w.Wo!, d, d)), config.activation);
        const useResidual = config.residual !== 'none' && inDim === d;
        const r = useResidual ? residual(h, z, config, w.lipschitzNorm) : z;
        out = pre ? r : normalize(r, config);
      }
      return { next: out, packed: packMetrics(out, g, p, wants(l)) };
    });
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    h.dispose();
    h = next;
    width = d;
    layers.push(unpackMetrics(data, n, width, !!g, config.model === 'transformer', wants(l)));
  }
  h.dispose();
  return { layers, timeMs: performance.now() - t0 };
}

export function tfjsMemory(): { numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}
