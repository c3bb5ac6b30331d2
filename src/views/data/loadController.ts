// Loading the user's data, from a drop, the file picker or a URL: the parse worker does the
// work (src/data/loadClient.ts); this module keeps one load at a time, shows its progress in
// the store, checks the result against the engines' limits, and only then replaces the
// data in place. A failed or refused load leaves the previous data as it was.
import { startLoad, type LoadHandle } from '../../data/loadClient';
import { engineLimitProblem } from '../../data/load/limits';
import type { LoadOptions, LoadSource } from '../../data/load/protocol';
import { getRegisteredDataset, registerDataset, unregisterDataset } from '../../data/registry';
import { useLecture } from '../../state/store';

let current: LoadHandle | null = null;

/** Start loading; a load still running is cancelled. Resolves when this load has ended. */
export async function loadData(source: LoadSource, options: LoadOptions): Promise<void> {
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
    const { dataset, ...info } = data;
    const s = store.getState();
    const problem = engineLimitProblem(dataset.n, dataset.featureDim, s.hidden, s.engine);
    if (problem) throw new Error(`${data.files.join(' + ')}: ${problem}`);
    const previous = s.loaded;
    registerDataset(dataset);
    if (previous && previous.id !== dataset.id && getRegisteredDataset(previous.id))
      unregisterDataset(previous.id);
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
    s.setDataLoad({ active: false, stage: '', fraction: null, error: null });
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
