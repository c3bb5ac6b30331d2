// What every plotted quantity and every normalization is, as data: a name, a formula in TeX
// (typeset by KaTeX on the page), one or two sentences of definition, what the value means for
// collapse, and where it comes from. The help dialog lists them all and each plot title links to
// its own; anything else that explains a metric (tooltips, exports) should read them from here.
// The formulas follow ../shared/SPEC.md (§1.3 for the normalizations, §2 for the metrics).
import { GRAM_FLOOR } from '../engine/metrics';
import type { NormKind } from '../engine/types';
import { THEORY_DEFINITIONS, type TheoryDefinitionId } from './theoryDefinitions';

export interface Definition {
  id: DefinitionId;
  name: string;
  /** TeX for KaTeX, display style. */
  tex: string;
  /** What it is, in words; symbols as in `tex`. */
  what: string;
  /** How to read it for oversmoothing or dimensional collapse. */
  collapse: string;
  source: string;
}

export type MetricDefinitionId =
  | 'effectiveRank'
  | 'meanCosine'
  | 'mu'
  | 'dirichlet'
  | 'attentionSimilarity'
  | 'spectrum'
  | TheoryDefinitionId;
export type DefinitionId = MetricDefinitionId | 'rn' | 'floor' | `norm-${NormKind}`;

const floorExponent = Math.round(Math.log10(GRAM_FLOOR));

export const DEFINITIONS: readonly Definition[] = [
  {
    id: 'rn',
    name: 'Row normalization rn(·)',
    tex: String.raw`\operatorname{rn}(H)_i = \frac{H_i}{\max(\lVert H_i \rVert_2,\ 10^{-12})}`,
    what: 'Each row (node or token) divided by its Euclidean length, so only its direction is left; a zero row stays zero.',
    collapse:
      'The embedding view draws rn of each row, on the unit circle of its top two principal axes: rows that point the same way land on the same dot.',
    source: 'As in the ContraNorm authors’ code (Guo, Wang, Du & Wang, ICLR 2023).',
  },
  {
    id: 'spectrum',
    name: 'Singular value spectrum',
    tex: String.raw`\sigma_1 \ge \sigma_2 \ge \dots \ge \sigma_{\min(N,d)} \text{ of } H, \quad \text{plotted as } \sigma_i/\sigma_1`,
    what: 'The singular values of the layer’s N×d features H (optionally of the column-centred H), from the eigenvalues of the Gram matrix HᵀH, each divided by the largest.',
    collapse:
      'Dimensional collapse: all but a few σᵢ/σ₁ fall towards 0, so the rows span only a few directions. Oversmoothing ends with one σ left.',
    source:
      'Cf. Jing, Vincent, LeCun & Tian, “Understanding dimensional collapse in contrastive self-supervised learning”, ICLR 2022.',
  },
  {
    id: 'floor',
    name: 'The float32 floor',
    tex: String.raw`\sigma_i < 10^{${floorExponent}}\,\sigma_1 \ \Rightarrow\ \text{noise, not data}`,
    what: `Singular values below ${GRAM_FLOOR.toExponential(0)}·σ₁ are not resolved by the GPU’s float32 arithmetic: the largest error measured on matrices of exact rank (where the true values are 0) was 2.6·10⁻⁶·σ₁, and the floor keeps a margin over it.`,
    collapse:
      'The spectrum shades the band under the floor and draws nothing there: a value sinking into it has collapsed as far as float32 can tell.',
    source: 'Measured by this app’s tests (README, “Numerical notes”).',
  },
  {
    id: 'effectiveRank',
    name: 'Effective rank',
    tex: String.raw`\operatorname{erank}(H) = \exp\Big(-\sum_i p_i \log p_i\Big), \quad p_i = \frac{\sigma_i}{\sum_j \sigma_j}`,
    what: 'The exponential of the entropy of the normalized singular values: a real number between 1 and min(N, d) that counts how many directions carry the representation.',
    collapse:
      '1 means every row lies on one line (complete dimensional collapse); min(N, d) means all directions are used equally.',
    source:
      'Roy & Vetterli, “The effective rank: a measure of effective dimensionality”, EUSIPCO 2007 (as in the ContraNorm code).',
  },
  {
    id: 'meanCosine',
    name: 'Mean cosine similarity',
    tex: String.raw`\frac{1}{N(N-1)} \sum_{i \ne j} \big\langle \operatorname{rn}(H)_i,\ \operatorname{rn}(H)_j \big\rangle`,
    what: 'The cosine of the angle between two rows, averaged over all pairs of distinct rows.',
    collapse:
      '1 means every row points the same way (oversmoothing of directions); about 0 means the directions are spread out. Rows along one line with both signs give 0 too: read it beside the effective rank.',
    source: 'Used by Guo, Wang, Du & Wang (ContraNorm), ICLR 2023.',
  },
  {
    id: 'mu',
    name: 'Consensus distance μ',
    tex: String.raw`\mu(H) = \frac{\lVert H - \mathbf{1}\gamma^\top \rVert_F}{\lVert H \rVert_F}, \quad \gamma = \frac{H^\top \mathbf{1}}{N}`,
    what: 'How far the rows are from their mean row γ, relative to the size of H: a distance, not a similarity.',
    collapse:
      '0 means all rows are equal (consensus: complete oversmoothing); 1 means the rows average to zero. It falls as rows merge.',
    source:
      'Wu, Ajorlou, Wu & Jadbabaie, “Demystifying oversmoothing in attention-based graph neural networks”, NeurIPS 2023 (here relative to ‖H‖_F).',
  },
  {
    id: 'dirichlet',
    name: 'Dirichlet energy',
    tex: String.raw`E(H) = \frac{1}{N} \sum_{i} \sum_{j \in \mathcal{N}(i)} \lVert H_i - H_j \rVert^2`,
    what: 'The squared differences between neighbouring nodes, summed over the graph’s edges (self loops excluded) and divided by N.',
    collapse:
      'It falls towards 0 (exponentially, on the log axis: a straight line) as neighbours become equal: oversmoothing.',
    source: 'Rusch, Bronstein & Mishra, “A survey on oversmoothing in graph neural networks”, 2023.',
  },
  {
    id: 'attentionSimilarity',
    name: 'Attention similarity',
    tex: String.raw`\frac{1}{N(N-1)} \sum_{i \ne j} \frac{\langle P_i, P_j \rangle}{\lVert P_i \rVert\,\lVert P_j \rVert}, \quad P = \operatorname{softmax}\!\Big(\frac{QK^\top}{\sqrt{d}}\Big)`,
    what: 'The mean cosine between distinct rows of the layer’s attention map P (Transformer only).',
    collapse:
      '1 means every token attends in the same way: the attention map has rank one and mixes all tokens into the same average.',
    source:
      'Cf. Dong, Cordonnier & Loukas, “Attention is not all you need: pure attention loses rank doubly exponentially with depth”, ICML 2021.',
  },
  {
    id: 'norm-none',
    name: 'No normalization',
    tex: String.raw`Z \mapsto Z`,
    what: 'The layer output is passed on unchanged.',
    collapse:
      'Nothing counters the averaging of message passing or attention, so repeated layers smooth the rows together.',
    source: 'The baseline every normalization is compared with.',
  },
  {
    id: 'norm-layernorm',
    name: 'LayerNorm',
    tex: String.raw`\operatorname{LN}(z) = \frac{z - \operatorname{mean}(z)}{\sqrt{\operatorname{var}(z) + 10^{-5}}} \quad \text{per row}`,
    what: 'Each row is centred and scaled over its own d features (biased variance, no affine parameters).',
    collapse: 'It fixes each row’s scale but not its direction, so it cannot stop rows from lining up.',
    source: 'Ba, Kiros & Hinton, “Layer normalization”, 2016.',
  },
  {
    id: 'norm-batchnorm',
    name: 'BatchNorm',
    tex: String.raw`\operatorname{BN}(Z)_{ic} = \frac{Z_{ic} - \operatorname{mean}_i(Z_{\cdot c})}{\sqrt{\operatorname{var}_i(Z_{\cdot c}) + 10^{-5}}}`,
    what: 'Each column is centred and scaled over the N rows (statistics of the current batch).',
    collapse:
      'Centring the columns removes the shared mean row, which slows oversmoothing; it does not stop the columns from becoming dependent.',
    source: 'Ioffe & Szegedy, “Batch normalization”, ICML 2015.',
  },
  {
    id: 'norm-pairnorm',
    name: 'PairNorm',
    tex: String.raw`Z^c = Z - \mathbf{1}\bar z^\top, \quad Z' = s_{pn} \frac{Z^c}{\sqrt{10^{-6} + \frac{1}{N}\sum_i \lVert Z^c_i \rVert^2}}`,
    what: 'The rows are centred on their mean row and rescaled to a fixed total size s_pn.',
    collapse:
      'It keeps the rows from shrinking to one point (μ stays high) but not from lining up along a few directions.',
    source: 'Zhao & Akoglu, “PairNorm: tackling oversmoothing in GNNs”, ICLR 2020.',
  },
  {
    id: 'norm-contranorm',
    name: 'ContraNorm',
    tex: String.raw`S = \operatorname{softmax}\!\Big(\frac{\operatorname{rn}(Z)\operatorname{rn}(Z)^\top}{\tau}\Big), \quad Z' = \operatorname{LN}(Z - s\,SZ)`,
    what: 'Each row subtracts s times a softmax-weighted average of the rows most similar to it, then LayerNorm; s sets the strength, τ the temperature.',
    collapse:
      'The subtraction is one gradient step on a uniformity loss that spreads the rows over the sphere, so it keeps rank and directions at depth. Too large an s over-corrects and collapses.',
    source:
      'Guo, Wang, Du & Wang, “ContraNorm: a contrastive learning perspective on oversmoothing and beyond”, ICLR 2023 (the form of the authors’ code).',
  },
  ...THEORY_DEFINITIONS,
];

export function definitionById(id: DefinitionId): Definition {
  const d = DEFINITIONS.find((x) => x.id === id);
  if (!d) throw new Error(`no definition ${id}`);
  return d;
}
