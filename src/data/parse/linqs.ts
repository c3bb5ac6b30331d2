// The LINQS citation layout (Cora, CiteSeer, PubMed-Diabetes as distributed by LINQS and
// the PyTorch GCN example): `<name>.content` lines `<id> <features…> <label>` and
// `<name>.cites` lines `<cited id> <citing id>`, fields separated by tabs or spaces.

import {
  baseName,
  checkFeatureLimit,
  countLines,
  edgeLimitError,
  featureProblem,
  Fingerprint,
  mapLabels,
  MAX_EDGES,
  parsedDataset,
  parseFeature,
  raggedRowError,
  scanLines,
  show,
  splitFields,
  U32Builder,
  type ParseResult,
  type TextFile,
} from './common';
import { DataFileError } from './errors';
import { buildGraph, summarize } from './summary';

export interface LinqsOptions {
  /** Data set name (default: the .content file's name without its extension). */
  name?: string;
  /**
   * A .cites line naming an id absent from .content: 'error' (default) or 'skip' (counted in
   * the summary's warnings; the raw CiteSeer files have a few such lines).
   */
  unknownIds?: 'error' | 'skip';
}

/**
 * Parse a LINQS `.content` + `.cites` pair. Features may be any real numbers; labels are
 * names (class indices in order of first appearance) or non-negative integers (used as
 * they are). Throws DataFileError for an empty file, a ragged row, a non-number, a
 * duplicate id or an edge naming an unknown id.
 */
export function parseLinqs(
  files: { content: TextFile; cites: TextFile },
  options: LinqsOptions = {},
): ParseResult {
  const { content, cites } = files;
  const n = countLines(content.text, false);
  if (n === 0) throw new DataFileError(content.name, undefined, 'the file is empty');

  let d = -1;
  let features = new Float32Array(0);
  const ids: string[] = [];
  const index = new Map<string, number>();
  const rawLabels: string[] = [];
  const lineOfNode: number[] = [];
  scanLines(content.text, false, (line, lineNo) => {
    const f = splitFields(line, 'ws');
    if (d < 0) {
      if (f.length < 3)
        throw new DataFileError(
          content.name,
          lineNo,
          `a line needs an id, at least one feature and a label (found ${f.length} field${f.length === 1 ? '' : 's'})`,
        );
      d = f.length - 2;
      checkFeatureLimit(content.name, n, d);
      features = new Float32Array(n * d);
    } else if (f.length !== d + 2) {
      throw raggedRowError(content.name, lineNo, `${f.length - 2} features`, `the first line has ${d}`);
    }
    const id = f[0];
    if (index.has(id))
      throw new DataFileError(
        content.name,
        lineNo,
        `duplicate node id ${show(id)} (first on the line of node ${index.get(id)! + 1})`,
      );
    const i = ids.length;
    index.set(id, i);
    ids.push(id);
    lineOfNode.push(lineNo);
    const row = i * d;
    for (let k = 0; k < d; k++) {
      const x = parseFeature(f[k + 1]);
      if (Number.isNaN(x))
        throw new DataFileError(content.name, lineNo, `feature ${k + 1} is ${featureProblem(f[k + 1])}`);
      features[row + k] = x;
    }
    rawLabels.push(f[d + 1]);
  });

  const pairs = new U32Builder();
  let skipped = 0;
  let edgeLines = 0;
  scanLines(cites.text, false, (line, lineNo) => {
    const f = splitFields(line, 'ws');
    if (f.length !== 2)
      throw new DataFileError(
        cites.name,
        lineNo,
        `expected 2 fields <cited id> <citing id>, found ${f.length}`,
      );
    edgeLines++;
    if (edgeLines > MAX_EDGES) throw edgeLimitError(cites.name, lineNo);
    const u = index.get(f[0]);
    const v = index.get(f[1]);
    if (u === undefined || v === undefined) {
      if (options.unknownIds === 'skip') {
        skipped++;
        return;
      }
      throw new DataFileError(
        cites.name,
        lineNo,
        `unknown node id ${show(u === undefined ? f[0] : f[1])} (not in ${content.name})`,
      );
    }
    // Stored as (citing, cited); direction does not matter for the undirected graph.
    pairs.push(v);
    pairs.push(u);
  });
  if (edgeLines === 0) throw new DataFileError(cites.name, undefined, 'the file is empty');

  const { graph, notes } = buildGraph(n, pairs.result());
  const { labels, numClasses, classNames } = mapLabels(rawLabels, undefined, {
    file: content.name,
    lineOf: (i) => lineOfNode[i],
  });
  const name = options.name ?? baseName(content.name);
  const fp = new Fingerprint()
    .text(content.text)
    .text(cites.text)
    .text(options.unknownIds ?? 'error');
  const dataset = parsedDataset('linqs', name, fp, { n, featureDim: d, features, graph, labels, numClasses });
  const warnings: string[] = [];
  if (skipped > 0)
    warnings.push(
      `${skipped} line${skipped === 1 ? '' : 's'} of ${cites.name} named unknown ids and were skipped`,
    );
  return { dataset, summary: summarize(dataset, notes, warnings), classNames, nodeIds: ids };
}
