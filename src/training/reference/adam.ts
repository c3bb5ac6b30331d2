// Adam with L2 weight decay added to the gradient, exactly PyTorch's `torch.optim.Adam(params,
// lr, weight_decay)` (not AdamW): g ← g + wd·w; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
// w ← w − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε), with β = (0.9, 0.999), ε = 1e-8.

export interface AdamOptions {
  lr: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  m: Float64Array[];
  v: Float64Array[];
  /** Steps taken so far. */
  t: number;
}

export function createAdamState(params: readonly Float64Array[]): AdamState {
  return {
    m: params.map((p) => new Float64Array(p.length)),
    v: params.map((p) => new Float64Array(p.length)),
    t: 0,
  };
}

/** One step, updating `params` and `state` in place (grads are read, not modified). */
export function adamStep(
  params: readonly Float64Array[],
  grads: readonly Float64Array[],
  state: AdamState,
  options: AdamOptions,
): void {
  const { lr, weightDecay: wd, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = options;
  state.t++;
  const c1 = 1 - beta1 ** state.t;
  const c2 = 1 - beta2 ** state.t;
  params.forEach((w, p) => {
    const g = grads[p];
    const m = state.m[p];
    const v = state.v[p];
    for (let k = 0; k < w.length; k++) {
      const gk = g[k] + wd * w[k];
      m[k] = beta1 * m[k] + (1 - beta1) * gk;
      v[k] = beta2 * v[k] + (1 - beta2) * gk * gk;
      w[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + eps);
    }
  });
}
