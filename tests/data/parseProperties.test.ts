// Property-based tests (fast-check) over every file parser, format detection and the link
// parser: random and mutated inputs each end in a parsed data set or a short message (never a
// hang, a crash of another kind or a message quoting a whole field), in time proportional to
// the input. The number of generated cases is printed at the end.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataFileError,
  parseEdgeList,
  parseLinqs,
  parseNpy,
  parsePlanetoidJson,
  parseTokensCsv,
  type ParseResult,
} from '../../src/data/parse';
import { planLoad, sampleLines } from '../../src/data/load/detect';
import { decodeText } from '../../src/data/load/text';
import { parseState, PROPS } from '../../src/state/page';

/** Runs per property; raise with FC_RUNS for a longer search. */
const RUNS = Number(process.env.FC_RUNS ?? 300);
let cases = 0;
/** Per parser: inputs that parsed and inputs refused with a message (both must occur). */
const outcomes = new Map<string, { parsed: number; refused: number }>();
let slowest = { ms: 0, chars: 0, what: '' };
afterAll(() => {
  const split = [...outcomes].map(([k, o]) => `${k} ${o.parsed}/${o.refused}`).join(', ');
  console.log(
    `property tests: ${cases.toLocaleString('en-US')} generated cases (parsed/refused: ${split}); slowest ${slowest.ms.toFixed(1)} ms (${slowest.what}, ${slowest.chars} characters)`,
  );
});

/** A message is short and on one line whatever the input held. */
const MAX_MESSAGE = 600;

/** Time a case may take: a fixed allowance plus a share per character (generous for a busy machine). */
const budgetMs = (chars: number) => 250 + chars / 1000;

/** What every parser must do: return a consistent data set, or throw a short Error. */
function check(what: string, chars: number, fn: () => unknown): void {
  cases++;
  const t0 = performance.now();
  let result: unknown;
  const o = outcomes.get(what) ?? { parsed: 0, refused: 0 };
  outcomes.set(what, o);
  try {
    result = fn();
    o.parsed++;
  } catch (e) {
    o.refused++;
    expect(e).toBeInstanceOf(Error);
    const message = (e as Error).message;
    expect(message.length).toBeLessThan(MAX_MESSAGE);
    expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // Parser errors name the file.
    if (e instanceof DataFileError) expect(message.startsWith(e.file)).toBe(true);
  }
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { ms, chars, what };
  expect(ms).toBeLessThan(budgetMs(chars));
  if (result && typeof result === 'object' && 'dataset' in result) {
    const { dataset } = result as ParseResult;
    expect(dataset.n).toBeGreaterThan(0);
    expect(dataset.features.length).toBe(dataset.n * dataset.featureDim);
    for (const x of dataset.features) expect(Number.isFinite(x)).toBe(true);
    if (dataset.labels) {
      expect(dataset.numClasses).toBeLessThanOrEqual(Math.min(dataset.n, 1000));
      for (const c of dataset.labels) expect(c).toBeLessThan(dataset.numClasses!);
    }
    if (dataset.graph) {
      expect(dataset.graph.rowPtr.length).toBe(dataset.n + 1);
      for (const j of dataset.graph.colIdx) expect(j).toBeLessThan(dataset.n);
    }
  }
}

// Tokens that broke loaders before, or could: non-finite and odd numbers, huge labels,
// delimiters, quotes, line ends of every kind, control characters, long fields.
const NASTY = [
  'NaN',
  'Inf',
  '-Infinity',
  '1e999',
  '4e38',
  '-4e38',
  '0x10',
  'abc',
  '',
  ' ',
  '"',
  '""',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u0000',
  '\u2028',
  '#',
  '%',
  '-1',
  '999999999',
  '100000000',
  '1e-320',
  '.5',
  '5.',
  '+3',
  '-0',
  '1,5',
  '"a,b"',
  'x'.repeat(2000),
  '\ufeff',
  '9'.repeat(30),
];
const token = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.integer({ min: -5, max: 50 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.string({ maxLength: 6 }),
);

/** A text mutated by a few random edits: insertions of nasty tokens, deletions, line repeats. */
function mutated(seed: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), token);
  return fc.tuple(seed, fc.array(edit, { maxLength: 6 })).map(([text, edits]) => {
    let t = text;
    for (const [at, kind, tok] of edits) {
      const i = t.length ? at % t.length : 0;
      if (kind === 0) t = t.slice(0, i) + tok + t.slice(i);
      else if (kind === 1) t = t.slice(0, i) + t.slice(i + 1 + (at % 7));
      else if (kind === 2) t = t.slice(0, i) + tok + t.slice(i + tok.length);
      else {
        const lines = t.split('\n');
        const k = at % Math.max(1, lines.length);
        lines.splice(k, 0, lines[k] ?? tok);
        t = lines.join('\n');
      }
    }
    return t;
  });
}

/** Delimited text of rows of tokens (random shapes, random delimiters and line ends). */
const delimited = fc
  .tuple(
    fc.array(fc.array(token, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 30 }),
    fc.constantFrom(',', '\t', ' ', ';'),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([rows, d, eol]) => rows.map((r) => r.join(d)).join(eol));

const numberRows = (cols: number, int: boolean) =>
  fc
    .array(
      fc.array(int ? fc.integer({ min: 0, max: 40 }) : fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
        minLength: cols,
        maxLength: cols,
      }),
      { minLength: 1, maxLength: 40 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n'));

const validEdges = numberRows(2, true);
const validTokens = fc.integer({ min: 1, max: 6 }).chain((d) => numberRows(d, false));
const validLabels = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -1, max: 6 })), { maxLength: 40 })
  .map((rows) => {
    const seen = new Set<number>();
    return rows
      .filter(([i]) => !seen.has(i) && seen.add(i))
      .map(([i, c]) => `${i},${c}`)
      .join('\n');
  });
const anyText = fc.oneof(fc.string({ maxLength: 200 }), delimited);

const params = { numRuns: RUNS };

/** The valid value most of the time, else one of `other`: so that whole valid records occur too. */
function mostly<T, U>(valid: T, other: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ arbitrary: fc.constant(valid), weight: 6 }, { arbitrary: other, weight: 1 });
}
/** Absent most of the time (a lone edge list), else the given file. */
function sometimes<T>(file: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: file, weight: 1 });
}

describe('parsers under random and mutated input (fast-check)', () => {
  it('token CSV', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(validTokens)), (text) =>
        check('tokens', text.length, () => parseTokensCsv({ name: 't.csv', text })),
      ),
      params,
    );
  });

  it('edge list with optional features and labels files', () => {
    const files = fc.record({
      edges: fc.oneof(anyText, mutated(validEdges)),
      labels: sometimes(fc.oneof(anyText, mutated(validLabels))),
      features: sometimes(
        mutated(
          validTokens.map((t) =>
            t
              .split('\n')
              .map((r, i) => `${i},${r}`)
              .join('\n'),
          ),
        ),
      ),
    });
    fc.assert(
      fc.property(files, ({ edges, labels, features }) =>
        check('edge list', edges.length + (labels?.length ?? 0) + (features?.length ?? 0), () =>
          parseEdgeList({
            edges: { name: 'e.csv', text: edges },
            labels: labels === null ? undefined : { name: 'l.csv', text: labels },
            features: features === null ? undefined : { name: 'f.csv', text: features },
          }),
        ),
      ),
      params,
    );
  });

  it('LINQS .content + .cites', () => {
    const content = fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: 30 }),
          fc.double({ min: -9, max: 9, noNaN: true }),
          fc.constantFrom('A', 'B', '7'),
        ),
        {
          minLength: 1,
          maxLength: 30,
        },
      )
      .map((rows) => rows.map(([id, x, c], k) => `p${id}_${k}\t${x}\t1\t${c}`).join('\n'));
    const cites = fc
      .array(fc.tuple(fc.nat(30), fc.nat(30)), { maxLength: 40 })
      .map((r) => r.map(([a, b]) => `p${a}_0\tp${b}_0`).join('\n'));
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(content)), fc.oneof(anyText, mutated(cites)), (c, e) =>
        check('linqs', c.length + e.length, () =>
          parseLinqs(
            { content: { name: 'a.content', text: c }, cites: { name: 'a.cites', text: e } },
            { unknownIds: 'skip' },
          ),
        ),
      ),
      params,
    );
  });

  it('Planetoid JSON', () => {
    const value = fc.oneof(
      fc.integer({ min: -3, max: 8 }),
      fc.constantFrom(1e9, -1, 0.5, null, 'x'.repeat(5000), [], {}, true),
      fc.array(fc.integer({ min: -2, max: 6 }), { maxLength: 4 }),
    );
    const json = fc
      .record({
        numNodes: mostly(4, value),
        numFeatures: mostly(3, value),
        numClasses: mostly(2, value),
        labels: mostly([0, 1, -1, 1], fc.array(value, { maxLength: 5 })),
        features: mostly(
          [[0], [1, 2], [], [2]],
          fc.array(fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxLength: 5 }),
        ),
        edges: mostly(
          [
            [0, 1],
            [2, 3],
          ],
          fc.array(fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxLength: 5 }),
        ),
        split: fc.option(
          fc.record({
            train: fc.array(value, { maxLength: 3 }),
            val: fc.constant([1]),
            test: fc.constant([2]),
          }),
        ),
      })
      .map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(json, mutated(json), fc.string({ maxLength: 100 })), (text) =>
        check('planetoid', text.length, () => parsePlanetoidJson({ name: 'p.json', text })),
      ),
      params,
    );
  });

  it('.npy bytes (valid headers mutated, random bytes)', () => {
    const header = fc
      .tuple(
        fc.constantFrom('<f4', '<f8', '>f4', '<i4', 'x'),
        fc.constantFrom('False', 'True', 'x'),
        fc.nat(9),
        fc.nat(9),
      )
      .map(([t, f, a, b]) => `{'descr': '${t}', 'fortran_order': ${f}, 'shape': (${a}, ${b}), }`);
    const file = fc
      .tuple(
        header,
        fc.uint8Array({ maxLength: 800 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
      )
      .map(([h, data, flips]) => {
        const pre = 10;
        const padded = h.padEnd(Math.ceil((pre + h.length + 1) / 64) * 64 - pre - 1, ' ') + '\n';
        const bytes = new Uint8Array(pre + padded.length + data.length);
        bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
        new DataView(bytes.buffer).setUint16(8, padded.length, true);
        for (let i = 0; i < padded.length; i++) bytes[pre + i] = padded.charCodeAt(i);
        bytes.set(data, pre + padded.length);
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(file, fc.uint8Array({ maxLength: 300 })), (bytes) =>
        check('npy', bytes.length, () => parseNpy('a.npy', bytes)),
      ),
      params,
    );
  });

  it('bytes to text, and format detection of a lone file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          anyText.map((t) => new TextEncoder().encode(t)),
        ),
        fc.constantFrom('a.csv', 'x-data.txt', 'edges.tsv', 'emb_tokens.csv'),
        (bytes, name) =>
          check('detect', bytes.length, () => {
            const text = decodeText(name, bytes);
            return planLoad([name], () => sampleLines(text));
          }),
      ),
      params,
    );
  });
});

it('both outcomes occurred for every text parser (the inputs are neither all valid nor all broken)', () => {
  for (const what of ['tokens', 'edge list', 'linqs', 'planetoid', 'detect']) {
    const o = outcomes.get(what);
    expect(o?.parsed, what).toBeGreaterThan(0);
    expect(o?.refused, what).toBeGreaterThan(0);
  }
});

describe('the link parser under random and mutated hashes (fast-check)', () => {
  const keys = PROPS.map((p) => p.key);
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })),
    fc.oneof(token, fc.string({ maxLength: 12 })),
  );
  const hash = fc.oneof(
    fc
      .array(pair, { maxLength: 60 })
      .map((ps) => ps.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
    fc.string({ maxLength: 300 }),
    fc.constantFrom(`L=${'9'.repeat(100000)}`, Array.from({ length: 1250 }, (_, i) => `q${i}=1`).join('&')),
  );
  it('every hash gives a state in range and a few short notes', () => {
    fc.assert(
      fc.property(hash, (h) => {
        cases++;
        const t0 = performance.now();
        const { state, notes } = parseState(`#${h}`);
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { ms, chars: h.length, what: 'link' };
        expect(ms).toBeLessThan(budgetMs(h.length));
        expect(notes.length).toBeLessThanOrEqual(8);
        for (const n of notes) expect(n.length).toBeLessThan(300);
        for (const p of PROPS) {
          const v = state[p.name];
          if (p.type === 'number') {
            expect(Number.isFinite(v)).toBe(true);
            expect(v as number).toBeGreaterThanOrEqual(p.min);
            expect(v as number).toBeLessThanOrEqual(p.max);
          } else if (p.type === 'enum') expect(p.values).toContain(v);
        }
      }),
      params,
    );
  });
});
