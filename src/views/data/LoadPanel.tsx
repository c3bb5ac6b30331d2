// "Your own data": drop files on the page, pick them, or fetch a URL; choose what happens to
// wide features; watch the progress; read the summary or what was wrong with the file.
import { useCallback, useId, useRef, useState } from 'react';
import { useLecture } from '../../state/store';
import type { LoadOptions, LoadSource, Reduction } from '../../data/load/protocol';
import { MAX_RAW_FEATURE_DIM } from '../../data/load/limits';
import { loadData } from './loadController';
import { usePageDrop } from './usePageDrop';
import { looksRecorded } from '../../engine/recorded/read';
import { loadRecorded } from '../recorded/recordedLoad';

type Method = Reduction['method'];

/** What the file pickers offer (drops take any name; the loader tells the formats apart). */
export const ACCEPT = '.json,.content,.cites,.csv,.tsv,.txt,.edges,.el,.npy,.npz';

/** The feature-reduction choice of a loader, with the load options it implies. */
export function useLoadOptions(initial: Method = 'raw') {
  const [method, setMethod] = useState<Method>(initial);
  const [targetDim, setTargetDim] = useState(64);
  const [randomDim, setRandomDim] = useState(16);
  const options = useCallback(
    (): LoadOptions => ({
      reduction: method === 'raw' ? { method } : { method, d: targetDim, seed: 1 },
      randomFeatureDim: randomDim,
    }),
    [method, targetDim, randomDim],
  );
  return { method, setMethod, targetDim, setTargetDim, randomDim, setRandomDim, options };
}

/** A feature dimension typed in, 1 to `max`: anything else (a half-typed number) keeps the last value. */
function DimensionInput(p: {
  id: string;
  max: number;
  value: number;
  onChange: (d: number) => void;
  testId?: string;
}) {
  return (
    <input
      id={p.id}
      type="number"
      className="readout"
      min={1}
      max={p.max}
      value={p.value}
      onChange={(e) => {
        const v = Math.round(Number(e.target.value));
        if (v >= 1 && v <= p.max) p.onChange(v);
      }}
      data-testid={p.testId}
    />
  );
}

/** "Features: raw / PCA → d / random proj. → d" for a loader's useLoadOptions(). */
export function ReductionRow({
  method,
  setMethod,
  targetDim,
  setTargetDim,
}: Pick<ReturnType<typeof useLoadOptions>, 'method' | 'setMethod' | 'targetDim' | 'setTargetDim'>) {
  const ids = { method: useId(), dim: useId() };
  return (
    <div className="load-row">
      <label htmlFor={ids.method} className="ctl-label">
        Features
      </label>
      <select
        id={ids.method}
        value={method}
        onChange={(e) => setMethod(e.target.value as Method)}
        data-testid="data-reduction"
      >
        <option value="raw">raw (d ≤ {MAX_RAW_FEATURE_DIM.toLocaleString('en-US')})</option>
        <option value="pca">PCA → d</option>
        <option value="random">random proj. → d</option>
      </select>
      {method !== 'raw' ? (
        <>
          <label htmlFor={ids.dim} className="sr-only">
            Target dimension d
          </label>
          <DimensionInput
            id={ids.dim}
            max={MAX_RAW_FEATURE_DIM}
            value={targetDim}
            onChange={setTargetDim}
            testId="data-reduction-dim"
          />
        </>
      ) : null}
    </div>
  );
}

/** A button that opens the file picker and hands over the chosen files. */
export function FilesButton({
  label,
  onFiles,
  disabled,
  testId,
}: {
  label: string;
  onFiles: (files: File[]) => void;
  disabled: boolean;
  testId: string;
}) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => picker.current?.click()} disabled={disabled}>
        {label}
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid={testId}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

export function LoadPanel() {
  const loaded = useLecture((s) => s.loaded);
  const load = useLecture((s) => s.dataLoad);
  const setDataLoad = useLecture((s) => s.setDataLoad);
  // The depth view reduces wide features by default: Cora's 1,433 raw features would give a
  // 1,433-row heat map and layers the eye cannot read. PCA → 64 (stated in the summary); raw stays a choice.
  const reduction = useLoadOptions('pca');
  const { randomDim, setRandomDim, options } = reduction;
  const [url, setUrl] = useState('');
  const lastSource = useRef<LoadSource | null>(null);
  const ids = { rdim: useId(), url: useId() };

  const start = useCallback(
    (source: LoadSource) => {
      lastSource.current = source;
      void loadData(source, options());
    },
    [options],
  );
  // An .npz or numbered layer_K.npy files are a model's recorded hidden states.
  const onFiles = useCallback(
    (files: File[]) =>
      looksRecorded(files.map((f) => f.name))
        ? void loadRecorded({ kind: 'files', files })
        : start({ kind: 'files', files }),
    [start],
  );
  usePageDrop(onFiles);

  const fetchUrl = () => {
    const urls = url.split(/\s+/).filter(Boolean);
    if (!urls.length) return;
    try {
      urls.forEach((u) => new URL(u, window.location.href));
    } catch {
      setDataLoad({ error: `"${url}" is not a URL` });
      return;
    }
    start({ kind: 'urls', urls: urls.map((u) => new URL(u, window.location.href).href) });
  };

  return (
    <div className="load-panel" data-testid="load-panel">
      <p className="hint drop-hint">
        Drop files anywhere on the page: Planetoid <code>.json</code> (with its split),{' '}
        <code>name.content</code> + <code>name.cites</code> (LINQS), an edge list with optional{' '}
        <code>…features…</code> and <code>…labels…</code> CSV, a token CSV, or a <code>.npy</code> matrix.
      </p>
      <div className="load-row">
        <FilesButton
          label="Choose files…"
          onFiles={onFiles}
          disabled={load.active}
          testId="data-file-input"
        />
      </div>
      <div className="load-row">
        <label htmlFor={ids.url} className="sr-only">
          Data URL
        </label>
        <input
          id={ids.url}
          type="url"
          placeholder="https://…/edges.csv (several: space-separated)"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') fetchUrl();
          }}
          data-testid="data-url"
        />
        <button type="button" onClick={fetchUrl} disabled={load.active || !url.trim()}>
          Fetch
        </button>
      </div>
      <ReductionRow {...reduction} />
      <div className="load-row">
        <label htmlFor={ids.rdim} className="ctl-label grow" title="for an edge list without a features file">
          Random features (no features file)
        </label>
        <DimensionInput id={ids.rdim} max={256} value={randomDim} onChange={setRandomDim} />
      </div>
      {loaded && lastSource.current && !load.active ? (
        <button type="button" className="link" onClick={() => start(lastSource.current!)}>
          Load again with these settings
        </button>
      ) : null}
    </div>
  );
}
