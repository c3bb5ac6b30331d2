// Published numbers, drawn beside ours as a reference and never mixed with them. Each series
// names its source; the page labels these "published" wherever they appear.

import type { NormKind } from '../engine/types';

export interface PublishedSeries {
  norm: NormKind;
  /** Layers (x) and test accuracy in percent (y), as published. */
  points: { depth: number; accuracy: number }[];
}

export interface PublishedFigure {
  id: string;
  /** Where the numbers come from, shown on the page and in exports. */
  source: string;
  dataset: string;
  metric: string;
  series: PublishedSeries[];
}

const DEPTHS = [2, 4, 8, 16, 32];
const series = (norm: NormKind, acc: number[]): PublishedSeries => ({
  norm,
  points: acc.map((accuracy, i) => ({ depth: DEPTHS[i], accuracy })),
});

/** ContraNorm (Guo, Wang, Du, Wang, ICLR 2023): GCN on Cora, test accuracy against depth. */
export const CONTRANORM_CORA: PublishedFigure = {
  id: 'contranorm-cora',
  source: "ContraNorm authors' plotting script, Cora, test accuracy %",
  dataset: 'Cora',
  metric: 'test accuracy (%)',
  series: [
    series('none', [81.75, 72.61, 17.71, 20.71, 19.69]),
    series('pairnorm', [75.32, 72.64, 71.86, 54.11, 36.62]),
    series('layernorm', [79.96, 77.45, 39.09, 7.79, 7.79]),
    series('contranorm', [79.75, 77.02, 74.01, 68.75, 46.39]),
  ],
};
