// A run's 2-D embedding coordinates (every layer). The engines compute them (RunOptions.projection)
// and the page takes them as they come; a result without them in the shown mode but with features
// (a recorded stack) is projected in the projection worker, so that it never blocks the main
// thread with its PCA chain. Latest wins per panel: a newer request settles the older one's
// promise with null. Without Worker support (Node tests) the coordinates are computed lazily on
// the calling thread.
import { useEffect, useState } from 'react';
import type { RunResult } from '../../engine/types';
import { LayerProjections, type ProjectionMode, type ProjectionSource } from '../projection';
import type { ProjectionReply, ProjectionRequest } from './projectionProtocol';

export interface ProjectedRun {
  /** The run these coordinates belong to (what the canvas shows, which may lag the store's result). */
  result: RunResult;
  mode: ProjectionMode;
  source: ProjectionSource;
}

/** Coordinates already computed, per result object and mode (results are immutable). */
const cache = new WeakMap<RunResult, Map<ProjectionMode, ProjectedRun>>();

function remember(p: ProjectedRun): ProjectedRun {
  let byMode = cache.get(p.result);
  if (!byMode) cache.set(p.result, (byMode = new Map<ProjectionMode, ProjectedRun>()));
  byMode.set(p.mode, p);
  return p;
}

export function cachedProjection(result: RunResult | null, mode: ProjectionMode): ProjectedRun | null {
  return (result && cache.get(result)?.get(mode)) ?? null;
}

/** The engine's own pictures of `result`, when it computed every layer's in this mode. */
function fromEngine(result: RunResult, mode: ProjectionMode): ProjectedRun | null {
  if (result.projection !== mode || result.layers.some((l) => l.projection === undefined)) return null;
  const coords: (Float64Array | null | undefined)[] = [];
  const source: ProjectionSource = {
    count: result.layers.length,
    get(l) {
      if (l < 0 || l >= result.layers.length) return null;
      if (coords[l] === undefined) {
        const p = result.layers[l]!.projection;
        coords[l] = p ? Float64Array.from(p) : null;
      }
      return coords[l]!;
    },
  };
  return remember({ result, mode, source });
}

/**
 * Whether the page must wait for another run instead of projecting: the result holds pictures in
 * another mode and no features (the mode just changed; the run with the new mode is on its way).
 */
function awaitsRerun(result: RunResult, mode: ProjectionMode): boolean {
  return (
    result.projection !== undefined && result.projection !== mode && !result.layers.some((l) => l.features)
  );
}

function projectHere(result: RunResult, mode: ProjectionMode): ProjectedRun {
  return remember({ result, mode, source: new LayerProjections(result.layers, result.n, mode) });
}

interface Pending {
  id: number;
  result: RunResult;
  mode: ProjectionMode;
  resolve: (p: ProjectedRun | null) => void;
}

class ProjectionClient {
  private worker: Worker | null = null;
  private broken = typeof Worker === 'undefined';
  private nextId = 1;
  /** The newest request per key; older ones were settled with null. */
  private latest = new Map<string, Pending>();

  request(key: string, result: RunResult, mode: ProjectionMode): Promise<ProjectedRun | null> {
    const hit = cachedProjection(result, mode) ?? fromEngine(result, mode);
    if (hit) return Promise.resolve(hit);
    const prev = this.latest.get(key);
    if (prev) {
      this.latest.delete(key);
      prev.resolve(null);
    }
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(projectHere(result, mode));
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.latest.set(key, { id, result, mode, resolve });
      const msg: ProjectionRequest = {
        id,
        key,
        n: result.n,
        mode,
        // Only what the projection reads: features are copied by the structured clone (the
        // store's result keeps its own), metrics stay behind.
        layers: result.layers.map((l) => ({ features: l.features, width: l.width, nonFinite: l.nonFinite })),
      };
      worker.postMessage(msg);
    });
  }

  private ensureWorker(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(new URL('../projectionWorker.ts', import.meta.url), {
        type: 'module',
        name: 'projection',
      });
      worker.onmessage = (e: MessageEvent<ProjectionReply>) => this.onReply(e.data);
      worker.onerror = (e) => {
        // Do the work here rather than leave the panel without points.
        console.warn(`projection worker failed (${e.message}); projecting on the main thread`);
        this.broken = true;
        this.worker?.terminate();
        this.worker = null;
        for (const [key, p] of this.latest) {
          this.latest.delete(key);
          p.resolve(projectHere(p.result, p.mode));
        }
      };
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }

  private onReply(reply: ProjectionReply): void {
    const p = this.latest.get(reply.key);
    if (!p || p.id !== reply.id) return; // superseded: its promise was settled already
    this.latest.delete(reply.key);
    const layers = reply.layers;
    const source: ProjectionSource = {
      count: layers.length,
      get: (l) => (l >= 0 && l < layers.length ? layers[l] : null),
    };
    p.resolve(remember({ result: p.result, mode: p.mode, source }));
  }
}

let client: ProjectionClient | null = null;

/**
 * The newest finished projection of `result` for one panel (`key`). While the projection of a
 * new result is in flight this keeps returning the previous one, so the canvas keeps its picture
 * instead of blanking; compare `.result` with the store's result to know whether it is current.
 */
export function useProjectedRun(
  key: string,
  result: RunResult | null,
  mode: ProjectionMode,
): ProjectedRun | null {
  const [state, setState] = useState<ProjectedRun | null>(
    () => result && (cachedProjection(result, mode) ?? fromEngine(result, mode)),
  );
  useEffect(() => {
    if (!result) {
      setState(null);
      return;
    }
    const hit = cachedProjection(result, mode) ?? fromEngine(result, mode);
    if (hit) {
      setState(hit);
      return;
    }
    if (awaitsRerun(result, mode)) return; // keep the picture until the new mode's run lands
    let live = true;
    void (client ??= new ProjectionClient()).request(key, result, mode).then((p) => {
      if (live && p) setState(p);
    });
    return () => {
      live = false;
    };
  }, [key, result, mode]);
  return state;
}
