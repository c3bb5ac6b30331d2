// Loading a recording onto the depth view: the worker reads and measures it; its inputs become
// the lecture's loaded data set (so a computed panel can run beside it on the same tokens or
// nodes), the depth slider covers its layers, and the panels show its first two stacks.
import { startRecordedLoad, type RecordedLoadHandle } from '../../engine/recorded/client';
import type { LoadSource } from '../../data/load/protocol';
import { summarize } from '../../data/parse/summary';
import { MAX_LAYERS } from '../../state/depth';
import { useRecorded } from '../../state/recorded';
import { useLecture } from '../../state/store';
import { applyToDepth } from '../data/loadController';

/** The recording that ships with the page (bench/recordedExample.ts writes it). */
export const EXAMPLE_PATH = 'recorded/cora-gcn.npz';

let current: RecordedLoadHandle | null = null;

export async function loadRecorded(source: LoadSource): Promise<void> {
  current?.cancel();
  const rec = useRecorded.getState();
  rec.setLoad({ active: true, stage: 'Reading', error: null });
  const handle = startRecordedLoad(source, useLecture.getState().centered, (stage) => {
    if (current === handle) useRecorded.getState().setLoad({ stage });
  });
  current = handle;
  try {
    const data = await handle.result;
    if (current !== handle) return;
    const { dataset } = data;
    applyToDepth({
      dataset,
      summary: summarize(dataset),
      format: 'recorded',
      files: data.files,
      reduction: null,
      timeMs: data.timeMs,
    });
    const depth = Math.max(...data.results.map((r) => r.layers.length - 1));
    const model = dataset.graph ? 'gnn' : 'transformer';
    useLecture.getState().set({
      model,
      ...(model === 'gnn' ? { graphData: 'loaded' } : { tokenData: 'loaded' }),
      layers: Math.max(1, Math.min(MAX_LAYERS, depth)),
      depth: Math.max(1, Math.min(MAX_LAYERS, depth)),
      compare: true,
      playing: false,
    });
    useRecorded.getState().setRecorded(
      {
        id: dataset.id,
        files: data.files,
        n: data.n,
        edges: data.edges,
        classes: data.classes,
        results: data.results,
      },
      { A: 0, B: data.results.length > 1 ? 1 : null },
    );
    useRecorded.getState().setLoad({ active: false, stage: '', error: null });
  } catch (err) {
    if (current !== handle) return;
    const aborted = err instanceof Error && err.name === 'AbortError';
    useRecorded.getState().setLoad({
      active: false,
      stage: '',
      error: aborted ? null : err instanceof Error ? err.message : String(err),
    });
  } finally {
    if (current === handle) current = null;
  }
}

/** The shipped example, fetched from the page's own folder. */
export function loadRecordedExample(): Promise<void> {
  return loadRecorded({ kind: 'urls', urls: [new URL(EXAMPLE_PATH, document.baseURI).href] });
}
