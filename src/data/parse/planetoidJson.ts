// Planetoid JSON as a loaded file (the layout of ../shared/datasets/README.md): the checks and
// messages of the other loaders (file name first) around src/data/planetoid.ts, which builds
// the Dataset and keeps the file's train/validation/test split.
import { planetoidJsonProblem } from '../load/detect';
import { parsePlanetoid } from '../planetoid';
import { baseName, type ParseResult, type TextFile } from './common';
import { DataFileError } from './errors';
import { summarize } from './summary';

/**
 * The set's name, from the file's "name" field or else the file name. It becomes part of the
 * data-set id, which the training view keeps in the URL (one line, at most 160 characters),
 * so control characters are dropped and the length is capped.
 */
function setName(json: Record<string, unknown>, file: string): string {
  const raw = typeof json.name === 'string' && json.name.trim() ? json.name : baseName(file);
  const clean = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim() || 'planetoid';
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

export function parsePlanetoidJson(file: TextFile): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (err) {
    throw new DataFileError(
      file.name,
      undefined,
      `not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const problem = planetoidJsonProblem(json);
  if (problem) throw new DataFileError(file.name, undefined, problem);
  const obj = json as Record<string, unknown>;
  let dataset;
  try {
    dataset = parsePlanetoid(json, setName(obj, file.name));
  } catch (err) {
    throw new DataFileError(file.name, undefined, err instanceof Error ? err.message : String(err));
  }
  // What the graph builder normalized: each listed pair is one undirected edge, so nothing is
  // "one-directional"; self loops are dropped and repeated pairs (in either order) merged.
  const edges = obj.edges as unknown[][];
  let selfLoops = 0;
  for (const e of edges) if (e[0] === e[1]) selfLoops++;
  const stored = dataset.graph!.rowPtr[dataset.n] / 2;
  const summary = summarize(dataset, {
    selfLoopsRemoved: selfLoops,
    duplicatesRemoved: edges.length - selfLoops - stored,
    oneDirectionalAdded: 0,
  });
  return { dataset, summary };
}
