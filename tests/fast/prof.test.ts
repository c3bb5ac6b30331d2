import { it } from 'vitest';
import { buildDataset } from '../../src/data/datasets';
import { computeLayerSums } from '../../src/engine/reference/layerSums';
import { finishMetrics } from '../../src/engine/metrics';

it('prof', async () => {
  const ds = buildDataset({ kind: 'tokens', n: 512, featureDim: 64, clusters: 4, separation: 2, seed: 3 });
  for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  const sums = [];
  for (let l = 1; l <= 8; l++) sums.push(computeLayerSums(ds.features, 512, 64, { centered: false, attention: null }));
  console.log('sums x8', performance.now() - t); t = performance.now();
  for (const s of sums) finishMetrics(s, false);
  console.log('finish x8', performance.now() - t); t = performance.now();
  }
});
