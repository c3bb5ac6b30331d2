// Token embeddings as delimited text: N rows × d numeric columns, an optional header row
// (detected: a first row with a non-number in it). Tokens have no graph.

import {
  checkFeatureLimit,
  countLines,
  detectDelimiter,
  featureProblem,
  Fingerprint,
  isNumber,
  isNumberLike,
  parsedDataset,
  parseFeature,
  raggedRowError,
  scanLines,
  splitFields,
  type Delimiter,
  type ParseResult,
  type TextFile,
} from './common';
import { DataFileError } from './errors';
import { summarize } from './summary';

export function parseTokensCsv(file: TextFile, options: { name?: string } = {}): ParseResult {
  const total = countLines(file.text, true);
  if (total === 0) throw new DataFileError(file.name, undefined, 'the file is empty');
  let delim: Delimiter = ',';
  let header = false;
  let d = -1;
  let n = 0;
  let features = new Float32Array(0);
  scanLines(file.text, true, (line, lineNo) => {
    if (d < 0) {
      delim = detectDelimiter(line);
      const f = splitFields(line, delim);
      // NaN, Inf or 1e999 in the first row is a bad number, not a column name.
      const odd = f.findIndex(isNumberLike);
      if (odd >= 0)
        throw new DataFileError(file.name, lineNo, `column ${odd + 1} is ${featureProblem(f[odd])}`);
      header = !f.every(isNumber);
      d = f.length;
      const rows = total - (header ? 1 : 0);
      if (rows === 0) throw new DataFileError(file.name, undefined, 'the file has a header but no rows');
      checkFeatureLimit(file.name, rows, d);
      features = new Float32Array(rows * d);
      if (header) return;
    }
    const f = splitFields(line, delim);
    if (f.length !== d)
      throw raggedRowError(file.name, lineNo, `${f.length} columns`, `the first row has ${d}`);
    const row = n * d;
    for (let k = 0; k < d; k++) {
      const x = parseFeature(f[k]);
      if (Number.isNaN(x))
        throw new DataFileError(file.name, lineNo, `column ${k + 1} is ${featureProblem(f[k])}`);
      features[row + k] = x;
    }
    n++;
  });
  const name = options.name ?? file.name.replace(/\.[^./\\]*$/, '');
  const dataset = parsedDataset('tokens-csv', name, new Fingerprint().text(file.text), {
    n,
    featureDim: d,
    features,
  });
  return { dataset, summary: summarize(dataset) };
}
