// Lecture scenarios as data: a title, the two sentences a lecturer would say, and the
// settings that differ from the defaults (src/state/page.ts). Loading a preset resets
// every other setting to its default, so a preset always shows the same picture.
import type { LectureState } from '../state/page';

export interface Preset {
  id: string;
  title: string;
  /** Two sentences: what to look at, and why it happens. */
  explanation: string;
  settings: Partial<LectureState>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'gcn-oversmoothing',
    title: 'Oversmoothing in a deep GCN',
    explanation:
      'Without normalization (left), every graph convolution averages each node with its neighbours, so after a few dozen layers all nodes point the same way and the three classes merge into one dot. ContraNorm (right) pushes the representations apart after every layer and keeps the classes visible at depth 64.',
    settings: { model: 'gnn', layers: 64, normA: 'none', normB: 'contranorm', s: 1, tau: 1, depth: 64 },
  },
  {
    id: 'attention-rank-collapse',
    title: 'Rank collapse in pure self-attention',
    explanation:
      'A stack of self-attention layers without residual connections or MLPs mixes the tokens with a row-stochastic matrix at every layer, and its output converges doubly exponentially to a rank-one matrix. Watch the spectrum and the effective rank: with depth, everything but σ₁ sinks towards the float32 floor.',
    settings: {
      model: 'transformer',
      layers: 32,
      normA: 'none',
      normB: 'layernorm',
      residual: 'none',
      n: 200,
      clusters: 4,
      depth: 2,
      speed: 1,
    },
  },
  {
    id: 'contranorm-restores-rank',
    title: 'ContraNorm restores rank',
    explanation:
      'ContraNorm subtracts s·SZ, a softmax-weighted average of similar rows, which is one gradient step on a uniformity loss that spreads the representations over the sphere. Compare the effective rank curves: with ContraNorm (right) it stays high while LayerNorm alone (left) cannot stop the collapse.',
    settings: { model: 'gnn', layers: 64, normA: 'layernorm', normB: 'contranorm', s: 1, tau: 1, depth: 48 },
  },
  {
    id: 'too-large-s',
    title: 'Too large an s',
    explanation:
      'With s far above 1, ContraNorm over-corrects: once the rows are alike, subtracting s times their average multiplies the direction they share by 1 − s, which for s > 2 grows instead of shrinking, so the points collapse to one dot within a few layers, faster than with LayerNorm alone (left, which is ContraNorm with s = 0). A moderate s is a regularizer, not a cure-all: at s = 1 the same stack keeps its rank.',
    settings: {
      model: 'gnn',
      layers: 32,
      normA: 'layernorm',
      normB: 'contranorm',
      s: 3,
      tau: 0.1,
      depth: 32,
    },
  },
  {
    id: 'residual-connections',
    title: 'Residual connections',
    explanation:
      'A residual connection H + α·Z keeps a copy of the input at every layer, so the representation cannot forget the starting point as fast. Collapse slows down but does not vanish: the mean cosine still creeps towards 1 with depth.',
    settings: {
      model: 'gnn',
      layers: 64,
      residual: 'residual',
      alpha: 0.5,
      normA: 'none',
      normB: 'contranorm',
      depth: 64,
    },
  },
  {
    id: 'pairnorm-vs-contranorm',
    title: 'PairNorm versus ContraNorm',
    explanation:
      'PairNorm re-centres the representations and fixes their total scale, which stops them from shrinking to one point (μ stays high) but does not stop them from lining up in a few directions. ContraNorm acts on the directions themselves, so the effective rank and the spectrum tell the two apart.',
    settings: { model: 'gnn', layers: 64, normA: 'pairnorm', normB: 'contranorm', depth: 64 },
  },
  {
    id: 'heterophily',
    title: 'Heterophilous graph',
    explanation:
      'When most edges connect nodes of different classes (homophily 0.2), averaging over neighbours destroys the class signal at once instead of sharpening it. Depth makes it worse with either normalization: the classes are mixed from the first layers on.',
    settings: { model: 'gnn', layers: 32, homophily: 0.2, normA: 'none', normB: 'contranorm', depth: 8 },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
