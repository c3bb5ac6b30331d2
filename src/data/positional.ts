// Token sequences with positional structure, for the Transformer mode: token i of a sequence
// of N is its sinusoidal positional encoding (Vaswani et al. 2017) plus the mean of a content
// cluster plus a little noise. Two structures the attention layers can destroy: the smooth
// curve the positions trace (neighbouring positions have similar encodings) and the clusters
// (the colours). Clusters are drawn per token, independently of the position, so neither
// structure explains the other.

import type { Dataset, DatasetSpec } from './types';
import { Rng } from '../math/random';
import { canonicalSpecId, classMeans, DATA_DOMAIN } from './generatorParts';

const KIND_ID = 8;
const PART = { clusters: 2, means: 3, noise: 4 } as const;
/** Std of the per-entry noise; cluster means lie `separation` such stds apart. */
export const POSITIONAL_TOKEN_NOISE = 0.3;

/** PE(i, 2k) = sin(i / 10000^(2k/d)), PE(i, 2k+1) = cos(i / 10000^(2k/d)). */
export function positionalEncoding(i: number, j: number, d: number): number {
  const k = Math.floor(j / 2);
  const angle = i / 10000 ** ((2 * k) / d);
  return j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
}

export function positionalTokens(spec: Extract<DatasetSpec, { kind: 'positional-tokens' }>): Dataset {
  const { n, featureDim: d, clusters: k } = spec;
  const pick = new Rng(spec.seed, DATA_DOMAIN, KIND_ID, PART.clusters);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = pick.int(k);
  const means = classMeans(
    k,
    d,
    spec.separation * POSITIONAL_TOKEN_NOISE,
    new Rng(spec.seed, DATA_DOMAIN, KIND_ID, PART.means),
  );
  const noise = new Rng(spec.seed, DATA_DOMAIN, KIND_ID, PART.noise);
  const features = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++)
      features[i * d + j] =
        positionalEncoding(i, j, d) + means[labels[i] * d + j] + POSITIONAL_TOKEN_NOISE * noise.normal();
  return {
    id: canonicalSpecId(spec),
    name: `positional token sequence (n=${n}, ${k} content clusters)`,
    n,
    featureDim: d,
    features,
    labels,
    numClasses: k,
  };
}
