// A tiny, always-on log of the frames that show a run's points, for the page-latency
// benchmark (bench/latency.ts): after EmbeddingView draws a result onto its canvas it calls
// noteDrawn(), which records when (performance.now()) and the first animation frame after it,
// i.e. the frame that presents that drawing. Capped at FRAME_LOG_CAP entries (oldest dropped).
import type { EngineConfig } from '../engine/types';
import type { PanelId } from './store';

export interface FrameRecord {
  panel: PanelId;
  /** The configuration of the run whose points were drawn. */
  config: EngineConfig;
  /** The depth drawn. */
  depth: number;
  /** performance.now() right after the canvas was drawn. */
  drawnAt: number;
  /** performance.now() in the first requestAnimationFrame callback after that; null until it runs. */
  frameAt: number | null;
}

export const FRAME_LOG_CAP = 1000;

/** The log, oldest first; src/testHooks.ts exposes it as window.__collapseViz.frames. */
export const FRAME_LOG: FrameRecord[] = [];

export function noteDrawn(panel: PanelId, config: EngineConfig, depth: number): void {
  const frames = FRAME_LOG;
  if (frames.length >= FRAME_LOG_CAP) frames.splice(0, frames.length - FRAME_LOG_CAP + 1);
  const entry: FrameRecord = { panel, config, depth, drawnAt: performance.now(), frameAt: null };
  frames.push(entry);
  requestAnimationFrame(() => {
    entry.frameAt = performance.now();
  });
}
