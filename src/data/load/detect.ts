// Which loader reads a set of files, from their names and (for a lone text file) its first
// data lines. Pure, so the rules are tested without a browser.
import {
  detectDelimiter,
  featureProblem,
  isNumber,
  isNumberLike,
  lineEnd,
  show,
  splitFields,
} from '../parse/common';

export type LoadPlan =
  | { format: 'linqs'; content: string; cites: string }
  | { format: 'edge-list'; edges: string; features?: string; labels?: string }
  | { format: 'tokens-csv'; file: string }
  | { format: 'npy'; file: string }
  | { format: 'planetoid-json'; file: string };

const ext = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
};
const base = (name: string) => name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
const stem = (name: string) => base(name).toLowerCase();

// A lone "x" or "y" names features or labels only as the last word before the extension
// ("cora_x.csv", "x.csv"): "x-axis.csv" or "y-edges.csv" are not feature or label files.
const FEATURE_NAME = /feat|(^|[^a-z])x(\.[a-z0-9]+)?$|embed|attr/;
const LABEL_NAME = /label|class|(^|[^a-z])y(\.[a-z0-9]+)?$|target|group/;
/** Names that say what a lone delimited file is, ahead of its contents. */
const EDGE_NAME = /edge|cites|graph|adj/;
const TOKEN_NAME = /token|embed|emb|feat|matrix|vector/;

/** Data lines detection reads (enough to see past a header and a few odd rows). */
export const SAMPLE_LINES = 1000;
/** Characters of a file detection reads at most. */
export const SAMPLE_CHARS = 1 << 18;

/** One data line of a sample, with its 1-based line number in the file. */
export interface SampleLine {
  text: string;
  lineNo: number;
}

/** The first non-blank, non-comment lines of a text (at most SAMPLE_LINES, from its head). */
export function sampleLines(text: string): SampleLine[] {
  const out: SampleLine[] = [];
  const head = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const lines = head.split(lineEnd(head));
  // The last piece of a cut head may be half a line.
  const usable = head.length < text.length && lines.length > 1 ? lines.length - 1 : lines.length;
  for (let i = 0; i < usable && out.length < SAMPLE_LINES; i++) {
    const t = lines[i].trim();
    if (t === '' || t[0] === '#' || t[0] === '%') continue;
    out.push({ text: t, lineNo: i + 1 });
  }
  return out;
}

const isDecimal = (s: string) => isNumber(s) && /[.eE]/.test(s);

/**
 * Whether a lone delimited text is an edge list or a token matrix, from its sampled lines and
 * its name. Throws an Error naming the line for a number that is not finite (NaN, Inf, 1e999,
 * 0x10: never node ids here), and for a text whose lines disagree, saying how to name it.
 */
export function classifyDelimited(name: string, sample: SampleLine[]): 'edge-list' | 'tokens-csv' {
  const file = base(name);
  const delim = detectDelimiter(sample[0].text);
  let edgeLike = true; // every line: 2–3 fields, ids (no decimals) in the first two, a number third
  let numeric = true; // every line after a possible header: numbers alone, as many as the first
  let edgeWitness: SampleLine | undefined; // a line with a word id (only an edge list has those)
  let tokenWitness: SampleLine | undefined; // a line with a decimal id column
  let width = -1;
  for (let r = 0; r < sample.length; r++) {
    const line = sample[r];
    const fields = splitFields(line.text, delim);
    for (const f of fields)
      if (isNumberLike(f)) throw new Error(`${file}, line ${line.lineNo}: ${featureProblem(f)}`);
    const allNumbers = fields.every(isNumber);
    const header = r === 0 && !allNumbers;
    if (!header) {
      if (!allNumbers) numeric = false;
      else if (width < 0) width = fields.length;
      else if (fields.length !== width) numeric = false;
    }
    if (fields.length < 2 || fields.length > 3) edgeLike = false;
    else {
      if (isDecimal(fields[0]) || isDecimal(fields[1])) {
        edgeLike = false;
        tokenWitness ??= line;
      }
      if (fields.length === 3 && !header && !isNumber(fields[2])) edgeLike = false;
      if (!header && (!isNumber(fields[0]) || !isNumber(fields[1]))) edgeWitness ??= line;
    }
  }
  const stemName = stem(name);
  if (EDGE_NAME.test(stemName)) return 'edge-list';
  if (TOKEN_NAME.test(stemName)) return 'tokens-csv';
  if (edgeLike) return 'edge-list';
  if (numeric) return 'tokens-csv';
  const why =
    edgeWitness && tokenWitness
      ? `line ${edgeWitness.lineNo} has node ids (${show(edgeWitness.text)}), line ${tokenWitness.lineNo} decimals (${show(tokenWitness.text)})`
      : 'its lines are neither all "source, target[, weight]" nor all numbers of one width';
  throw new Error(
    `${file}: cannot tell whether this is an edge list or token embeddings (${why}); ` +
      `name it "…edges…" for an edge list or "…tokens…" for token embeddings, and check the lines`,
  );
}

/**
 * An edge list has 2 or 3 fields a line and node ids (not decimals with a point or an
 * exponent) in its first two; anything else of numbers alone is a token matrix.
 */
export function looksLikeEdgeList(firstDataLine: string): boolean {
  const fields = splitFields(firstDataLine, detectDelimiter(firstDataLine));
  if (fields.length < 2 || fields.length > 3) return false;
  const decimal = (s: string) => isNumber(s) && /[.eE]/.test(s);
  if (decimal(fields[0]) || decimal(fields[1])) return false;
  return fields.length === 2 || isNumber(fields[2]);
}

/**
 * The plan for `names`; `lines(name)` gives a text file's sampled data lines (sampleLines), or
 * one line alone. Throws an Error saying what was expected when the names fit no rule.
 */
export function planLoad(
  names: string[],
  lines: (name: string) => SampleLine[] | string | undefined,
): LoadPlan {
  if (names.length === 0) throw new Error('no file was given');
  const npy = names.filter((n) => ext(n) === 'npy');
  if (npy.length) {
    if (names.length > 1)
      throw new Error(`a .npy file is loaded alone (token embeddings); got ${names.length} files`);
    return { format: 'npy', file: npy[0] };
  }
  // JSON is only ever the Planetoid layout here: a saved configuration has its own menu item.
  const json = names.filter((n) => ext(n) === 'json');
  if (json.length) {
    if (names.length > 1)
      throw new Error(`a .json file is loaded alone (Planetoid JSON); got ${names.length} files`);
    return { format: 'planetoid-json', file: json[0] };
  }
  const content = names.find((n) => ext(n) === 'content');
  const cites = names.find((n) => ext(n) === 'cites');
  if (content || cites) {
    if (!content || !cites)
      throw new Error(
        `the LINQS layout needs both <name>.content and <name>.cites; got only ${base((content ?? cites)!)}`,
      );
    if (names.length > 2) throw new Error('give the .content and .cites files alone');
    return { format: 'linqs', content, cites };
  }
  if (names.length === 1) {
    const got = lines(names[0]);
    const sample = typeof got === 'string' ? [{ text: got, lineNo: 1 }] : (got ?? []);
    if (sample.length === 0) throw new Error(`${base(names[0])}: the file is empty`);
    return classifyDelimited(names[0], sample) === 'edge-list'
      ? { format: 'edge-list', edges: names[0] }
      : { format: 'tokens-csv', file: names[0] };
  }
  if (names.length > 3)
    throw new Error(`up to three files: edges, features and labels (got ${names.length})`);
  let features: string | undefined;
  let labels: string | undefined;
  const rest: string[] = [];
  for (const n of names) {
    const s = stem(n);
    if (!labels && LABEL_NAME.test(s)) labels = n;
    else if (!features && FEATURE_NAME.test(s)) features = n;
    else rest.push(n);
  }
  if (rest.length !== 1)
    throw new Error(
      `cannot tell which file holds the edges: name the features file "…features…" and the labels file "…labels…" (got ${names.map(base).join(', ')})`,
    );
  return { format: 'edge-list', edges: rest[0], features, labels };
}

/** The fields a Planetoid JSON file must have (../shared/datasets/README.md; src/data/planetoid.ts). */
export const PLANETOID_FIELDS = [
  'numNodes',
  'numFeatures',
  'numClasses',
  'labels',
  'features',
  'edges',
] as const;

/**
 * Why a parsed .json value is not Planetoid JSON, or null when it has the fields, with numbers
 * and lists where they belong. Only the outline: parsePlanetoid checks every entry. Kept apart
 * so that other JSON (a saved configuration, say) is refused with what was expected rather
 * than with its first odd entry.
 */
export function planetoidJsonProblem(json: unknown): string | null {
  const expected = `not Planetoid JSON: expected an object with ${PLANETOID_FIELDS.join(', ')} (split optional)`;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return `${expected}, found ${Array.isArray(json) ? 'a list' : json === null ? 'null' : `a ${typeof json}`}`;
  const obj = json as Record<string, unknown>;
  const absent = PLANETOID_FIELDS.filter((k) => !(k in obj));
  const wrong = PLANETOID_FIELDS.filter(
    (k) => k in obj && (k.startsWith('num') ? typeof obj[k] !== 'number' : !Array.isArray(obj[k])),
  );
  if (!absent.length && !wrong.length) return null;
  const what = [
    absent.length ? `no ${absent.join(', ')}` : '',
    ...wrong.map((k) => `${k} is not ${k.startsWith('num') ? 'a number' : 'a list'}`),
  ].filter(Boolean);
  const config =
    typeof obj.kind === 'string' && typeof obj.hash === 'string'
      ? ' (a saved configuration loads with Export → Load configuration…)'
      : '';
  return `${expected}; found ${what.join('; ')}${config}`;
}
