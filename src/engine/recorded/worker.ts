// The recording worker: reads the chosen files (or the example's URL), parses them and computes
// every layer's metrics and spectrum, off the page's main thread. One load per worker: the page
// terminates it to cancel.
/// <reference lib="webworker" />
import { DataFileError } from '../../data/parse/errors';
import type { LoadSource } from '../../data/load/protocol';
import type { FromRecordedWorker, ToRecordedWorker } from './protocol';
import { readRecording, type RawFile } from './read';
import { recordedRunResult, recordingDataset, recordingId } from './result';

declare const self: DedicatedWorkerGlobalScope;

/** Bytes one file may have: the other loaders' 512 MiB (the numbers' own cap comes first for most files). */
const MAX_RECORDING_FILE_BYTES = 512 * 2 ** 20;

function post(message: FromRecordedWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function readSource(source: LoadSource): Promise<RawFile[]> {
  const tooLarge = (name: string, bytes: number) =>
    new DataFileError(
      name,
      undefined,
      `${(bytes / 2 ** 20).toFixed(0)} MiB is more than the ${MAX_RECORDING_FILE_BYTES / 2 ** 20} MiB a loaded file may have`,
    );
  if (source.kind === 'files')
    return Promise.all(
      source.files.map(async (f) => {
        if (f.size > MAX_RECORDING_FILE_BYTES) throw tooLarge(f.name, f.size);
        return { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
      }),
    );
  const out: RawFile[] = [];
  for (const url of source.urls) {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || url);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new DataFileError(url, undefined, `could not be fetched (${String(err)})`);
    }
    if (!response.ok)
      throw new DataFileError(
        url,
        undefined,
        `the server answered ${response.status} ${response.statusText}`,
      );
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_RECORDING_FILE_BYTES) throw tooLarge(name, bytes.length);
    out.push({ name, bytes });
  }
  return out;
}

async function load(source: LoadSource, centeredSpectrum: boolean): Promise<void> {
  const started = performance.now();
  const raws = await readSource(source);
  const rec = await readRecording(raws, (stage) => post({ type: 'progress', stage }));
  raws.length = 0;
  const id = recordingId(rec);
  const results = rec.stacks.map((stack) => {
    post({ type: 'progress', stage: `Measuring ${stack.name} (${stack.layers.length} layers)` });
    return recordedRunResult(rec, stack, id, { centeredSpectrum });
  });
  const dataset = recordingDataset(rec, id);
  const buffers = new Set<ArrayBufferLike>([dataset.features.buffer]);
  for (const r of results) for (const l of r.layers) if (l.features) buffers.add(l.features.buffer);
  if (dataset.graph) buffers.add(dataset.graph.rowPtr.buffer).add(dataset.graph.colIdx.buffer);
  if (dataset.labels) buffers.add(dataset.labels.buffer);
  post(
    {
      type: 'done',
      dataset,
      results,
      files: rec.files,
      n: rec.n,
      edges: rec.edgeCount,
      classes: rec.numClasses,
      timeMs: performance.now() - started,
    },
    [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
  );
}

self.onmessage = (event: MessageEvent<ToRecordedWorker>) => {
  const { source, centeredSpectrum } = event.data;
  load(source, centeredSpectrum).catch((err: unknown) =>
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
};
