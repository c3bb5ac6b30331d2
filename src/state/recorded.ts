// Recorded hidden states on the depth view: the loaded recording's results (one RunResult per
// stack, src/data/recorded) and which panel shows which. A panel showing a recorded stack runs
// no engine (the runtime asks `recordedShown`); its result is the recording's, put in place here.
// Not in the URL, like any loaded file.
import { create } from 'zustand';
import type { RunResult } from '../engine/types';
import { useLecture, type PanelId } from './store';

export interface RecordedSet {
  /** The id of the recording's inputs, registered as the lecture's loaded data set. */
  id: string;
  files: string[];
  n: number;
  edges: number;
  classes: number;
  results: RunResult[];
}

export interface RecordedStore {
  set: RecordedSet | null;
  /** Index into set.results per panel; null: the panel computes as usual. */
  shown: Record<PanelId, number | null>;
  load: { active: boolean; stage: string; error: string | null };
  setRecorded: (set: RecordedSet | null, shown?: Record<PanelId, number | null>) => void;
  show: (panel: PanelId, index: number | null) => void;
  setLoad: (load: Partial<RecordedStore['load']>) => void;
}

export const useRecorded = create<RecordedStore>()((set) => ({
  set: null,
  shown: { A: null, B: null },
  load: { active: false, stage: '', error: null },
  setRecorded: (recorded, shown = { A: null, B: null }) => set({ set: recorded, shown }),
  show: (panel, index) => set((s) => ({ shown: { ...s.shown, [panel]: index } })),
  setLoad: (load) => set((s) => ({ load: { ...s.load, ...load } })),
}));

/** The recorded result panel shows, or null when it computes. */
export function recordedShown(panel: PanelId): RunResult | null {
  const { set, shown } = useRecorded.getState();
  const i = shown[panel];
  return set && i !== null ? (set.results[i] ?? null) : null;
}

/** Changes whenever what the panels show from the recording changes (the runtime's run key). */
export function recordedKey(): string {
  const { set, shown } = useRecorded.getState();
  return set ? `${set.id}:${shown.A}:${shown.B}` : '';
}

/**
 * Keep the panels in step with the recording: a recorded panel's result is the recording's,
 * a panel handed back to the engine starts empty (the runtime then runs it), and loading other
 * data (the lecture's loaded set no longer the recording's inputs) lets the recording go.
 */
export function startRecordedPanels(): () => void {
  const apply = (prev: Record<PanelId, RunResult | null>) => {
    for (const panel of ['A', 'B'] as const) {
      const now = recordedShown(panel);
      if (now) useLecture.getState().setPanel(panel, { result: now, running: false, error: null });
      else if (prev[panel])
        useLecture.getState().setPanel(panel, { result: null, running: false, error: null });
    }
  };
  let last: Record<PanelId, RunResult | null> = { A: null, B: null };
  const unsubscribe = useRecorded.subscribe(() => {
    const prev = last;
    last = { A: recordedShown('A'), B: recordedShown('B') };
    if (prev.A !== last.A || prev.B !== last.B) apply(prev);
  });
  const unsubscribeLoaded = useLecture.subscribe((s, prev) => {
    const rec = useRecorded.getState().set;
    if (rec && s.loaded !== prev.loaded && s.loaded?.id !== rec.id) useRecorded.getState().setRecorded(null);
  });
  return () => {
    unsubscribe();
    unsubscribeLoaded();
  };
}
