// One-sentence tooltips for the controls (shown as the browser's title tooltip). Controls not
// named here get their label and allowed range.
import type { LectureState } from '../state/page';
import { PROP_BY_NAME } from '../state/page';

const HINTS: Partial<Record<keyof LectureState, string>> = {
  model: 'A graph network (GCN layers Â·H·W) or a transformer (self-attention layers)',
  layers: 'How many layers are computed: the depth slider runs from 0 to this L',
  hidden: 'The width d of every layer’s features: the spectrum has d singular values',
  adjacency: 'How a GCN layer averages over neighbours (the propagation matrix Â)',
  activation: 'The nonlinearity σ after each layer',
  residual: 'Add a share α of the layer’s input back to its output (slows oversmoothing)',
  normA: 'The normalization of the left panel; everything else is shared with the right one',
  normB: 'The normalization of the right panel; everything else is shared with the left one',
  s: 'ContraNorm strength s: how hard each layer pushes representations apart (0 = LayerNorm only)',
  tau: 'ContraNorm temperature τ: smaller τ pushes only the most similar pairs apart',
  variant: 'Which written form of ContraNorm to run',
  pairnormScale: 'PairNorm’s scale: the mean distance of the centred rows',
  init: 'How the weight matrices are drawn',
  gain: 'The weights’ gain g: their spread is g²/d',
  weightSeed: 'The random seed of the weights (both panels share it)',
  centered: 'Compute the spectrum of the centred features (the common direction removed)',
  projection: 'How the points are placed: each layer’s top two principal axes, or the first layer’s',
  edges: 'Draw the graph’s edges faintly under the points',
  speed: 'Layers per second while the depth plays',
  engineChoice:
    'Which engine computes: the faster one on this machine (measured), the GPU through WebGPU, or all CPU cores through WebAssembly',
  n: 'The number of nodes or tokens',
  featureDim: 'The number of input features per node',
  classes: 'The number of classes (colours)',
  homophily: 'The share of edges that join nodes of the same class',
  avgDegree: 'The average number of neighbours of a node',
  separation: 'How far apart the classes’ feature means are',
  dataSeed: 'The random seed of the data set',
};

/** The tooltip of a property's control. */
export function hintFor(name: keyof LectureState): string {
  const p = PROP_BY_NAME.get(name);
  const hint = HINTS[name];
  if (!p) return hint ?? '';
  const range = p.type === 'number' ? ` (${p.min} to ${p.max})` : '';
  return hint ? `${hint}${range}` : `${p.label}${range}`;
}
