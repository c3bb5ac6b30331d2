// Definitions of the theory drawn beside the measured curves (src/engine/theory/), in the form of
// definitions.ts: the distance a GCN's oversmoothing bound is about, the rank-collapse bound of
// pure self-attention, and ContraNorm's uniformity loss. Each says which form is plotted and
// under which assumptions it is a theorem.

export type TheoryDefinitionId = 'limitDistance' | 'rankCollapse' | 'uniformity';

/** The fields of a definition card (definitions.ts's Definition, which lists these ids; no import back). */
interface TheoryDefinition {
  id: TheoryDefinitionId;
  name: string;
  tex: string;
  what: string;
  collapse: string;
  source: string;
}

export const THEORY_DEFINITIONS: readonly TheoryDefinition[] = [
  {
    id: 'limitDistance',
    name: 'Distance to the limit subspace, and its bound',
    tex: String.raw`\frac{d(H_\ell)}{d(H_0)} \le \prod_{k=1}^{\ell} s_{W_k}\,\lambda^{\ell}, \quad d(H) = \big\lVert G - \Pi_U G \big\rVert_F, \quad G = \begin{cases} \tilde D^{1/2} H & \texttt{rw} \\ H & \texttt{sym} \end{cases}`,
    what: 'Repeated propagation by Â drives H towards a subspace U: rows constant on each connected component for rw, rows proportional to √d̃ᵢ for sym. d(H) is the distance of H to it, measured in the norm in which Â is symmetric, relative to the input’s. λ is the largest |eigenvalue| of Â off U (computed from the graph in float64 by Lanczos), s_W the largest singular value of a layer’s weights. The dotted line is the bound, drawn only for a GCN with no normalization, no residual and a linear or ReLU activation, where it is a theorem.',
    collapse:
      'Where s_W·λ < 1 the bound forces d to 0 exponentially: every node ends up with the same features up to its degree, whatever the weights. Where s_W·λ ≥ 1 (Gaussian weights usually have s_W ≈ 1.5–2) the bound grows, and any smoothing seen comes from more than the theorem says.',
    source:
      'Oono & Suzuki, “Graph neural networks exponentially lose expressive power for node classification”, ICLR 2020 (Thm. 1, Cor. 2); Cai & Wang, “A note on over-smoothing for graph neural networks”, 2020.',
  },
  {
    id: 'rankCollapse',
    name: 'Rank collapse of pure self-attention, and its bound',
    tex: String.raw`\lVert \operatorname{res}(H_\ell) \rVert_{1,\infty} \le \frac{4\gamma\beta_\ell}{\sqrt{d}}\, \lVert \operatorname{res}(H_{\ell-1}) \rVert_{1,\infty}^{3}, \quad \beta_\ell = \lVert W_Q W_K^\top \rVert_1 \lVert W_V W_O \rVert_{1,\infty}`,
    what: 'res(H) = H − 1xᵀ is what is left of H after removing one common row x (here the column-wise median; the paper takes the x that minimizes the norm, so ours is at least as large); ‖M‖₁,∞ = √(‖M‖₁‖M‖∞), the largest column and row sums of |M|. The dotted line chains the inequality from the input, with γ = 1: the paper leaves γ as a term that depends on the attention entries. It is drawn only for attention without skip connection, normalization or activation.',
    collapse:
      'The residual measures the distance to rank one. The bound falls doubly exponentially once √c₁·‖res(X)‖ < 1, i.e. for inputs already close to rank one; for unit-scale tokens it grows and says nothing, while the measured residual still collapses.',
    source:
      'Dong, Cordonnier & Loukas, “Attention is not all you need: pure attention loses rank doubly exponentially with depth”, ICML 2021 (Thm. 2.2, main-text form).',
  },
  {
    id: 'uniformity',
    name: 'Uniformity loss',
    tex: String.raw`\mathcal{L}_{\mathrm{unif}}(H) = \frac{1}{N}\sum_i \log \frac{1}{N}\sum_j \exp\!\Big(\frac{\hat h_i^\top \hat h_j}{\tau}\Big), \quad \hat h_i = \operatorname{rn}(H)_i`,
    what: 'The log of the average exponentiated cosine of each row with all rows, at ContraNorm’s temperature τ. Its gradient in ĥᵢ is ((S + Sᵀ)Ĥ)ᵢ/(Nτ) with ContraNorm’s softmax S, so ContraNorm’s Z − s·SZ is one gradient step down it. Above 512 rows it is computed over 512 rows taken at an even stride.',
    collapse:
      '1/τ (its largest value) when every row points the same way; lower the more evenly the rows spread over the sphere. Rising with depth: the directions collapse.',
    source:
      'Guo, Wang, Du & Wang, ContraNorm, ICLR 2023 (§4); after Wang & Isola, “Understanding contrastive representation learning through alignment and uniformity”, ICML 2020.',
  },
];
