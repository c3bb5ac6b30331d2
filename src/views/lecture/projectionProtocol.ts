// Messages between the page and the projection worker (src/views/projectionWorker.ts).
import type { LayerInput, ProjectionMode } from '../projection';

export interface ProjectionRequest {
  id: number;
  /** Latest wins per key (one key per panel). */
  key: string;
  n: number;
  mode: ProjectionMode;
  layers: LayerInput[];
}

export interface ProjectionReply {
  id: number;
  key: string;
  /** Per layer: x, y interleaved, or null where the layer is not data (no features, non-finite). */
  layers: (Float64Array | null)[];
}
