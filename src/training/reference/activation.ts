// Backward of the activations of SPEC §1.1, from the activation's output y (what the tape keeps):
// relu' = 1 where y > 0 (0 at the kink, like PyTorch), tanh' = 1 − y².

import type { Activation } from '../../engine/types';
import { activate } from '../../engine/reference/ops';

export { activate };

/** ∂x from ∂y, given y = act(x). Returns a new array. */
export function activationBackward(y: Float64Array, g: Float64Array, activation: Activation): Float64Array {
  const out = new Float64Array(g.length);
  if (activation === 'none') out.set(g);
  else if (activation === 'relu') for (let i = 0; i < g.length; i++) out[i] = y[i] > 0 ? g[i] : 0;
  else for (let i = 0; i < g.length; i++) out[i] = g[i] * (1 - y[i] * y[i]);
  return out;
}
