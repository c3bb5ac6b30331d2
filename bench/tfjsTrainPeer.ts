// The TensorFlow.js training peer (benchmark only): the model and training loop of
// src/training/types.ts written the way tfjs code would write it, on tfjs's WebGPU backend,
// with tfjs's own autodiff (tf.train.adam's minimize) instead of hand-written gradients.
//
// - Weights: tf.variable's initialized from the very same numbers as our trainers
//   (initTrainingWeights of src/training/model.ts, cast to float32); no biases, like ours.
// - Input: the L1-normalized features of prepareTrainingData (src/training/data.ts), dense
//   N×d_in float32 (tf.dropout needs a dense tensor; Cora's 2,708×1,433 is 15.5 MB).
// - Â·H (rw or sym): gather + unsortedSegmentSum over the edge list of Ã = A + I with Â's values
//   (the same as the forward peer bench/tfjsPeer.ts). Not a dense Â: at 2,708 nodes a dense Â·H
//   costs 2·N²·d = 0.47 GFLOP per product (as much as one of ContraNorm's N×N products) where the
//   edge list is 13k entries; its gradient (gather's is unsortedSegmentSum and vice versa) is
//   tfjs's own.
// - ContraNorm: u = rn(Z), S = softmax(u uᵀ/τ) materialized as an N×N tensor, for `mask` with
//   self and neighbours removed by adding a precomputed N×N bias of −1e9 (exp underflows to an
//   exact 0 in float32, as −∞ would, without −∞'s NaN on a fully masked row); Y = k·Z − s·S Z
//   (`paper`: S = softmax(Z Zᵀ), Y = Z − (s/τ)·S Z); then LayerNorm without affine (ε = 1e-5).
//   Also `layernorm` and `none`; the other norms and residuals are refused.
// - Dropout: tf.dropout (inverted, its own random masks: they differ from ours, so losses agree
//   in range, not digit for digit); on the input of every layer and of the read-out.
// - Loss: mean softmax cross-entropy over the training nodes (logSoftmax of the gathered rows).
// - Adam: tf.train.adam(lr, 0.9, 0.999, 1e-8). PyTorch's Adam(weight_decay) adds wd·W to the
//   gradient before the moments; adding (wd/2)·Σ‖W‖² to the minimized loss gives exactly that
//   gradient, so the update is PyTorch's (the reported loss is the cross-entropy alone, as ours).
// - Each epoch, as our trainer: a training step, then an eval-mode forward (no dropout) for the
//   train/val/test accuracies; one readback per epoch (loss and the three hit counts).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs union package does this import).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { TrainingData } from '../src/training/data';
import { initTrainingWeights } from '../src/training/model';
import type { EpochStats, TrainConfig } from '../src/training/types';
import { initTfjs } from './tfjsPeer';

export const TFJS_TRAIN_METHOD =
  'tfjs-core + tfjs-backend-webgpu, autodiff by optimizer.minimize: Â·H by gather + unsortedSegmentSum over Ã’s edge list, ' +
  'ContraNorm with a materialized N×N softmax (mask as a −1e9 N×N bias), LayerNorm, ReLU, tf.dropout, ' +
  'tf.train.adam with (wd/2)·Σ‖W‖² added to the loss (= PyTorch Adam weight_decay)';

const LN_EPS = 1e-5;
const ROW_EPS = 1e-12;
const MASKED = -1e9;

export interface TfjsTraining {
  /** One epoch: training step, then eval forward; reads back the loss and accuracies. */
  epoch(): Promise<EpochStats>;
  dispose(): void;
}

function layerNorm(x: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LN_EPS)));
}

/**
 * x_i / max(‖x_i‖, 1e-12), as the reference. The clamp is inside the square root: √ of an
 * all-zero row (dropout can zero a node and all its neighbours) has an infinite derivative, and
 * ∞·0 would turn every gradient into NaN; clamped there, a zero row passes ∂x = ∂u/1e-12, as the
 * reference's backward does.
 */
function rowNormalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), 1, true), ROW_EPS * ROW_EPS)));
}

export async function createTfjsTraining(config: TrainConfig, data: TrainingData): Promise<TfjsTraining> {
  await initTfjs();
  if (config.residual !== 'none') throw new Error('tfjs training peer: only residual "none" is implemented');
  const { norm } = config;
  if (norm.kind !== 'none' && norm.kind !== 'layernorm' && norm.kind !== 'contranorm')
    throw new Error(`tfjs training peer: norm "${norm.kind}" is not implemented`);
  const { n, graph, split } = data;
  const weights = initTrainingWeights(config, data.inDim, data.classes);

  // Â's entries: the self loop and the neighbours of each row, as the engines build them.
  const deg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let k = graph.rowPtr[i]!; k < graph.rowPtr[i + 1]!; k++) s += graph.weights ? graph.weights[k]! : 1;
    deg[i] = s;
  }
  const nnz = graph.colIdx.length + n;
  const rows = new Int32Array(nnz);
  const cols = new Int32Array(nnz);
  const vals = new Float32Array(nnz);
  let p = 0;
  for (let i = 0; i < n; i++) {
    rows[p] = i;
    cols[p] = i;
    vals[p++] = 1 / deg[i]!;
    for (let k = graph.rowPtr[i]!; k < graph.rowPtr[i + 1]!; k++) {
      const j = graph.colIdx[k]!;
      const w = graph.weights ? graph.weights[k]! : 1;
      rows[p] = i;
      cols[p] = j;
      vals[p++] = config.adjacency === 'rw' ? w / deg[i]! : w / Math.sqrt(deg[i]! * deg[j]!);
    }
  }
  const kept: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (kept.push(t), t);
  const tRows = keep(tf.tensor1d(rows, 'int32'));
  const tCols = keep(tf.tensor1d(cols, 'int32'));
  const tVals = keep(tf.tensor2d(vals, [nnz, 1]));
  const x = keep(tf.tensor2d(Float32Array.from(data.features), [n, data.inDim]));
  let maskBias: tf.Tensor2D | null = null;
  if (norm.kind === 'contranorm' && norm.variant === 'mask') {
    const bias = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      bias[i * n + i] = MASKED;
      for (let k = graph.rowPtr[i]!; k < graph.rowPtr[i + 1]!; k++)
        if (!graph.weights || graph.weights[k] !== 0) bias[i * n + graph.colIdx[k]!] = MASKED;
    }
    maskBias = keep(tf.tensor2d(bias, [n, n]));
  }
  const labelsOf = (idx: Uint32Array) => Int32Array.from(idx, (i) => data.labels[i]!);
  const trainIdx = keep(tf.tensor1d(Int32Array.from(split.train), 'int32'));
  const trainOneHot = keep(
    tf.tidy(() => tf.oneHot(tf.tensor1d(labelsOf(split.train), 'int32'), data.classes)),
  );
  const labels = keep(tf.tensor1d(data.labels, 'int32'));
  const sets = [split.train, split.val, split.test].map((s) =>
    keep(tf.tensor1d(Int32Array.from(s), 'int32')),
  );

  // tf.variable copies its initial value; tidy frees the staging tensor (variables survive tidy).
  const variable = (m: Float64Array, rows: number, cols: number, name: string): tf.Variable<tf.Rank.R2> =>
    tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(m), [rows, cols]), true, name));
  const W = weights.layers.map((m, l) => variable(m, weights.dims[l]!, weights.dims[l + 1]!, `W${l + 1}`));
  const Wout = variable(weights.out, config.hidden, weights.classes, 'Wout');
  const params = [...W, Wout];
  const optimizer = tf.train.adam(config.lr, 0.9, 0.999, 1e-8);

  const propagate = (h: tf.Tensor2D): tf.Tensor2D =>
    tf.unsortedSegmentSum(tf.mul(tf.gather(h, tCols), tVals), tRows, n) as tf.Tensor2D;

  const normalize = (z: tf.Tensor2D): tf.Tensor2D => {
    if (norm.kind === 'none') return z;
    if (norm.kind === 'layernorm') return layerNorm(z);
    const { s, tau, variant } = norm;
    let y: tf.Tensor2D;
    if (variant === 'paper') {
      y = tf.sub(z, tf.mul(tf.matMul(tf.softmax(tf.matMul(z, z, false, true)), z), s / tau));
    } else {
      const u = rowNormalize(z);
      let scores = tf.matMul(u, u, false, true);
      if (tau !== 1) scores = tf.mul(scores, 1 / tau);
      if (maskBias) scores = tf.add(scores, maskBias);
      const sz = tf.matMul(tf.softmax(scores), z);
      y = tf.sub(variant === 'identity' ? tf.mul(z, 1 + s) : z, tf.mul(sz, s));
    }
    return layerNorm(y);
  };
  const act = (z: tf.Tensor2D): tf.Tensor2D =>
    config.activation === 'relu' ? tf.relu(z) : config.activation === 'tanh' ? tf.tanh(z) : z;
  const drop = (h: tf.Tensor2D, training: boolean): tf.Tensor2D =>
    training && config.dropout > 0 ? (tf.dropout(h, config.dropout) as tf.Tensor2D) : h;

  const logitsOf = (training: boolean): tf.Tensor2D => {
    let h: tf.Tensor2D = x;
    for (const w of W) h = act(normalize(propagate(tf.matMul(drop(h, training), w))));
    return tf.matMul(drop(h, training), Wout);
  };

  let epochIndex = 0;
  return {
    async epoch(): Promise<EpochStats> {
      let ce: tf.Scalar | null = null;
      optimizer.minimize(
        () => {
          const logp = tf.logSoftmax(tf.gather(logitsOf(true), trainIdx));
          const loss = tf.neg(tf.mean(tf.sum(tf.mul(trainOneHot, logp), 1))) as tf.Scalar;
          ce = tf.keep(loss);
          if (config.weightDecay === 0) return loss;
          const l2 = tf.addN(params.map((v) => tf.sum(tf.square(v))));
          return tf.add(loss, tf.mul(l2, config.weightDecay / 2));
        },
        false,
        params,
      );
      const packed = tf.tidy(() => {
        const hit = tf.cast(tf.equal(tf.argMax(logitsOf(false), 1), labels), 'float32');
        return tf.concat([
          tf.reshape(ce!, [1]),
          ...sets.map((s) => tf.reshape(tf.sum(tf.gather(hit, s)), [1])),
        ]);
      });
      const v = await packed.data();
      packed.dispose();
      (ce as tf.Scalar | null)?.dispose();
      const stats: EpochStats = {
        epoch: epochIndex++,
        loss: v[0]!,
        trainAcc: v[1]! / split.train.length,
        valAcc: v[2]! / split.val.length,
        testAcc: v[3]! / split.test.length,
      };
      return stats;
    },
    dispose(): void {
      optimizer.dispose();
      params.forEach((v) => v.dispose());
      kept.forEach((t) => t.dispose());
    },
  };
}
