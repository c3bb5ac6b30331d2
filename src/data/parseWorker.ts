// The parse worker: reads dropped, picked or fetched files, parses them with src/data/parse,
// reduces the features when asked (PCA or random projection) and checks the page's limits,
// all off the page's main thread, posting progress as it goes. One load per worker: the
// page terminates it to cancel.
/// <reference lib="webworker" />
import {
  DataFileError,
  parseEdgeList,
  parseLinqs,
  parseNpy,
  parsePlanetoidJson,
  parseTokensCsv,
  setScanObserver,
} from './parse';
import type { ParseResult, TextFile } from './parse';
import { reduceFeatures } from './reduce';
import { planLoad, sampleLines } from './load/detect';
import { decodeText } from './load/text';
import { pageLimitProblem } from './load/limits';
import type { FromParseWorker, LoadFormat, LoadOptions, LoadSource, ToParseWorker } from './load/protocol';

declare const self: DedicatedWorkerGlobalScope;

function post(message: FromParseWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Progress messages at most every 50 ms (a 1M-line scan would otherwise flood the page). */
let lastPost = 0;
function progress(stage: string, fraction: number | null, force = false): void {
  const now = performance.now();
  if (!force && now - lastPost < 50) return;
  lastPost = now;
  post({ type: 'progress', stage, fraction });
}

interface Raw {
  name: string;
  bytes: Uint8Array;
}

/**
 * Bytes a loaded file may have (files and URLs alike): the page's limits (2²⁵ numbers) are far
 * below what this much text holds, and a server's answer is never buffered beyond it.
 */
export const MAX_FILE_BYTES = 512 * 2 ** 20;
/** How long a URL may take, from the request to its last byte. */
export const URL_TIMEOUT_MS = 60_000;

const tooLarge = (name: string, bytes: number) =>
  new DataFileError(
    name,
    undefined,
    `${bytes > MAX_FILE_BYTES ? `${(bytes / 2 ** 20).toFixed(0)} MiB is` : 'the file is'} more than the ${MAX_FILE_BYTES / 2 ** 20} MiB a loaded file may have`,
  );

/** Read a stream to its end, reporting bytes against `total` (unknown: null), up to MAX_FILE_BYTES. */
async function readStream(
  name: string,
  stream: ReadableStream<Uint8Array>,
  total: number | null,
): Promise<Raw> {
  if (total !== null && total > MAX_FILE_BYTES) {
    void stream.cancel().catch(() => {});
    throw tooLarge(name, total);
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    got += value.length;
    if (got > MAX_FILE_BYTES) {
      void reader.cancel().catch(() => {});
      throw tooLarge(name, got);
    }
    chunks.push(value);
    progress(`Reading ${name}`, total ? Math.min(1, got / total) : null);
  }
  const bytes = new Uint8Array(got);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.length;
  }
  return { name, bytes };
}

async function readSource(source: LoadSource): Promise<Raw[]> {
  if (source.kind === 'files')
    return Promise.all(source.files.map((f) => readStream(f.name, f.stream(), f.size)));
  const out: Raw[] = [];
  for (const url of source.urls) {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || url);
    // One deadline for the request and the whole body: a server that trickles is cut off too.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), URL_TIMEOUT_MS);
    const timedOut = () =>
      new DataFileError(url, undefined, `no complete answer within ${URL_TIMEOUT_MS / 1000} s`);
    try {
      let response: Response;
      try {
        response = await fetch(url, { signal: controller.signal });
      } catch (err) {
        if (controller.signal.aborted) throw timedOut();
        // Offline, the page itself still works (its offline copy); only this needs the network.
        if (!navigator.onLine)
          throw new DataFileError(
            url,
            undefined,
            'could not be fetched: this device is offline (files from it still load)',
          );
        throw new DataFileError(
          url,
          undefined,
          `could not be fetched (${String(err)}; a cross-origin server must allow CORS)`,
        );
      }
      if (!response.ok || !response.body)
        throw new DataFileError(
          url,
          undefined,
          `the server answered ${response.status} ${response.statusText}`,
        );
      const length = Number(response.headers.get('content-length'));
      try {
        out.push(
          await readStream(name, response.body, Number.isFinite(length) && length > 0 ? length : null),
        );
      } catch (err) {
        if (controller.signal.aborted && !(err instanceof DataFileError)) throw timedOut();
        throw err;
      }
    } finally {
      clearTimeout(timer);
    }
  }
  return out;
}

function parse(
  raws: Raw[],
  options: LoadOptions,
): { result: ParseResult; format: LoadFormat; files: string[] } {
  const texts = new Map<string, TextFile>();
  const text = (name: string): TextFile => {
    let t = texts.get(name);
    if (!t) {
      const raw = raws.find((r) => r.name === name)!;
      t = { name, text: decodeText(name, raw.bytes) };
      texts.set(name, t);
    }
    return t;
  };
  const plan = planLoad(
    raws.map((r) => r.name),
    (name) => sampleLines(text(name).text),
  );
  // Each line scan reports its position in its text: the stage names the file.
  setScanObserver((t, pos) => {
    for (const f of texts.values())
      if (f.text === t) {
        progress(`Parsing ${f.name}`, t.length ? pos / t.length : 1);
        return;
      }
  });
  try {
    switch (plan.format) {
      case 'npy': {
        const raw = raws.find((r) => r.name === plan.file)!;
        progress(`Parsing ${plan.file}`, null, true);
        return { result: parseNpy(plan.file, raw.bytes), format: 'npy', files: [plan.file] };
      }
      case 'linqs':
        return {
          result: parseLinqs(
            { content: text(plan.content), cites: text(plan.cites) },
            { unknownIds: 'skip' },
          ),
          format: 'linqs',
          files: [plan.content, plan.cites],
        };
      case 'planetoid-json':
        // JSON.parse reports no progress: the bar waits without a fraction.
        progress(`Parsing ${plan.file}`, null, true);
        return {
          result: parsePlanetoidJson(text(plan.file)),
          format: 'planetoid-json',
          files: [plan.file],
        };
      case 'tokens-csv':
        return { result: parseTokensCsv(text(plan.file)), format: 'tokens-csv', files: [plan.file] };
      case 'edge-list':
        return {
          result: parseEdgeList(
            {
              edges: text(plan.edges),
              features: plan.features ? text(plan.features) : undefined,
              labels: plan.labels ? text(plan.labels) : undefined,
            },
            { randomFeatureDim: options.randomFeatureDim },
          ),
          format: 'edge-list',
          files: [plan.edges, plan.features, plan.labels].filter((f): f is string => f !== undefined),
        };
    }
  } finally {
    setScanObserver(null);
  }
}

async function load(source: LoadSource, options: LoadOptions): Promise<void> {
  const started = performance.now();
  progress('Reading', 0, true);
  const raws = await readSource(source);
  const { result, format, files } = parse(raws, options);
  raws.length = 0; // the bytes are no longer needed
  let { dataset } = result;
  let reduction: string | null = null;
  const r = options.reduction;
  if (r.method !== 'raw' && r.d < dataset.featureDim) {
    const from = dataset.featureDim.toLocaleString('en-US');
    if (r.method === 'pca') {
      progress(`PCA ${from} → ${r.d}`, 0, true);
      dataset = reduceFeatures(dataset, r, (_it, residual, tol) =>
        progress(
          `PCA ${from} → ${r.d}`,
          Math.max(0, Math.min(1, Math.log(Math.max(residual, tol)) / Math.log(tol))),
        ),
      );
      reduction = `PCA ${from} → ${r.d}`;
    } else {
      progress(`Random projection ${from} → ${r.d}`, null, true);
      dataset = reduceFeatures(dataset, r);
      reduction = `random projection ${from} → ${r.d}, seed ${r.seed}`;
    }
  }
  const problem = pageLimitProblem(dataset.n, dataset.featureDim, dataset.graph?.colIdx.length ?? 0);
  if (problem) throw new DataFileError(files.join(' + '), undefined, problem);
  const summary = { ...result.summary, featureDim: dataset.featureDim };
  const transfer: Transferable[] = [dataset.features.buffer];
  if (dataset.graph) {
    transfer.push(dataset.graph.rowPtr.buffer, dataset.graph.colIdx.buffer);
    if (dataset.graph.weights) transfer.push(dataset.graph.weights.buffer);
  }
  if (dataset.labels) transfer.push(dataset.labels.buffer);
  // The split's index lists travel with the set (the trainer uses them instead of a seeded split).
  if (dataset.split)
    transfer.push(dataset.split.train.buffer, dataset.split.val.buffer, dataset.split.test.buffer);
  post(
    {
      type: 'done',
      dataset,
      summary,
      classNames: result.classNames,
      nodeIds: result.nodeIds,
      format,
      files,
      reduction,
      timeMs: performance.now() - started,
    },
    [...new Set(transfer)],
  );
}

self.onmessage = (event: MessageEvent<ToParseWorker>) => {
  const { source, options } = event.data;
  load(source, options).catch((err: unknown) => {
    if (err instanceof DataFileError)
      post({ type: 'error', message: err.message, file: err.file, line: err.line });
    else post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  });
};
