// Softmax cross-entropy over the training nodes, mean-reduced (PyTorch's F.cross_entropy /
// nll_loss(log_softmax) on the masked rows), its gradient, and accuracy.

export interface LossResult {
  loss: number;
  /** ∂loss/∂logits, n×classes; zero outside `nodes`. */
  grad: Float64Array;
}

export function softmaxCrossEntropy(
  logits: Float64Array,
  classes: number,
  labels: Int32Array,
  nodes: Uint32Array,
): LossResult {
  const grad = new Float64Array(logits.length);
  const m = nodes.length;
  let loss = 0;
  for (const i of nodes) {
    const o = i * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[o + c] - max);
    const logSum = max + Math.log(sum);
    loss += logSum - logits[o + labels[i]];
    for (let c = 0; c < classes; c++) grad[o + c] = Math.exp(logits[o + c] - logSum) / m;
    grad[o + labels[i]] -= 1 / m;
  }
  return { loss: loss / m, grad };
}

/** Fraction of `nodes` whose arg-max logit is the label (first maximum on ties); NaN for no nodes. */
export function accuracy(
  logits: Float64Array,
  classes: number,
  labels: Int32Array,
  nodes: Uint32Array,
): number {
  let hit = 0;
  for (const i of nodes) {
    const o = i * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[o + c] > logits[o + best]) best = c;
    if (best === labels[i]) hit++;
  }
  return hit / nodes.length;
}
