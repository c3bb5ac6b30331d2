// Which loader reads a set of files, from their names and (for a lone text file) its first
// data line. Pure, so the rules are tested without a browser.
import { detectDelimiter, isNumber, splitFields } from '../parse/common';

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

const FEATURE_NAME = /feat|(^|[^a-z])x([^a-z]|$)|embed|attr/;
const LABEL_NAME = /label|class|(^|[^a-z])y([^a-z]|$)|target|group/;

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
 * The plan for `names`; `firstLine(name)` gives a text file's first non-blank, non-comment
 * line after any header. Throws an Error saying what was expected when the names fit no rule.
 */
export function planLoad(names: string[], firstLine: (name: string) => string | undefined): LoadPlan {
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
    const line = firstLine(names[0]);
    if (line === undefined) throw new Error(`${base(names[0])}: the file is empty`);
    return looksLikeEdgeList(line) || /edge|cites|graph|adj/.test(stem(names[0]))
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
