// Loading the user's data, from a drop, the file picker or a URL: the parse worker does the
// work (src/data/loadClient.ts); this module keeps one load at a time, shows its progress in
// the store, checks the result against the engines' limits, and only then replaces the
// data in place. A failed or refused load leaves the previous data as it was.
//
// A load has a target: the depth view (its data set becomes the lecture's data) or the
// training view (it becomes the data set a GCN trains on, `tData`). A training load leaves
// the depth view's data alone: its engines keep running in the background in every view and
// would recompute everything on the new graph.
import { startLoad, type LoadHandle } from '../../data/loadClient';
import { engineLimitProblem } from '../../data/load/limits';
import type { LoadedData, LoadOptions, LoadSource } from '../../data/load/protocol';
import { getRegisteredDataset, registerDataset, unregisterDataset } from '../../data/registry';
import { useLecture, type LoadedSet } from '../../state/store';

export type LoadTarget = 'depth' | 'training';

let current: LoadHandle | null = null;

/** The depth view's data becomes the loaded set (a graph shows in the GNN, tokens in the Transformer). */
export function applyToDepth(data: LoadedData): void {
  const { dataset, ...info } = data;
  const s = useLecture.getState();
  const problem = engineLimitProblem(dataset.n, dataset.featureDim, s.hidden, s.engine);
  if (problem) throw new Error(`${data.files.join(' + ')}: ${problem}`);
  const previous = s.loaded;
  registerDataset(dataset);
  if (previous && previous.id !== dataset.id && getRegisteredDataset(previous.id)) {
    if (previous.id === s.trainingLoaded?.id) {
      // Still the training view's set: that view lets it go on its next load.
    } else if (previous.id === s.tData) {
      // The training view trains on it: it becomes that view's own set, replacing the one it
      // loaded before (no longer selected there, and not the depth view's).
      if (s.trainingLoaded) unregisterDataset(s.trainingLoaded.id);
      s.setTrainingLoaded(previous);
    } else unregisterDataset(previous.id);
  }
  s.setLoaded({ ...info, id: dataset.id, name: dataset.name });
  // Show it: a graph in the GNN (a set without a graph switches to the Transformer).
  // The GNN's choice cannot stay on 'loaded' when the loaded set has no graph.
  const model = dataset.graph ? s.model : 'transformer';
  s.set({
    model,
    ...(model === 'gnn' ? { graphData: 'loaded' } : { tokenData: 'loaded' }),
    ...(!dataset.graph && s.graphData === 'loaded' ? { graphData: 'csbm' } : {}),
    loadedId: dataset.id,
    depth: Math.min(s.depth, s.layers),
  });
}

/** The training view's data set becomes the loaded one; the depth view's data is not touched. */
function applyToTraining(data: LoadedData): void {
  const { dataset, ...info } = data;
  const missing = [
    !dataset.graph && 'no graph',
    !(dataset.labels && dataset.numClasses) && 'no labels',
  ].filter(Boolean);
  if (missing.length)
    throw new Error(
      `${data.files.join(' + ')}: ${missing.join(' and ')}, and training a GCN needs a graph with labels ` +
        '(Planetoid JSON, LINQS .content + .cites, or an edge list with a …labels… file)',
    );
  const s = useLecture.getState();
  const previous = s.trainingLoaded;
  registerDataset(dataset);
  if (previous && previous.id !== dataset.id && previous.id !== s.loaded?.id) unregisterDataset(previous.id);
  const set: LoadedSet = { ...info, id: dataset.id, name: dataset.name };
  s.setTrainingLoaded(set);
  s.set({ tData: dataset.id });
}

/**
 * Start loading for `target` (default: the depth view); a load still running is cancelled.
 * Resolves when this load has ended.
 */
export async function loadData(
  source: LoadSource,
  options: LoadOptions,
  { target = 'depth' }: { target?: LoadTarget } = {},
): Promise<void> {
  current?.cancel();
  const store = useLecture;
  store.getState().setDataLoad({ active: true, stage: 'Starting', fraction: 0, error: null });
  const handle = startLoad(source, options, (stage, fraction) => {
    if (current === handle) store.getState().setDataLoad({ stage, fraction });
  });
  current = handle;
  try {
    const data = await handle.result;
    if (current !== handle) return;
    if (target === 'training') applyToTraining(data);
    else applyToDepth(data);
    store.getState().setDataLoad({ active: false, stage: '', fraction: null, error: null });
  } catch (err) {
    if (current !== handle) return;
    if (err instanceof Error && err.name === 'AbortError') {
      store.getState().setDataLoad({ active: false, stage: '', fraction: null });
      return;
    }
    store.getState().setDataLoad({
      active: false,
      stage: '',
      fraction: null,
      error: err instanceof Error ? err.message : String(err),
    });
  } finally {
    if (current === handle) current = null;
  }
}

export function cancelLoad(): void {
  current?.cancel();
}
