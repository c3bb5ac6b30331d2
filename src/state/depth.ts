// The collapse-through-depth view's properties: each one's URL key, type, default and allowed
// values (written in the language of state/schema.ts), and what the engine computes from them.
import { defaultConfig } from '../engine/config';
import type {
  Activation,
  Adjacency,
  ContraNormVariant,
  DatasetSpec,
  EngineConfig,
  Model,
  NormKind,
  Residual,
  WeightInit,
} from '../engine/types';
import { defineEnum, defineEnumOf, defineNumber, defineShared, type PropOf } from './schema';

export type ProjectionMode = 'pca-aligned' | 'fixed-basis';
/** The GNN's data sets: the generators of src/data, or the file the user loaded ('loaded'). */
export type GraphData = 'csbm' | 'sbm' | 'ring' | 'grid' | 'geometric' | 'karate' | 'loaded';
export const GRAPH_DATA_VALUES: readonly GraphData[] = [
  'csbm',
  'sbm',
  'ring',
  'grid',
  'geometric',
  'karate',
  'loaded',
];
export const GRAPH_DATA_LABELS = [
  'contextual SBM',
  'stochastic block model',
  'ring lattice',
  '2-D grid',
  'random geometric graph',
  "Zachary's karate club",
  'loaded file',
] as const;
/** The Transformer's data sets: Gaussian-mixture tokens, positional sequences, or a loaded file. */
export type TokenData = 'mixture' | 'positional' | 'loaded';
export const TOKEN_DATA_VALUES: readonly TokenData[] = ['mixture', 'positional', 'loaded'];
export const TOKEN_DATA_LABELS = ['Gaussian mixture', 'sequence with positions', 'loaded file'] as const;
/** The properties of the collapse-through-depth lecture. */
export interface DepthState {
  model: Model;
  /** Layers computed, L: the depth slider runs over 0..L. */
  layers: number;
  hidden: number;
  adjacency: Adjacency;
  /** Normalization of panel A (left) and panel B (right). */
  normA: NormKind;
  normB: NormKind;
  s: number;
  tau: number;
  variant: ContraNormVariant;
  pairnormScale: number;
  activation: Activation;
  residual: Residual;
  alpha: number;
  normPlacement: 'pre' | 'post';
  init: WeightInit;
  gain: number;
  tied: boolean;
  weightSeed: number;
  centered: boolean;
  /** Data set of the GNN (graphData) and of the Transformer (tokenData); each model keeps its own. */
  graphData: GraphData;
  tokenData: TokenData;
  /**
   * Id of the loaded data set either choice may name (a loaded file is not in the URL; a link
   * naming one this page has not loaded falls back to the default with a note).
   */
  loadedId: string;
  /** Generators' parameters (each generator reads those it has). */
  n: number;
  featureDim: number;
  classes: number;
  homophily: number;
  avgDegree: number;
  separation: number;
  clusters: number;
  /** Random geometric graph: join points closer than this (unit square). */
  radius: number;
  dataSeed: number;
  /** View. */
  compare: boolean;
  /** Current depth in layers, fractional while animating. */
  depth: number;
  playing: boolean;
  /** Layers per second while playing. */
  speed: number;
  projection: ProjectionMode;
  /** Which engine computes: chosen by measurement (`auto`), or forced. */
  engineChoice: 'auto' | 'gpu' | 'cpu';
  /** Draw the graph's edges, faintly, under the points (GNN data sets). */
  edges: boolean;
  /** The metric row shows the theory plots (bounds beside the measured collapse) instead of the metrics. */
  theory: boolean;
  /** Id of the preset last loaded ('' for none). */
  lesson: string;
}

export const MAX_LAYERS = 256;

const cfg = defaultConfig();

/** Defaults of the lecture: a 64-layer GCN on a 3-class CSBM, no normalization vs ContraNorm. */
export const DEPTH_DEFAULTS: DepthState = {
  model: 'gnn',
  layers: 64,
  hidden: 16,
  adjacency: cfg.adjacency,
  normA: 'none',
  normB: 'contranorm',
  s: 1,
  tau: cfg.norm.tau,
  variant: cfg.norm.variant,
  pairnormScale: cfg.norm.pairnormScale,
  activation: cfg.activation,
  residual: cfg.residual,
  alpha: cfg.alpha,
  normPlacement: cfg.normPlacement,
  init: cfg.weights.init,
  gain: cfg.weights.gain,
  tied: cfg.weights.tied,
  weightSeed: cfg.weights.seed,
  centered: cfg.centeredSpectrum,
  graphData: 'csbm',
  tokenData: 'mixture',
  loadedId: '',
  n: 300,
  featureDim: 16,
  classes: 3,
  homophily: 0.8,
  avgDegree: 6,
  separation: 2,
  clusters: 3,
  radius: 0.1,
  dataSeed: 1,
  compare: true,
  depth: 0,
  playing: false,
  speed: 4,
  projection: 'pca-aligned',
  engineChoice: 'auto',
  edges: false,
  theory: false,
  lesson: '',
};

export const DEPTH_PROPS: readonly PropOf<DepthState>[] = [
  defineEnum('model', 'model', 'Model', ['gnn', 'transformer'], ['GNN (GCN)', 'Transformer']),
  defineNumber('layers', 'L', 'Layers L', [1, MAX_LAYERS, 1], { integer: true, continuous: true }),
  defineNumber('hidden', 'hid', 'Hidden width d', [2, 256, 1], { integer: true, continuous: true }),
  defineEnum('adjacency', 'adj', 'Propagation Â', ['rw', 'sym'], ['random walk D̃⁻¹Ã', 'symmetric D̃⁻½ÃD̃⁻½']),
  defineShared('norm', 'normA', 'nA', 'Normalization A'),
  defineShared('norm', 'normB', 'nB', 'Normalization B'),
  defineShared('s', 's', 's'),
  defineShared('tau', 'tau', 'tau'),
  defineShared('variant', 'variant', 'var'),
  defineNumber('pairnormScale', 'pn', 'PairNorm scale', [0.1, 10, 0.1], { log: true, continuous: true }),
  defineEnum('activation', 'act', 'Activation', ['none', 'relu', 'tanh'], ['none (linear)', 'ReLU', 'tanh']),
  defineShared('residual', 'residual', 'res'),
  defineShared('alpha', 'alpha', 'a'),
  defineEnum('normPlacement', 'place', 'Norm placement', ['pre', 'post'], ['pre-LN', 'post-LN']),
  defineEnumOf('init', 'init', 'Weight init', {
    gaussian: 'Gaussian N(0, g²/d)',
    orthogonal: 'orthogonal · g',
    identity: 'identity (SGC)',
  } satisfies Record<WeightInit, string>),
  defineShared('gain', 'gain', 'g'),
  { name: 'tied', key: 'tied', label: 'Tied weights', type: 'bool' },
  defineNumber('weightSeed', 'ws', 'Weight seed', [0, 99999, 1], { integer: true }),
  { name: 'centered', key: 'cent', label: 'Centered spectrum', type: 'bool' },
  defineEnum('graphData', 'data', 'Graph', GRAPH_DATA_VALUES, GRAPH_DATA_LABELS),
  defineEnum('tokenData', 'tok', 'Tokens', TOKEN_DATA_VALUES, TOKEN_DATA_LABELS),
  // Any text but control characters (it is URI-encoded in the hash); checked against the page's loaded set.
  {
    name: 'loadedId',
    key: 'lid',
    label: 'Loaded data set',
    type: 'string',
    pattern: /^[^\u0000-\u001f]{0,300}$/,
  },
  defineNumber('n', 'n', 'Nodes / tokens n', [10, 20000, 10], { integer: true, log: true, continuous: true }),
  defineNumber('featureDim', 'fd', 'Input features', [2, 256, 1], { integer: true, continuous: true }),
  { name: 'classes', key: 'k', label: 'Classes', type: 'number', min: 2, max: 8, step: 1, integer: true },
  defineNumber('homophily', 'h', 'Homophily', [0, 1, 0.05], { continuous: true }),
  defineNumber('avgDegree', 'deg', 'Average degree', [1, 50, 0.5], { continuous: true }),
  defineNumber('separation', 'sep', 'Class separation', [0, 10, 0.1], { continuous: true }),
  defineNumber('clusters', 'cl', 'Token clusters', [1, 8, 1], { integer: true }),
  defineNumber('radius', 'r', 'Radius', [0.01, 0.5, 0.005], { continuous: true }),
  defineNumber('dataSeed', 'ds', 'Data seed', [0, 99999, 1], { integer: true }),
  { name: 'compare', key: 'cmp', label: 'Compare', type: 'bool' },
  defineNumber('depth', 'd', 'Depth', [0, MAX_LAYERS, 0.01], { continuous: true }),
  { name: 'playing', key: 'play', label: 'Playing', type: 'bool', continuous: true },
  defineNumber('speed', 'spd', 'Speed (layers/s)', [0.5, 32, 0.5], { log: true, continuous: true }),
  defineEnumOf('projection', 'proj', 'Projection', {
    'pca-aligned': 'PCA, aligned per layer',
    'fixed-basis': 'fixed basis (input PCA)',
  } satisfies Record<ProjectionMode, string>),
  defineEnumOf('engineChoice', 'eng', 'Engine', {
    auto: 'fastest (measured)',
    gpu: 'GPU (WebGPU)',
    cpu: 'CPU (WebAssembly)',
  } satisfies Record<DepthState['engineChoice'], string>),
  { name: 'edges', key: 'edges', label: 'Graph edges', type: 'bool' },
  { name: 'theory', key: 'thy', label: 'Theory beside measurement', type: 'bool' },
  { name: 'lesson', key: 'lesson', label: 'Preset', type: 'string', pattern: /^[a-z0-9-]{0,40}$/ },
];

/** Whether the data set in use is the loaded file (then `loadedId` names it). */
export function usesLoaded(state: DepthState): boolean {
  return (state.model === 'gnn' ? state.graphData : state.tokenData) === 'loaded';
}

/** The data set of the current model's choice, as the engine takes it (n capped at maxNodes). */
export function datasetSpec(state: DepthState, maxNodes = Infinity): DatasetSpec {
  const n = Math.min(state.n, maxNodes);
  const { featureDim, classes, dataSeed: seed } = state;
  if (usesLoaded(state)) return { kind: 'loaded', id: state.loadedId };
  if (state.model === 'transformer') {
    const tokens = { n, featureDim, clusters: state.clusters, separation: state.separation, seed };
    return state.tokenData === 'positional'
      ? { kind: 'positional-tokens', ...tokens }
      : { kind: 'tokens', ...tokens };
  }
  switch (state.graphData) {
    case 'sbm':
      return {
        kind: 'sbm',
        n,
        classes,
        avgDegree: state.avgDegree,
        homophily: state.homophily,
        featureDim,
        seed,
      };
    case 'ring':
      return { kind: 'ring', n, classes, avgDegree: state.avgDegree, featureDim, seed };
    case 'grid':
      return { kind: 'grid', n, classes, featureDim, seed };
    case 'geometric':
      return { kind: 'geometric', n, classes, radius: state.radius, featureDim, seed };
    case 'karate':
      return { kind: 'karate' };
    default:
      return {
        kind: 'csbm',
        n,
        classes,
        avgDegree: state.avgDegree,
        homophily: state.homophily,
        featureDim,
        separation: state.separation,
        seed,
      };
  }
}

/**
 * A state whose data choice names a loaded set this page does not hold (`has` says which it
 * holds) falls back to the model's default data set, with a note for the page.
 */
export function withoutMissingLoaded<S extends DepthState>(
  state: S,
  has: (id: string) => boolean,
): { state: S; notes: string[] } {
  const missing = (state.graphData === 'loaded' || state.tokenData === 'loaded') && !has(state.loadedId);
  if (!missing) return { state, notes: [] };
  const next = { ...state, loadedId: '' };
  if (next.graphData === 'loaded') next.graphData = DEPTH_DEFAULTS.graphData;
  if (next.tokenData === 'loaded') next.tokenData = DEPTH_DEFAULTS.tokenData;
  const what = state.loadedId ? `the loaded data set "${state.loadedId.split('|')[0]}"` : 'a loaded data set';
  return {
    state: next,
    notes: [
      `${what} is not loaded in this page (a loaded file is not part of the link): showing the built-in data set instead; load the file again to see it`,
    ],
  };
}

/**
 * The normalization parameters a kind does not read take their defaults: a panel's configuration
 * (and with it the run it asks for) changes only with what it computes, so moving s or τ reruns
 * the ContraNorm panel and leaves a "none" panel's picture as it is.
 */
function normConfig(state: DepthState, kind: NormKind): EngineConfig['norm'] {
  const contra = kind === 'contranorm';
  return {
    kind,
    s: contra ? state.s : DEPTH_DEFAULTS.s,
    tau: contra ? state.tau : DEPTH_DEFAULTS.tau,
    variant: contra ? state.variant : DEPTH_DEFAULTS.variant,
    pairnormScale: kind === 'pairnorm' ? state.pairnormScale : DEPTH_DEFAULTS.pairnormScale,
  };
}

/** The engine configuration of one panel. */
export function engineConfig(state: DepthState, panel: 'A' | 'B', maxNodes = Infinity): EngineConfig {
  return {
    dataset: datasetSpec(state, maxNodes),
    model: state.model,
    layers: state.layers,
    hidden: state.hidden,
    adjacency: state.adjacency,
    norm: normConfig(state, panel === 'A' ? state.normA : state.normB),
    activation: state.activation,
    residual: state.residual,
    alpha: state.alpha,
    normPlacement: state.normPlacement,
    weights: { init: state.init, gain: state.gain, tied: state.tied, seed: state.weightSeed },
    centeredSpectrum: state.centered,
  };
}
