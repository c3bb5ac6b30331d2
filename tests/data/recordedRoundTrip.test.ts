// A computed run saved in the recorded format and loaded back gives the metrics the engine
// computed: the same spectrum, effective rank, cosine, μ and Dirichlet energy at every layer.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config';
import { createReferenceEngine } from '../../src/engine/reference/engine';
import { buildDataset } from '../../src/data/datasets';
import type { EngineConfig, LayerMetrics, RunResult } from '../../src/engine/types';
import { readRecording } from '../../src/engine/recorded/read';
import { recordedRunResult, recordingDataset } from '../../src/engine/recorded/result';
import { recordingToNpz } from '../../src/engine/recorded/write';

function compare(got: LayerMetrics, want: LayerMetrics, rel: number): void {
  const close = (a: number, b: number) =>
    expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));
  expect(got.singularValues.length).toBe(want.singularValues.length);
  got.singularValues.forEach((s, k) => close(s, want.singularValues[k]));
  close(got.effectiveRank, want.effectiveRank);
  close(got.meanCosine, want.meanCosine);
  close(got.mu, want.mu);
  close(got.frobenius, want.frobenius);
  if (want.dirichlet === null) expect(got.dirichlet).toBeNull();
  else close(got.dirichlet!, want.dirichlet);
}

async function computed(config: EngineConfig): Promise<RunResult> {
  const engine = createReferenceEngine();
  try {
    return await engine.run(config, { features: 'all' });
  } finally {
    engine.dispose();
  }
}

describe('recorded format: round trip of a computed run', () => {
  const base = defaultConfig();
  // hidden = input width, so every layer has the same d and the run is one (L+1, N, d) array
  const gcn: EngineConfig = { ...base, layers: 12, hidden: 16 };
  const plain: EngineConfig = { ...gcn, norm: { ...gcn.norm, kind: 'none' } };

  for (const [dtype, rel] of [
    ['<f8', 1e-12],
    ['<f4', 2e-5],
  ] as const)
    it(`GCN with and without ContraNorm in one .npz (${dtype}): metrics equal the engine's`, async () => {
      const runs = [await computed(gcn), await computed(plain)];
      const ds = buildDataset(gcn.dataset);
      const npz = recordingToNpz(
        runs.map((r, i) => ({
          name: i === 0 ? 'contranorm' : 'none',
          layers: r.layers.map((l) => l.features!),
          d: 16,
        })),
        ds.n,
        { labels: ds.labels, graph: ds.graph, dtype },
      );
      const rec = await readRecording([{ name: 'run.npz', bytes: npz }]);
      expect(rec.stacks.map((s) => s.name)).toEqual(['contranorm', 'none']);
      expect(Array.from(rec.labels!)).toEqual(Array.from(ds.labels!));
      expect(Array.from(rec.graph!.rowPtr)).toEqual(Array.from(ds.graph!.rowPtr));
      expect(Array.from(rec.graph!.colIdx)).toEqual(Array.from(ds.graph!.colIdx));
      rec.stacks.forEach((stack, i) => {
        const got = recordedRunResult(rec, stack, 'run');
        expect(got.layers).toHaveLength(13);
        expect(got.firstNonFinite).toBeNull();
        got.layers.forEach((l, k) => compare(l.metrics, runs[i].layers[k].metrics, rel));
      });
      // A computed panel beside the recording runs on the same inputs and gives the same layer 0.
      const inputs = recordingDataset(rec, 'rt');
      expect(Array.from(inputs.features)).toEqual(Array.from(ds.features));
    });
});
