// The WGSL trainer (`Trainer` of src/training/types.ts, kind 'gpu'): forward with saved
// activations, backward and Adam all on the GPU (src/training/gpu/network.ts), following the
// reference trainer's protocol (src/training/reference/trainer.ts) exactly:
//   each epoch: training-mode forward (dropout masks of that epoch) → loss → backward → Adam;
//   then an eval-mode forward (no dropout) for the train/val/test accuracies after the update.
// Every DETAIL_EVERY epochs (and the last) the eval pass also runs the backward with the hidden
// gradients kept, for the per-layer gradient statistics, and H_L is read back for the embeddings.
// Without dropout the eval forward of one epoch doubles as the next epoch's training forward.
// The Lipschitz-bounded residual adds one weight readback per epoch (see refreshLipschitz).
// Per epoch the host reads back 8 floats (loss sum and accuracy counts of both passes), plus
// (L+1)·2 column-statistics slots and H_L on detail epochs. Weights never leave the GPU.
// Epochs are pipelined: the next one is submitted before the previous one's readback is awaited.
import { checkTrainConfig, trainingAbortError } from '../config';
import { acquireGpu, type GpuContext } from '../../engine/gpu/device';
import type { Dataset } from '../../engine/types';
import { prepareTrainingData, type TrainingData } from '../data';
import { initTrainingWeights } from '../model';
import { spectralNorm } from '../../engine/weights';
import { DETAIL_EVERY, EpochLog } from '../reference/trainer';
import type {
  EpochStats,
  GradientLayerStats,
  TrainConfig,
  TrainProgress,
  TrainResult,
  Trainer,
} from '../types';
import type { KernelProfile } from '../../engine/gpu/profile';
import { submitAndRead } from './buffers';
import { buildTrainerPipelines, type TrainerKernelName } from './kernels';
import { GpuNetwork } from './network';
import { TrainRecorder } from './recorder';

/**
 * Mean squared entry under which float32 statistics are refused: 1e-30 leaves eight orders of
 * magnitude above the flush-to-zero range for entries smaller than the typical one.
 */
export const FLOAT32_MEAN_SQUARE_FLOOR = 1e-30;

/**
 * ‖M‖_F and μ(M) = ‖M − 1γᵀ‖_F/‖M‖_F from column_stats.wgsl's output (mean_c, var_c, and
 * (1/N)Σ_c M2_c = (1/N)‖M − 1γᵀ‖²_F), finished in float64: ‖M‖² = N Σ_c (var_c + mean_c²).
 */
export function normAndMu(stats: Float32Array, n: number, d: number): { norm: number; mu: number } {
  let total = 0;
  for (let c = 0; c < d; c++) total += stats[d + c]! + stats[c]! ** 2;
  total *= n;
  const centered = n * stats[2 * d]!;
  if (!Number.isFinite(total) || !Number.isFinite(centered)) return { norm: Math.sqrt(total), mu: NaN };
  // The variances are sums of float32 squares: entries below ~1e-19 square to under float32's
  // smallest normal number (1.2e-38) and are flushed to zero, so both figures silently shrink
  // (a vanishing gradient would read μ = 0). Below this mean square the numbers are not
  // trustworthy: report NaN, and let the caller recompute in float64 (src/training/worker.ts).
  if (total > 0 && total / (n * d) < FLOAT32_MEAN_SQUARE_FLOOR) return { norm: NaN, mu: NaN };
  return { norm: Math.sqrt(total), mu: total === 0 ? 0 : Math.sqrt(Math.min(1, centered / total)) };
}

class GpuTrainer implements Trainer {
  readonly kind = 'gpu' as const;
  private ctx: Promise<GpuContext> | null;
  private pipelines: Promise<Record<TrainerKernelName, GPUComputePipeline>> | null = null;

  constructor(
    ctx?: GpuContext,
    /** Per-kernel GPU times of every submit (the benchmark's kernel table); needs timestamp-query. */
    private readonly profile: KernelProfile | null = null,
  ) {
    this.ctx = ctx ? Promise.resolve(ctx) : null;
  }

  private async setup(config: TrainConfig, dataset?: Dataset) {
    checkTrainConfig(config);
    const data = prepareTrainingData(config, dataset);
    this.ctx ??= acquireGpu();
    const ctx = await this.ctx;
    if (ctx.lost) throw new Error(ctx.lost);
    this.pipelines ??= buildTrainerPipelines(ctx.device);
    const rec = new TrainRecorder(ctx, await this.pipelines);
    rec.session.profile = this.profile;
    const weights = initTrainingWeights(config, data.inDim, data.classes);
    const net = new GpuNetwork(rec, ctx.device, config, data, weights);
    return { ctx, rec, net, data };
  }

  /**
   * Eval-mode forward, loss (sums into `totals`) and backward with the hidden gradients kept;
   * returns the per-layer statistics and the training-loss sum.
   */
  private async statsPass(
    ctx: GpuContext,
    rec: TrainRecorder,
    net: GpuNetwork,
    data: TrainingData,
    totals: GPUBuffer,
  ): Promise<{ stats: GradientLayerStats[]; lossSum: number }> {
    net.setDropout(null);
    net.encodeForward();
    net.encodeLoss(totals);
    net.encodeBackward(true);
    const [s, t] = await submitAndRead(ctx.device, rec, [
      { buffer: net.layerStats, offsetFloats: 0, floats: net.layerStats.size / 4 },
      { buffer: totals, offsetFloats: 0, floats: 4 },
    ]);
    return { stats: this.layerStats(s!, net, data.n), lossSum: t![0]! };
  }

  /**
   * The `lipschitz` residual divides by 1 + α‖W_ℓ‖₂ of the weights in use: after an update, read
   * the weights back (hidden² floats per layer) and recompute the norms on the host in float64.
   */
  private async refreshLipschitz(ctx: GpuContext, rec: TrainRecorder, net: GpuNetwork): Promise<void> {
    const [w] = await submitAndRead(ctx.device, rec, [
      { buffer: net.w, offsetFloats: 0, floats: net.paramFloats },
    ]);
    net.setLipschitzNorms(
      net.dims.slice(1).map((_, i) => {
        const [rows, cols] = net.weightShape(i + 1);
        const o = net.offsets[i]!;
        return spectralNorm(Float64Array.from(w!.subarray(o, o + rows * cols)), rows, cols);
      }),
    );
  }

  private layerStats(s: Float32Array, net: GpuNetwork, n: number): GradientLayerStats[] {
    return net.dims.map((d, l) => {
      const g = normAndMu(s.subarray(2 * l * net.statSlot), n, d);
      const h = normAndMu(s.subarray((2 * l + 1) * net.statSlot), n, d);
      return { layer: l, gradNorm: g.norm, gradMu: g.mu, repMu: h.mu };
    });
  }

  async gradients(config: TrainConfig, dataset?: Dataset): Promise<GradientLayerStats[]> {
    const { ctx, rec, net, data } = await this.setup(config, dataset);
    try {
      return (await this.statsPass(ctx, rec, net, data, net.bufs.create(4))).stats;
    } finally {
      net.dispose();
    }
  }

  async train(
    config: TrainConfig,
    onProgress?: (p: TrainProgress) => void,
    signal?: AbortSignal,
    dataset?: Dataset,
  ): Promise<TrainResult> {
    if (signal?.aborted) throw trainingAbortError();
    const { ctx, rec, net, data } = await this.setup(config, dataset);
    try {
      const { split } = data;
      const totalsTrain = net.bufs.create(4);
      const totalsEval = net.bufs.create(4);
      const initial = await this.statsPass(ctx, rec, net, data, totalsEval);
      const initialGradients = initial.stats;
      // Without dropout the training forward of epoch e is the eval forward that ended epoch e − 1
      // (same weights, no masks): its tapes, dlogits and loss are still in place, so it is reused.
      const reuse = config.dropout === 0;
      let lastEvalLossSum = initial.lossSum;
      const log = new EpochLog();
      // Epoch e + 1 is encoded and submitted before epoch e's readback is awaited, so the GPU
      // never waits for the host between epochs; results are still handled in epoch order.
      const handle = async (epoch: number, detail: boolean, read: Promise<Float32Array[]>) => {
        const [tr, ev, ls, emb] = await read;
        const stats: EpochStats = {
          epoch,
          loss: (reuse ? lastEvalLossSum : tr![0]!) / split.train.length,
          trainAcc: ev![1]! / split.train.length,
          valAcc: ev![2]! / split.val.length,
          testAcc: ev![3]! / split.test.length,
        };
        lastEvalLossSum = ev![0]!;
        log.add(stats);
        onProgress?.({
          epoch: stats,
          ...(detail && ls && emb
            ? { gradients: this.layerStats(ls, net, data.n), embeddings: Float32Array.from(emb) }
            : {}),
        });
      };
      let pending: { epoch: number; detail: boolean; read: Promise<Float32Array[]> } | null = null;
      try {
        for (let epoch = 0; epoch < config.epochs; epoch++) {
          if (signal?.aborted) throw trainingAbortError();
          if (!reuse) {
            net.setDropout(epoch);
            net.encodeForward();
            net.encodeLoss(totalsTrain);
          }
          net.encodeBackward(false);
          net.encodeAdam();
          if (config.residual === 'lipschitz') await this.refreshLipschitz(ctx, rec, net);
          net.setDropout(null);
          net.encodeForward();
          net.encodeLoss(totalsEval);
          const detail = epoch % DETAIL_EVERY === 0 || epoch === config.epochs - 1;
          if (detail) net.encodeBackward(true);
          const ranges = [
            { buffer: totalsTrain, offsetFloats: 0, floats: 4 },
            { buffer: totalsEval, offsetFloats: 0, floats: 4 },
          ];
          if (detail)
            ranges.push(
              { buffer: net.layerStats, offsetFloats: 0, floats: net.layerStats.size / 4 },
              { buffer: net.lastHidden, offsetFloats: 0, floats: data.n * config.hidden },
            );
          // The copies into the staging buffer are in this epoch's submit, ahead of the next
          // epoch's writes to the same buffers.
          const read = submitAndRead(ctx.device, rec, ranges);
          const previous = pending;
          pending = { epoch, detail, read };
          if (previous) await handle(previous.epoch, previous.detail, previous.read);
        }
        const last = pending;
        pending = null;
        if (last) await handle(last.epoch, last.detail, last.read);
      } finally {
        // On an abort or error, let the submitted epoch finish before its buffers are destroyed.
        if (pending) await pending.read.catch(() => undefined);
      }
      if (signal?.aborted) throw trainingAbortError();
      return {
        config,
        epochs: log.epochs,
        bestValEpoch: log.bestValEpoch,
        testAccAtBestVal: log.testAccAtBestVal,
        initialGradients,
        engine: { kind: 'gpu', note: null },
      };
    } finally {
      net.dispose();
    }
  }

  dispose(): void {
    this.pipelines = null;
  }
}

/**
 * The GPU trainer on `ctx` (the forward engine's context can be shared), or on a newly acquired
 * device. Configurations it cannot run (see network.ts's unsupportedReason) are refused with an
 * Error naming the reason, never run approximately.
 */
export function createGpuTrainer(
  ctx?: GpuContext,
  profile?: KernelProfile,
): Trainer & {
  gradients(config: TrainConfig, dataset?: Dataset): Promise<GradientLayerStats[]>;
  train(
    config: TrainConfig,
    onProgress?: (p: TrainProgress) => void,
    signal?: AbortSignal,
    dataset?: Dataset,
  ): Promise<TrainResult>;
} {
  return new GpuTrainer(ctx, profile ?? null);
}
