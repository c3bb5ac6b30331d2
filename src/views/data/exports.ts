// Data out, from the page: the current data set (edge list, features, labels), one panel's
// embeddings at the current layer, and the configuration as JSON that loads back to the
// same view through the property table's parser.
import { buildDataset } from '../../data/datasets';
import {
  featuresToCsv,
  featuresToNpy,
  graphToEdgeListCsv,
  labelsToCsv,
  matrixToCsv,
  matrixToNpy,
} from '../../data/export';
import type { Dataset } from '../../engine/types';
import { datasetSpec, withoutMissingLoaded } from '../../state/depth';
import { parseState, serializeState } from '../../state/page';
import { pickState, useLecture, type PanelId } from '../../state/store';
import { download } from '../exports';
import { fetchLayerFeatures } from '../../runtime/depth';

/** The data set in use, resolved on the page (generated sets are rebuilt; a loaded one comes from the registry). */
function currentDataset(): Dataset {
  const s = useLecture.getState();
  return buildDataset(datasetSpec(pickState(s), s.engine.nodeCap ?? Infinity));
}

/** File-name stem of the data set in use. */
function stem(ds: Dataset): string {
  const s = useLecture.getState();
  const base = s.loaded?.id === ds.id ? ds.name : s.model === 'gnn' ? s.graphData : s.tokenData;
  return base.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'data';
}

function idsOf(ds: Dataset): string[] | undefined {
  const s = useLecture.getState();
  return s.loaded?.id === ds.id ? s.loaded.nodeIds : undefined;
}

function text(name: string, body: string, type = 'text/csv'): void {
  download(name, new Blob([body], { type }));
}
function bytes(name: string, body: Uint8Array): void {
  download(name, new Blob([body as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
}

/** The graph as an edge list CSV (a token set has none: an Error says so). */
export function exportEdges(): void {
  const ds = currentDataset();
  if (!ds.graph) throw new Error(`${ds.name} has no graph to export`);
  text(`${stem(ds)}-edges.csv`, graphToEdgeListCsv(ds.graph, { ids: idsOf(ds) }));
}

/** Input features as CSV (`id,f1,…`, the features-file layout of the edge-list loader) or .npy. */
export function exportFeatures(format: 'csv' | 'npy'): void {
  const ds = currentDataset();
  const ids = idsOf(ds) ?? Array.from({ length: ds.n }, (_, i) => String(i));
  if (format === 'csv') text(`${stem(ds)}-features.csv`, featuresToCsv(ds, { ids, header: true }));
  else bytes(`${stem(ds)}-features.npy`, featuresToNpy(ds));
}

export function exportLabels(): void {
  const ds = currentDataset();
  if (!ds.labels) throw new Error(`${ds.name} has no labels to export`);
  const s = useLecture.getState();
  text(
    `${stem(ds)}-labels.csv`,
    labelsToCsv(ds.labels, {
      ids: idsOf(ds),
      classNames: s.loaded?.id === ds.id ? s.loaded.classNames : undefined,
    }),
  );
}

/**
 * The layer the page shows (the depth slider rounded), and that layer's features of `panel`: from
 * the result when it holds them (a recorded stack, the theory view), else computed by the panel's
 * engine for the export (the page's runs return only the 2-D pictures), with a note meanwhile.
 */
export async function currentEmbeddings(panel: PanelId): Promise<{
  layer: number;
  n: number;
  d: number;
  data: Float32Array | Float64Array;
}> {
  const s = useLecture.getState();
  const result = s.panels[panel].result;
  if (!result) throw new Error(`panel ${panel} has no result yet`);
  const layer = Math.max(0, Math.min(result.layers.length - 1, Math.round(s.depth)));
  const l = result.layers[layer];
  if (l.features) return { layer, n: result.n, d: l.width, data: l.features };
  if (result.recorded || result.progress)
    throw new Error(`the features of layer ${layer} are not available here; wait for the run to finish`);
  s.addToast(`Computing the embeddings of layer ${layer} (panel ${panel}) for the export…`);
  const data = await fetchLayerFeatures(panel, layer);
  return { layer, n: result.n, d: l.width, data };
}

export async function exportEmbeddings(panel: PanelId, format: 'csv' | 'npy'): Promise<void> {
  const { layer, n, d, data } = await currentEmbeddings(panel);
  const name = `embeddings-${panel}-layer${layer}`;
  if (format === 'csv') text(`${name}.csv`, matrixToCsv(data, n, d, { header: true }));
  else bytes(`${name}.npy`, matrixToNpy(data, n, d));
}

/** Marks a configuration file, so that Load config can tell it from any other JSON. */
const CONFIG_KIND = 'collapse-visualizer/config';

export function configJson(): string {
  const s = useLecture.getState();
  const state = pickState(s);
  return JSON.stringify(
    {
      kind: CONFIG_KIND,
      version: 1,
      /** Every setting as a URL hash, all views': what Load config reads. */
      hash: serializeState(state, { all: true }),
      /** The same settings, readable. */
      state,
      /** A loaded file is not part of the configuration; its name is kept as a reminder. */
      loadedData:
        s.loaded && state.loadedId === s.loaded.id ? { name: s.loaded.name, files: s.loaded.files } : null,
    },
    null,
    2,
  );
}

export function exportConfig(): void {
  text('collapse-config.json', configJson(), 'application/json');
}

/**
 * Restore a configuration file: its hash goes through the property table's parser (bad values
 * fall back to defaults with notes, shown like a link's), and a loaded set this page does not
 * hold falls back to the built-in one, with a note.
 */
export function applyConfigText(name: string, body: string): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new Error(`${name}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const obj = json as { kind?: unknown; hash?: unknown };
  if (!obj || typeof obj !== 'object' || obj.kind !== CONFIG_KIND || typeof obj.hash !== 'string')
    throw new Error(`${name}: not a configuration saved by this page (Export → Configuration)`);
  const s = useLecture.getState();
  const parsed = parseState(obj.hash);
  const fallback = withoutMissingLoaded(parsed.state, (id) => s.loaded?.id === id);
  s.replace(fallback.state);
  s.setUrlNotes([...parsed.notes, ...fallback.notes]);
}
