// Everything the page puts on `window` for the tests, the benchmarks and the console, in one
// place; no other module writes to window. Installed once at start-up (main.tsx).
import { FRAME_LOG, type FrameRecord } from './state/frameLog';
import { engineConfig } from './state/depth';
import { pickState, useLecture, type PanelId } from './state/store';
import { stableKey } from './runtime/depth';
import { useNcRun } from './runtime/noncontrastive';
import { useTrainingRuns } from './runtime/training';
import { recordedShown } from './state/recorded';
import { nodePosition } from './views/EmbeddingView';

export interface TestHooks {
  /** The lecture store. */
  lecture: typeof useLecture;
  /** True when panel's shown result was computed for the current settings (tests wait on it). */
  lectureSettled: (panel: PanelId) => boolean;
  /** Where node i of a panel is drawn, in CSS pixels from the canvas's top left. */
  lectureNodePosition: (panel: PanelId, i: number) => { x: number; y: number } | null;
  /** The training view's results. */
  trainingRuns: typeof useTrainingRuns;
  /** The SimSiam/BYOL run. */
  ncRun: typeof useNcRun;
  /** The frames that showed a run's points, read by bench/latency.ts. */
  __collapseViz: { frames: FrameRecord[] };
}

declare global {
  // Optional: a page that has not installed them (a worker, a test page) has none. Only an
  // interface merges into Window, hence the empty body.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Window extends Partial<TestHooks> {}
}

function lectureSettled(panel: PanelId): boolean {
  const s = useLecture.getState();
  const run = s.panels[panel];
  if (!run.result || run.running) return false;
  // A panel showing a recorded stack is settled once that recording is its result.
  const recorded = recordedShown(panel);
  if (recorded) return run.result === recorded;
  return (
    stableKey(run.result.config) ===
    stableKey(engineConfig(pickState(s), panel, s.engine.nodeCap ?? Infinity))
  );
}

export function installTestHooks(): void {
  const hooks: TestHooks = {
    lecture: useLecture,
    lectureSettled,
    lectureNodePosition: nodePosition,
    trainingRuns: useTrainingRuns,
    ncRun: useNcRun,
    __collapseViz: { frames: FRAME_LOG },
  };
  Object.assign(window, hooks);
}
