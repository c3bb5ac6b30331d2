// The engines' 2-D pictures (RunOptions.projection) against the float64 definition
// (src/math/projection.ts) computed here from the same run's float32 features.
import { buildDataset } from '../../../src/data/datasets';
import type { EngineConfig, ProjectionMode, RunResult } from '../../../src/engine/types';
import { applyRight, covariance, procrustes2, rowNormalize, type Floats } from '../../../src/math/projection';
import { symmetricEigenvalues } from '../../../src/math/spectrum';
import { LayerProjections } from '../../../src/views/projection';
import { engineNamed, type Float32EngineName } from './engine';

export interface ProjectionLayerCheck {
  /** Engine's picture is null / the float64 picture is null (not data). */
  engineNull: boolean;
  refNull: boolean;
  /** max |engine·R − float64| over the layer's coordinates, R the orthogonal 2×2 best fit. */
  maxErr: number;
  /** The same without a fresh fit: the engine's own alignment against the float64 chain's. */
  maxErrAligned: number;
  /** (λ₂ − λ₃)/λ₁ of the covariance of rn(H): how well the top-two span is defined. */
  relGap: number;
  length: number;
}

function relativeGap(features: Floats, n: number, d: number): number {
  if (d < 3) return 1;
  const ev = Array.from(symmetricEigenvalues(covariance(rowNormalize(features, n, d), n, d), d)).sort(
    (a, b) => b - a,
  );
  return ev[0]! > 0 ? (ev[1]! - ev[2]!) / ev[0]! : 0;
}

function check(result: RunResult, mode: ProjectionMode): ProjectionLayerCheck[] {
  const ref = new LayerProjections(result.layers, result.n, mode);
  return result.layers.map((l, i) => {
    const g = l.projection;
    const r = ref.get(i);
    const out: ProjectionLayerCheck = {
      engineNull: g === null || g === undefined,
      refNull: r === null,
      maxErr: NaN,
      maxErrAligned: NaN,
      relGap: l.features && l.nonFinite === 0 ? relativeGap(l.features, result.n, l.width) : NaN,
      length: g?.length ?? -1,
    };
    if (g && r && g.length === r.length) {
      const q = Float64Array.from(g);
      const fitted = applyRight(q, procrustes2(q, r));
      out.maxErr = fitted.reduce((m, v, k) => Math.max(m, Math.abs(v - r[k]!)), 0);
      out.maxErrAligned = q.reduce((m, v, k) => Math.max(m, Math.abs(v - r[k]!)), 0);
    }
    return out;
  });
}

/** A run with features and pictures, checked layer by layer against the float64 definition. */
export async function engineProjection(args: {
  config: EngineConfig;
  engine?: Float32EngineName | 'reference';
  mode?: ProjectionMode;
  poisonRow?: number;
}) {
  const mode = args.mode ?? 'pca-aligned';
  let e;
  if (args.engine === 'reference') {
    const { createReferenceEngine } = await import('../../../src/engine/reference/engine');
    e = createReferenceEngine();
  } else e = await engineNamed(args.engine);
  const clean = buildDataset(args.config.dataset);
  let ds = clean;
  if (args.poisonRow !== undefined) {
    const features = clean.features.slice();
    features[args.poisonRow * clean.featureDim] = NaN;
    ds = { ...clean, id: `${clean.id}+nan${args.poisonRow}`, features };
  }
  const result = await e.run(args.config, { dataset: ds, features: 'all', projection: mode });
  // The GPU engine's count of layers finished on its solver threads (null for other engines).
  const stats = (e as { lastStats?: { offThreadLayers: number } | null }).lastStats;
  return {
    n: result.n,
    firstNonFinite: result.firstNonFinite,
    layers: check(result, mode),
    offThreadLayers: stats ? stats.offThreadLayers : null,
  };
}

/** Depth raised in two steps with pictures only (no features), against one fresh run. */
export async function engineProjectionIncremental(args: {
  config: EngineConfig;
  engine?: Float32EngineName;
  split: number;
}) {
  const e = await engineNamed(args.engine);
  const ds = buildDataset(args.config.dataset);
  const opts = { dataset: ds, features: 'none' as const, projection: 'pca-aligned' as const };
  await e.run({ ...args.config, layers: args.split }, opts);
  const extended = await e.run(args.config, opts);
  // Other weights in between, so the fresh run cannot come from the cache.
  await e.run(
    { ...args.config, weights: { ...args.config.weights, seed: args.config.weights.seed + 1 } },
    opts,
  );
  const fresh = await e.run(args.config, opts);
  const maxDiff = extended.layers.map((l, i) => {
    const a = l.projection;
    const b = fresh.layers[i]!.projection;
    if (!a || !b) return a === b ? 0 : Infinity;
    return a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k]!)), 0);
  });
  return {
    computed: [extended.computedLayers, fresh.computedLayers],
    pictures: extended.layers.filter((l) => l.projection).length,
    maxDiff,
    hasFeatures: extended.layers.some((l) => l.features),
  };
}
