// The data sets' types: what a link or a configuration names (DatasetSpec) and the arrays it
// resolves into (Dataset). Below the engine: data generators, parsers and the engine all read them.

/** Which built-in or loaded data set feeds layer 0. Plain data: it round-trips through the URL. */
export type DatasetSpec =
  | {
      kind: 'csbm';
      /** nodes */ n: number;
      classes: number;
      /** expected degree of a node */ avgDegree: number;
      /** fraction of a node's edges that stay inside its class (homophily), 0..1 */ homophily: number;
      /** input feature dimension */ featureDim: number;
      /** distance between class means, in units of the per-coordinate noise std */ separation: number;
      seed: number;
    }
  | {
      /** Erdős–Rényi-style random graph with Gaussian features (benchmarks, scale tests). */
      kind: 'random-graph';
      n: number;
      avgDegree: number;
      featureDim: number;
      seed: number;
    }
  | {
      /** Gaussian mixture tokens for the Transformer mode (no graph). */
      kind: 'tokens';
      n: number;
      featureDim: number;
      clusters: number;
      /** distance between cluster means in noise stds */ separation: number;
      seed: number;
    }
  | {
      /**
       * Plain stochastic block model: every pair joined independently, with p_in inside a class
       * and p_out across, set from the expected degree and homophily. Features carry no class
       * signal (N(0, 1)), so only the graph holds the structure.
       */
      kind: 'sbm';
      n: number;
      classes: number;
      avgDegree: number;
      homophily: number;
      featureDim: number;
      seed: number;
    }
  | {
      /** Ring lattice: node i joined to its round(avgDegree/2) nearest neighbours on each side. */
      kind: 'ring';
      n: number;
      /** classes as contiguous arcs */ classes: number;
      avgDegree: number;
      featureDim: number;
      seed: number;
    }
  | {
      /** 2-D grid (4-neighbour lattice) of n nodes, ⌈√n⌉ columns, filled row by row. */
      kind: 'grid';
      n: number;
      /** classes as vertical bands */ classes: number;
      featureDim: number;
      seed: number;
    }
  | {
      /** Random geometric graph: n uniform points in the unit square, joined within `radius`. */
      kind: 'geometric';
      n: number;
      /** classes as vertical bands */ classes: number;
      radius: number;
      featureDim: number;
      seed: number;
    }
  | {
      /** Zachary's karate club (34 members, 78 friendships, two factions); one-hot identity features. */
      kind: 'karate';
    }
  | {
      /** Token sequences with positional structure: sinusoidal positional encoding plus content clusters. */
      kind: 'positional-tokens';
      n: number;
      featureDim: number;
      clusters: number;
      /** distance between content cluster means, in noise stds */ separation: number;
      seed: number;
    }
  | {
      /** A data set loaded by the user or a test and registered under `id` (see src/data/registry.ts). */
      kind: 'loaded';
      id: string;
    };

/** A data set resolved into arrays. Row-major features, one row per node or token. */
export interface Dataset {
  /** Stable identity: two datasets with the same id hold the same numbers (cache key). */
  id: string;
  name: string;
  n: number;
  featureDim: number;
  features: Float32Array;
  /**
   * Undirected graph A without self loops, as symmetric CSR (each edge stored both ways,
   * column indices sorted ascending within a row). Absent for token sets.
   */
  graph?: { rowPtr: Uint32Array; colIdx: Uint32Array; weights?: Float32Array };
  labels?: Int32Array;
  numClasses?: number;
  /** A published train/validation/test split (node indices), e.g. Planetoid's public split. */
  split?: DatasetSplit;
}

export interface DatasetSplit {
  train: Uint32Array;
  val: Uint32Array;
  test: Uint32Array;
}
