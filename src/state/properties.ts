// The one declarative table of lecture state (like TensorFlow Playground's state.ts): every
// property's URL key, type, default and allowed values. The URL hash, its parsing, the
// controls' ranges and the store's defaults all come from this table, so sharing a link
// reproduces the exact picture.
import { defaultConfig } from '../engine/config';
import {
  NONCONTRASTIVE_DEFAULTS,
  NONCONTRASTIVE_PROPS,
  type NonContrastiveState,
} from '../noncontrastive/state';
import { TRAINING_DEFAULTS, TRAINING_PROPS, type TrainingState } from '../training/state';
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
/** The page's views: collapse through depth (the lecture), gradients and training, SimSiam / BYOL. */
export type ViewId = 'depth' | 'training' | 'noncontrastive';
export const VIEW_VALUES: readonly ViewId[] = ['depth', 'training', 'noncontrastive'];
export const VIEW_LABELS = ['Collapse through depth', 'Gradients & training', 'SimSiam / BYOL'] as const;

/**
 * Everything the page shows is a function of this plain object (plus engine results): the
 * lecture's own properties and those of the training and non-contrastive views.
 */
export type LectureState = CoreState & TrainingState & NonContrastiveState;

/** The properties of the collapse-through-depth lecture (and the view switch). */
export interface CoreState {
  view: ViewId;
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
  presentation: boolean;
  /** Id of the preset last loaded ('' for none). */
  lesson: string;
  /** Classroom link: only the picture, the explanation and the controls named in `show`. */
  classroom: boolean;
  /** The URL keys of the controls a classroom link shows, comma-separated (e.g. "d,s,tau"). */
  show: string;
}

interface Base<K extends keyof LectureState> {
  name: K;
  /** Short key in the URL hash. */
  key: string;
  label: string;
  /** Discrete properties push a history entry on change; continuous ones (sliders) replace it. */
  continuous?: boolean;
}
export interface NumberProp<K extends keyof LectureState> extends Base<K> {
  type: 'number';
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  /** Slider on a log axis. */
  log?: boolean;
}
export interface EnumProp<K extends keyof LectureState> extends Base<K> {
  type: 'enum';
  values: readonly string[];
  /** Display names, same order as `values`. */
  labels?: readonly string[];
}
export interface BoolProp<K extends keyof LectureState> extends Base<K> {
  type: 'bool';
}
export interface StringProp<K extends keyof LectureState> extends Base<K> {
  type: 'string';
  pattern: RegExp;
}
export type Prop = {
  [K in keyof LectureState]: NumberProp<K> | EnumProp<K> | BoolProp<K> | StringProp<K>;
}[keyof LectureState];

export const NORM_VALUES: readonly NormKind[] = ['none', 'layernorm', 'batchnorm', 'pairnorm', 'contranorm'];
export const NORM_LABELS = ['none', 'LayerNorm', 'BatchNorm', 'PairNorm', 'ContraNorm'] as const;
export const MAX_LAYERS = 256;

const cfg = defaultConfig();

/** Defaults of the lecture: a 64-layer GCN on a 3-class CSBM, no normalization vs ContraNorm. */
export const DEFAULTS: LectureState = {
  ...TRAINING_DEFAULTS,
  ...NONCONTRASTIVE_DEFAULTS,
  view: 'depth',
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
  presentation: false,
  lesson: '',
  classroom: false,
  show: 'd',
};

export const PROPS: readonly Prop[] = [
  {
    name: 'view',
    key: 'v',
    label: 'View',
    type: 'enum',
    values: VIEW_VALUES,
    labels: VIEW_LABELS,
  },
  {
    name: 'model',
    key: 'model',
    label: 'Model',
    type: 'enum',
    values: ['gnn', 'transformer'],
    labels: ['GNN (GCN)', 'Transformer'],
  },
  {
    name: 'layers',
    key: 'L',
    label: 'Layers L',
    type: 'number',
    min: 1,
    max: MAX_LAYERS,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'hidden',
    key: 'hid',
    label: 'Hidden width d',
    type: 'number',
    min: 2,
    max: 256,
    step: 1,
    integer: true,
    continuous: true,
  },
  {
    name: 'adjacency',
    key: 'adj',
    label: 'Propagation Â',
    type: 'enum',
    values: ['rw', 'sym'],
    labels: ['random walk D̃⁻¹Ã', 'symmetric D̃⁻½ÃD̃⁻½'],
  },
  {
    name: 'normA',
    key: 'nA',
    label: 'Normalization A',
    type: 'enum',
    values: NORM_VALUES,
    labels: NORM_LABELS,
  },
  {
    name: 'normB',
    key: 'nB',
    label: 'Normalization B',
    type: 'enum',
    values: NORM_VALUES,
    labels: NORM_LABELS,
  },
  {
    name: 's',
    key: 's',
    label: 'ContraNorm s',
    type: 'number',
    min: 0,
    max: 3,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'tau',
    key: 'tau',
    label: 'ContraNorm τ',
    type: 'number',
    min: 0.01,
    max: 10,
    step: 0.01,
    log: true,
    continuous: true,
  },
  {
    name: 'variant',
    key: 'var',
    label: 'ContraNorm form',
    type: 'enum',
    values: ['code', 'identity', 'mask', 'paper'],
    labels: [
      'code: Z − s·SZ',
      'identity: (1+s)Z − s·SZ',
      'mask: non-neighbours only',
      'paper: Z − (s/τ)·softmax(ZZᵀ)Z',
    ],
  },
  {
    name: 'pairnormScale',
    key: 'pn',
    label: 'PairNorm scale',
    type: 'number',
    min: 0.1,
    max: 10,
    step: 0.1,
    log: true,
    continuous: true,
  },
  {
    name: 'activation',
    key: 'act',
    label: 'Activation',
    type: 'enum',
    values: ['none', 'relu', 'tanh'],
    labels: ['none (linear)', 'ReLU', 'tanh'],
  },
  {
    name: 'residual',
    key: 'res',
    label: 'Residual',
    type: 'enum',
    values: ['none', 'residual', 'lipschitz'],
    labels: ['none', 'H + α·Z', 'Lipschitz-bounded residual'],
  },
  {
    name: 'alpha',
    key: 'a',
    label: 'Residual α',
    type: 'number',
    min: 0,
    max: 2,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'normPlacement',
    key: 'place',
    label: 'Norm placement',
    type: 'enum',
    values: ['pre', 'post'],
    labels: ['pre-LN', 'post-LN'],
  },
  {
    name: 'init',
    key: 'init',
    label: 'Weight init',
    type: 'enum',
    values: ['gaussian', 'orthogonal', 'identity'],
    labels: ['Gaussian N(0, g²/d)', 'orthogonal · g', 'identity (SGC)'],
  },
  {
    name: 'gain',
    key: 'g',
    label: 'Weight gain g',
    type: 'number',
    min: 0.1,
    max: 4,
    step: 0.05,
    continuous: true,
  },
  { name: 'tied', key: 'tied', label: 'Tied weights', type: 'bool' },
  {
    name: 'weightSeed',
    key: 'ws',
    label: 'Weight seed',
    type: 'number',
    min: 0,
    max: 99999,
    step: 1,
    integer: true,
  },
  { name: 'centered', key: 'cent', label: 'Centered spectrum', type: 'bool' },
  {
    name: 'graphData',
    key: 'data',
    label: 'Graph',
    type: 'enum',
    values: GRAPH_DATA_VALUES,
    labels: GRAPH_DATA_LABELS,
  },
  {
    name: 'tokenData',
    key: 'tok',
    label: 'Tokens',
    type: 'enum',
    values: TOKEN_DATA_VALUES,
    labels: TOKEN_DATA_LABELS,
  },
  // Any text but control characters (it is URI-encoded in the hash); checked against the page's loaded set.
  {
    name: 'loadedId',
    key: 'lid',
    label: 'Loaded data set',
    type: 'string',
    pattern: /^[^\u0000-\u001f]{0,300}$/,
  },
  {
    name: 'n',
    key: 'n',
    label: 'Nodes / tokens n',
    type: 'number',
    min: 10,
    max: 20000,
    step: 10,
    integer: true,
    log: true,
    continuous: true,
  },
  {
    name: 'featureDim',
    key: 'fd',
    label: 'Input features',
    type: 'number',
    min: 2,
    max: 256,
    step: 1,
    integer: true,
    continuous: true,
  },
  { name: 'classes', key: 'k', label: 'Classes', type: 'number', min: 2, max: 8, step: 1, integer: true },
  {
    name: 'homophily',
    key: 'h',
    label: 'Homophily',
    type: 'number',
    min: 0,
    max: 1,
    step: 0.05,
    continuous: true,
  },
  {
    name: 'avgDegree',
    key: 'deg',
    label: 'Average degree',
    type: 'number',
    min: 1,
    max: 50,
    step: 0.5,
    continuous: true,
  },
  {
    name: 'separation',
    key: 'sep',
    label: 'Class separation',
    type: 'number',
    min: 0,
    max: 10,
    step: 0.1,
    continuous: true,
  },
  {
    name: 'clusters',
    key: 'cl',
    label: 'Token clusters',
    type: 'number',
    min: 1,
    max: 8,
    step: 1,
    integer: true,
  },
  {
    name: 'radius',
    key: 'r',
    label: 'Radius',
    type: 'number',
    min: 0.01,
    max: 0.5,
    step: 0.005,
    continuous: true,
  },
  {
    name: 'dataSeed',
    key: 'ds',
    label: 'Data seed',
    type: 'number',
    min: 0,
    max: 99999,
    step: 1,
    integer: true,
  },
  { name: 'compare', key: 'cmp', label: 'Compare', type: 'bool' },
  {
    name: 'depth',
    key: 'd',
    label: 'Depth',
    type: 'number',
    min: 0,
    max: MAX_LAYERS,
    step: 0.01,
    continuous: true,
  },
  { name: 'playing', key: 'play', label: 'Playing', type: 'bool', continuous: true },
  {
    name: 'speed',
    key: 'spd',
    label: 'Speed (layers/s)',
    type: 'number',
    min: 0.5,
    max: 32,
    step: 0.5,
    log: true,
    continuous: true,
  },
  {
    name: 'projection',
    key: 'proj',
    label: 'Projection',
    type: 'enum',
    values: ['pca-aligned', 'fixed-basis'],
    labels: ['PCA, aligned per layer', 'fixed basis (input PCA)'],
  },
  {
    name: 'engineChoice',
    key: 'eng',
    label: 'Engine',
    type: 'enum',
    values: ['auto', 'gpu', 'cpu'],
    labels: ['fastest (measured)', 'GPU (WebGPU)', 'CPU (WebAssembly)'],
  },
  { name: 'edges', key: 'edges', label: 'Graph edges', type: 'bool' },
  { name: 'theory', key: 'thy', label: 'Theory beside measurement', type: 'bool' },
  { name: 'presentation', key: 'pres', label: 'Presentation mode', type: 'bool' },
  { name: 'lesson', key: 'lesson', label: 'Preset', type: 'string', pattern: /^[a-z0-9-]{0,40}$/ },
  { name: 'classroom', key: 'class', label: 'Classroom link', type: 'bool' },
  { name: 'show', key: 'show', label: 'Controls shown', type: 'string', pattern: /^[A-Za-z0-9,]{0,200}$/ },
  ...TRAINING_PROPS,
  ...NONCONTRASTIVE_PROPS,
] as Prop[];

export const PROP_BY_NAME = new Map(PROPS.map((p) => [p.name, p])) as ReadonlyMap<keyof LectureState, Prop>;

export function numberProp(name: keyof LectureState): NumberProp<keyof LectureState> {
  const p = PROP_BY_NAME.get(name);
  if (!p || p.type !== 'number') throw new Error(`${name} is not a number property`);
  return p as NumberProp<keyof LectureState>;
}

export function enumProp(name: keyof LectureState): EnumProp<keyof LectureState> {
  const p = PROP_BY_NAME.get(name);
  if (!p || p.type !== 'enum') throw new Error(`${name} is not an enum property`);
  return p as EnumProp<keyof LectureState>;
}

function formatNumber(v: number): string {
  // Short but exact enough to round-trip the slider values (6 significant digits).
  return String(Number(v.toPrecision(6)));
}

/** Properties of the page itself, kept whichever view is shown; every other one shapes one view. */
const PAGE_PROPS = new Set<keyof LectureState>(['view', 'presentation', 'classroom', 'show']);
const VIEW_OF_PROP = new Map<keyof LectureState, ViewId | null>([
  ...TRAINING_PROPS.map((p) => [p.name, 'training'] as const),
  ...NONCONTRASTIVE_PROPS.map((p) => [p.name, 'noncontrastive'] as const),
]);

/** The view whose picture a property shapes, or null for the page's own properties. */
export function viewOfProp(name: keyof LectureState): ViewId | null {
  return PAGE_PROPS.has(name) ? null : (VIEW_OF_PROP.get(name) ?? 'depth');
}

function propText(p: Prop, v: unknown): string {
  if (p.type === 'number') return formatNumber(v as number);
  if (p.type === 'bool') return v ? '1' : '0';
  return String(v);
}

/**
 * The state as a URL hash (without '#'). A link is short: it carries only the settings that
 * differ from the defaults, and only those of the view shown (parseState fills in the rest).
 * `all` writes every property, for a configuration file that restores all views.
 */
export function serializeState(state: LectureState, { all = false }: { all?: boolean } = {}): string {
  const parts: string[] = [];
  for (const p of PROPS) {
    const text = propText(p, state[p.name]);
    if (!all) {
      const view = viewOfProp(p.name);
      if (view !== null && view !== state.view) continue;
      if (text === propText(p, DEFAULTS[p.name])) continue;
    }
    parts.push(`${p.key}=${encodeURIComponent(text)}`);
  }
  return parts.join('&');
}

/**
 * A link read while the page is open: the other views' settings, which a short link does not
 * carry, stay as they are (back and forward must not reset a view that is not shown).
 */
export function parseLink(hash: string, current: LectureState): ParseResult {
  const view = parseState(hash).state.view;
  const base = { ...DEFAULTS };
  const writable = base as unknown as Record<string, unknown>;
  for (const p of PROPS) {
    const v = viewOfProp(p.name);
    if (v !== null && v !== view) writable[p.name] = current[p.name];
  }
  return parseState(hash, base);
}

export interface ParseResult {
  state: LectureState;
  /** One readable note per value that could not be used (it fell back to its default). */
  notes: string[];
}

/** Characters of a link's hash that are read; the serialized state is well under 2,000. */
export const MAX_HASH_CHARS = 8192;
/** Notes a link gives at most (the rest are counted in one "and N more"). */
export const MAX_LINK_NOTES = 8;
/** Characters of a value or key a note quotes. */
const NOTE_EXCERPT = 24;

/** A value from a link as a note quotes it: one line, cut short, in quotes. */
function excerpt(s: string): string {
  const head = s.length > NOTE_EXCERPT + 1 ? s.slice(0, NOTE_EXCERPT + 1) : s;
  const clean = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return JSON.stringify(clean.length > NOTE_EXCERPT ? `${clean.slice(0, NOTE_EXCERPT - 1)}…` : clean);
}

/** A number as a link may write it: plain decimal, no blanks, no hex, no "Infinity". */
const LINK_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Keep at most MAX_LINK_NOTES notes; the rest become one "and N more" (a link with 1,250
 * unknown keys once gave a banner 9,500 px tall).
 */
export function capNotes(notes: string[]): string[] {
  if (notes.length <= MAX_LINK_NOTES) return notes;
  const rest = notes.length - (MAX_LINK_NOTES - 1);
  return [...notes.slice(0, MAX_LINK_NOTES - 1), `and ${rest.toLocaleString('en-US')} more`];
}

/**
 * Parse a URL hash (with or without '#'). Missing keys take defaults; invalid ones too, with a
 * note. Only the first MAX_HASH_CHARS characters are read, and notes are capped (capNotes), so
 * that any link costs a few milliseconds and a short banner.
 */
export function parseState(hash: string, base: LectureState = DEFAULTS): ParseResult {
  const state: LectureState = { ...base };
  const notes: string[] = [];
  const full = hash.startsWith('#') ? hash.slice(1) : hash;
  const text = full.length > MAX_HASH_CHARS ? full.slice(0, MAX_HASH_CHARS) : full;
  const byKey = new Map(PROPS.map((p) => [p.key, p]));
  const writable = state as unknown as Record<string, unknown>;
  let unknown = 0;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let raw: string;
    try {
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      raw = part.slice(eq + 1);
    }
    const p = byKey.get(key);
    if (!p) {
      unknown++;
      continue;
    }
    const fallback = `${p.label}: ${excerpt(raw)} is not valid, using ${String(DEFAULTS[p.name])}`;
    if (p.type === 'number') {
      const v = LINK_NUMBER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
        notes.push(`${fallback} (allowed: ${p.integer ? 'integers ' : ''}${p.min}..${p.max})`);
        writable[p.name] = DEFAULTS[p.name];
      } else writable[p.name] = v;
    } else if (p.type === 'bool') {
      if (raw === '1' || raw === 'true') writable[p.name] = true;
      else if (raw === '0' || raw === 'false') writable[p.name] = false;
      else {
        notes.push(`${fallback} (allowed: 0 or 1)`);
        writable[p.name] = DEFAULTS[p.name];
      }
    } else if (p.type === 'enum') {
      if (p.values.includes(raw)) writable[p.name] = raw;
      else {
        notes.push(`${fallback} (allowed: ${p.values.join(', ')})`);
        writable[p.name] = DEFAULTS[p.name];
      }
    } else {
      if (p.pattern.test(raw)) writable[p.name] = raw;
      else {
        notes.push(fallback);
        writable[p.name] = DEFAULTS[p.name];
      }
    }
  }
  if (unknown > 0) {
    // One note for all unknown keys, naming the first: never one line per key.
    const first = text.split('&').find((part) => part && !byKey.has(part.split('=')[0]))!;
    notes.push(
      unknown === 1
        ? `unknown setting ${excerpt(first.split('=')[0])} in the link was ignored`
        : `${unknown.toLocaleString('en-US')} unknown settings in the link were ignored (the first: ${excerpt(first.split('=')[0])})`,
    );
  }
  if (full.length > MAX_HASH_CHARS)
    notes.push(
      `the link's settings are ${full.length.toLocaleString('en-US')} characters long; only the first ${MAX_HASH_CHARS.toLocaleString('en-US')} were read`,
    );
  if (state.depth > state.layers) state.depth = state.layers;
  return { state, notes: capNotes(notes) };
}

/** True when changing from `a` to `b` touched only continuous properties (history: replace, not push). */
export function onlyContinuousChanges(a: LectureState, b: LectureState): boolean {
  return PROPS.every((p) => p.continuous || a[p.name] === b[p.name]);
}

/** Whether the data set in use is the loaded file (then `loadedId` names it). */
export function usesLoaded(state: LectureState): boolean {
  return (state.model === 'gnn' ? state.graphData : state.tokenData) === 'loaded';
}

/** The data set of the current model's choice, as the engine takes it (n capped at maxNodes). */
export function datasetSpec(state: LectureState, maxNodes = Infinity): DatasetSpec {
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
export function withoutMissingLoaded(
  state: LectureState,
  has: (id: string) => boolean,
): { state: LectureState; notes: string[] } {
  const missing = (state.graphData === 'loaded' || state.tokenData === 'loaded') && !has(state.loadedId);
  if (!missing) return { state, notes: [] };
  const next = { ...state, loadedId: '' };
  if (next.graphData === 'loaded') next.graphData = DEFAULTS.graphData;
  if (next.tokenData === 'loaded') next.tokenData = DEFAULTS.tokenData;
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
function normConfig(state: LectureState, kind: NormKind): EngineConfig['norm'] {
  const contra = kind === 'contranorm';
  return {
    kind,
    s: contra ? state.s : DEFAULTS.s,
    tau: contra ? state.tau : DEFAULTS.tau,
    variant: contra ? state.variant : DEFAULTS.variant,
    pairnormScale: kind === 'pairnorm' ? state.pairnormScale : DEFAULTS.pairnormScale,
  };
}

/** The engine configuration of one panel. */
export function engineConfig(state: LectureState, panel: 'A' | 'B', maxNodes = Infinity): EngineConfig {
  return {
    dataset: datasetSpec(state, maxNodes),
    model: state.model,
    depth: state.layers,
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
