// The data entries of the Export menu (src/App.tsx): the data set, one panel's embeddings at
// the current layer, and the configuration (save, and load back).
import { useRef } from 'react';
import { useLecture, type PanelId } from '../../state/store';
import {
  applyConfigText,
  exportConfig,
  exportEdges,
  exportEmbeddings,
  exportFeatures,
  exportLabels,
} from './exports';

export function DataExportItems() {
  const addToast = useLecture((s) => s.addToast);
  const compare = useLecture((s) => s.compare);
  const hasGraph = useLecture(
    (s) => s.model === 'gnn' || (s.tokenData === 'loaded' && s.loaded?.summary.edges != null),
  );
  const picker = useRef<HTMLInputElement>(null);
  const fail = (err: unknown) =>
    addToast(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
  const guard = (fn: () => void | Promise<void>) => () => {
    try {
      const done = fn();
      if (done) done.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
  const panels: PanelId[] = compare ? ['A', 'B'] : ['A'];
  return (
    <>
      <hr />
      {hasGraph ? (
        <button type="button" onClick={guard(exportEdges)} data-testid="export-edges">
          Data: edge list (CSV)
        </button>
      ) : null}
      <button type="button" onClick={guard(() => exportFeatures('csv'))} data-testid="export-features-csv">
        Data: features (CSV)
      </button>
      <button type="button" onClick={guard(() => exportFeatures('npy'))} data-testid="export-features-npy">
        Data: features (.npy)
      </button>
      <button type="button" onClick={guard(exportLabels)} data-testid="export-labels">
        Data: labels (CSV)
      </button>
      {panels.map((p) => (
        <span key={p} className="menu-pair">
          <button
            type="button"
            onClick={guard(() => exportEmbeddings(p, 'csv'))}
            data-testid={`export-emb-${p}-csv`}
          >
            Embeddings {p}, this layer (CSV)
          </button>
          <button
            type="button"
            onClick={guard(() => exportEmbeddings(p, 'npy'))}
            data-testid={`export-emb-${p}-npy`}
          >
            .npy
          </button>
        </span>
      ))}
      <hr />
      <button type="button" onClick={guard(exportConfig)} data-testid="export-config">
        Configuration (JSON)
      </button>
      <button type="button" onClick={() => picker.current?.click()} data-testid="load-config">
        Load configuration…
      </button>
      <input
        ref={picker}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="load-config-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          file.text().then(
            (body) => {
              try {
                applyConfigText(file.name, body);
                addToast(`Configuration loaded from ${file.name}.`);
              } catch (err) {
                addToast(
                  `Could not load the configuration: ${err instanceof Error ? err.message : String(err)}`,
                );
              }
            },
            (err: unknown) => addToast(`Could not read ${file.name}: ${String(err)}`),
          );
        }}
      />
    </>
  );
}
