// Theory cases: one configuration through a float32 engine (GPU or fast CPU) and the float64
// reference in the same page, reduced to the theory overlays' numbers (src/engine/theory/) so the
// float32 engines can be held to the same bounds, and their floor measured.
import { buildDataset } from '../../../src/data/datasets';
import type { EngineConfig, RunResult } from '../../../src/engine/types';
import { createGpuEngine } from '../../../src/engine/gpu/engine';
import { createReferenceEngine } from '../../../src/engine/reference/engine';
import { fast } from './engine';
import { gcnTheory, distanceToLimit } from '../../../src/engine/theory/gcnBound';
import { limitSubspace } from '../../../src/engine/theory/spectralGap';
import { attentionTheory, mixedNorm } from '../../../src/engine/theory/attentionBound';

export interface TheoryOnEngine {
  /** Per layer: the measured quantity on the float32 engine and on the reference (no floor applied). */
  f32: (number | null)[];
  ref: (number | null)[];
  bound: number[];
  /** Per layer: the scale rounding is relative to (‖G‖_F for a GCN, ‖H‖₁,∞ for attention), float32 run. */
  scale: number[];
}

function theoryOf(
  config: EngineConfig,
  r: RunResult,
): { measured: (number | null)[]; bound: number[]; scale: number[] } {
  if (config.model === 'gnn') {
    const ds = buildDataset(config.dataset);
    const t = gcnTheory(config, ds.graph!, ds.n, r.layers);
    const u = limitSubspace(ds.graph!, ds.n);
    const scale = r.layers.map((l) => distanceToLimit(u, l.features!, l.width, config.adjacency).norm / t.d0);
    return { measured: t.measured, bound: t.bound, scale };
  }
  const t = attentionTheory(config, r.n, r.layers);
  return {
    measured: t.measured,
    bound: t.bound,
    scale: r.layers.map((l) => mixedNorm(l.features!, r.n, l.width)),
  };
}

export async function theoryOnEngine(args: {
  config: EngineConfig;
  engine: 'gpu' | 'fast';
}): Promise<TheoryOnEngine> {
  const e = args.engine === 'gpu' ? await createGpuEngine() : await fast();
  const ds = buildDataset(args.config.dataset);
  const g = await e.run(args.config, { dataset: ds, features: 'all' });
  const r = await createReferenceEngine().run(args.config, { dataset: ds, features: 'all' });
  const tg = theoryOf(args.config, g);
  const tr = theoryOf(args.config, r);
  return { f32: tg.measured, ref: tr.measured, bound: tr.bound, scale: tg.scale };
}
