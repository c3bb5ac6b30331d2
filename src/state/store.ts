// The lecture store: the state of src/state/page.ts plus what the engines returned.
// Components read it and draw; the runtime (src/runtime/depth.ts) feeds the engines from it.
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { RunResult } from '../engine/types';
import type { EngineName } from '../engine/create';
import type { LoadedData } from '../data/load/protocol';
import { presetById } from '../presets/depth';
import type { DefinitionId } from '../lessons/definitions';
import { DEFAULTS, type LectureState } from './page';

export type PanelId = 'A' | 'B';

export interface PanelRun {
  result: RunResult | null;
  /** A run for the current settings is in flight. */
  running: boolean;
  error: string | null;
}

export interface EngineInfo {
  kind: 'gpu' | 'cpu' | null;
  /** Which engine runs (null until one has started). */
  name: EngineName | null;
  /** Why that engine runs, in words for the page. */
  reason: string;
  adapter: string;
  fallbackReason: string | null;
  /** The CPU engine's node cap when it is in use (n is clamped to it). */
  nodeCap: number | null;
  /** The GPU device's largest storage-buffer binding in bytes (null: CPU engine or not known yet). */
  maxBufferBytes: number | null;
}

/** The user's loaded data set (its arrays live in src/data/registry.ts under dataset.id). */
export type LoadedSet = Omit<LoadedData, 'dataset'> & { id: string; name: string };

/** A file load in progress, or the last one's error. */
export interface DataLoad {
  active: boolean;
  /** What the loader is doing ("Parsing cora.cites"), and how far (0..1; null: unknown). */
  stage: string;
  fraction: number | null;
  /** The last load's failure ("cora.cites, line 17: …"); the data in place stays. */
  error: string | null;
}

export interface Toast {
  id: number;
  text: string;
}

export interface LectureStore extends LectureState {
  panels: Record<PanelId, PanelRun>;
  engine: EngineInfo;
  /** Notes about settings in the link that were replaced by defaults. */
  urlNotes: string[];
  toasts: Toast[];
  helpOpen: boolean;
  /** The definition the help dialog opens at (from a plot title's link); null: the top. */
  helpTopic: DefinitionId | null;
  /** The node clicked in an embedding view (highlighted with its neighbours in every panel); not in the URL. */
  selectedNode: number | null;
  /** The loaded data set (not in the URL), and the state of a load. */
  loaded: LoadedSet | null;
  /**
   * The set last loaded from the training view (it trains on it; the depth view keeps its own
   * `loaded`): the next training load lets it go, unless the depth view holds it too.
   */
  trainingLoaded: LoadedSet | null;
  dataLoad: DataLoad;
  setLoaded: (loaded: LoadedSet | null) => void;
  setTrainingLoaded: (loaded: LoadedSet | null) => void;
  setDataLoad: (load: Partial<DataLoad>) => void;
  /** Set some properties (the URL follows: a history entry for discrete changes). */
  set: (patch: Partial<LectureState>) => void;
  /** Replace the whole lecture state (from the URL, or a preset). */
  replace: (state: LectureState) => void;
  loadPreset: (id: string) => void;
  setPanel: (panel: PanelId, run: Partial<PanelRun>) => void;
  setEngine: (info: Partial<EngineInfo>) => void;
  addToast: (text: string) => void;
  dismissToast: (id: number) => void;
  setUrlNotes: (notes: string[]) => void;
  setHelpOpen: (open: boolean) => void;
  /** Open the help dialog at one definition. */
  showDefinition: (id: DefinitionId) => void;
  setSelectedNode: (node: number | null) => void;
}

let toastId = 1;

export function pickState(store: LectureStore): LectureState {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(DEFAULTS)) out[key] = (store as unknown as Record<string, unknown>)[key];
  return out as unknown as LectureState;
}

export const useLecture = create<LectureStore>()((set) => ({
  ...DEFAULTS,
  panels: {
    A: { result: null, running: false, error: null },
    B: { result: null, running: false, error: null },
  },
  engine: {
    kind: null,
    name: null,
    reason: '',
    adapter: '',
    fallbackReason: null,
    nodeCap: null,
    maxBufferBytes: null,
  },
  urlNotes: [],
  toasts: [],
  helpOpen: false,
  helpTopic: null,
  selectedNode: null,
  loaded: null,
  trainingLoaded: null,
  dataLoad: { active: false, stage: '', fraction: null, error: null },
  setLoaded: (loaded) => set({ loaded }),
  setTrainingLoaded: (trainingLoaded) => set({ trainingLoaded }),
  setDataLoad: (load) => set((s) => ({ dataLoad: { ...s.dataLoad, ...load } })),
  set: (patch) =>
    set((s) => {
      const next = { ...patch };
      const layers = next.layers ?? s.layers;
      // Whatever pauses the play (a tab, a preset, a setting) leaves a whole layer, never "41.1".
      if (next.depth === undefined && next.playing === false && s.playing) next.depth = Math.round(s.depth);
      if (next.depth !== undefined) next.depth = Math.max(0, Math.min(layers, next.depth));
      else if (s.depth > layers) next.depth = layers;
      return next;
    }),
  replace: (state) => set({ ...state }),
  loadPreset: (id) => {
    const preset = presetById(id);
    if (!preset) return;
    set((s) => ({
      ...DEFAULTS,
      compare: true,
      presentation: s.presentation,
      theory: s.theory,
      ...preset.settings,
      lesson: id,
    }));
  },
  setPanel: (panel, run) =>
    set((s) => ({ panels: { ...s.panels, [panel]: { ...s.panels[panel], ...run } } })),
  setEngine: (info) => set((s) => ({ engine: { ...s.engine, ...info } })),
  addToast: (text) => set((s) => ({ toasts: [...s.toasts, { id: toastId++, text }] })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  setUrlNotes: (notes) => set({ urlNotes: notes }),
  setHelpOpen: (open) => set({ helpOpen: open, helpTopic: null }),
  showDefinition: (id) => set({ helpOpen: true, helpTopic: id }),
  setSelectedNode: (node) => set({ selectedNode: node }),
}));

/**
 * Several fields of the store in one call: `const { depth, set } = useLectureFields('depth', 'set')`.
 * The component re-renders when one of them changes (compared one by one, as separate
 * `useLecture((s) => s.depth)` calls would be), not on every change of the store.
 */
export function useLectureFields<K extends keyof LectureStore>(...keys: K[]): Pick<LectureStore, K> {
  return useLecture(
    useShallow((s) => {
      const out = {} as Pick<LectureStore, K>;
      for (const k of keys) out[k] = s[k];
      return out;
    }),
  );
}
