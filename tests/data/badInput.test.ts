// The bad inputs that once hung the page or were misread silently: each ends in a short
// message naming the file (and the line where there is one), checked before any allocation.
import { describe, expect, it } from 'vitest';
import {
  DataFileError,
  parseEdgeList,
  parseLinqs,
  parsePlanetoidJson,
  parseTokensCsv,
} from '../../src/data/parse';
import { planLoad, sampleLines } from '../../src/data/load/detect';
import { decodeText } from '../../src/data/load/text';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
  }
  throw new Error('expected an Error');
}

const plan = (name: string, text: string) => planLoad([name], () => sampleLines(text));
const planetoid = (patch: Record<string, unknown>) =>
  JSON.stringify({
    numNodes: 3,
    numFeatures: 2,
    numClasses: 2,
    labels: [0, 1, -1],
    features: [[0], [1], []],
    edges: [[0, 1]],
    ...patch,
  });

describe('counts and sizes are held against the data and the limits, quickly', () => {
  it('a Planetoid numClasses of 10⁹ is refused at once (classes ≤ nodes, ≤ 1,000)', () => {
    const t0 = performance.now();
    const e = errorOf(() => parsePlanetoidJson({ name: 'big.json', text: planetoid({ numClasses: 1e9 }) }));
    expect(performance.now() - t0).toBeLessThan(200);
    expect(e.message).toMatch(
      /^big\.json: .*"numClasses" is 1,000,000,000, more than 3: .*at most 1,000 classes/,
    );
  });
  it('a 20 MB string in a feature slot gives a message of a few hundred characters', () => {
    const text = planetoid({ features: [['x'.repeat(20_000_000)], [], []] });
    const e = errorOf(() => parsePlanetoidJson({ name: 'long.json', text }));
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toMatch(/features\[0\]\[0\] must be an integer in 0\.\.1 \(got "x{40}…"\)/);
  });
  it.each([['100000000'], ['999999999'], ['3']])(
    'an integer label %s beyond the nodes is refused with its line',
    (label) => {
      const e = errorOf(() =>
        parseEdgeList({
          edges: { name: 'e.csv', text: '0,1\n1,2\n' },
          labels: { name: 'l.csv', text: `0,0\n1,${label}\n` },
        }),
      ) as DataFileError;
      expect([e.file, e.line]).toEqual(['l.csv', 2]);
      expect(e.message).toMatch(/at most 3 classes/);
    },
  );
  it('named labels: more classes than nodes allow is refused at the line of the first extra', () => {
    const content = Array.from({ length: 1002 }, (_, i) => `n${i} 1 c${i}`).join('\n');
    const e = errorOf(() =>
      parseLinqs({
        content: { name: 'a.content', text: content },
        cites: { name: 'a.cites', text: 'n0 n1\n' },
      }),
    ) as DataFileError;
    expect([e.file, e.line]).toEqual(['a.content', 1001]);
    expect(e.message).toMatch(/class number 1,001: .*at most 1,000 classes/);
  });
  it('a message never holds more than a short excerpt of a long file name or reason', () => {
    const e = new DataFileError('f'.repeat(5000), 3, `bad ${'z'.repeat(1e6)}\u0000`);
    expect(e.message.length).toBeLessThan(600);
    expect(e.message).not.toMatch(/\u0000/);
  });
});

describe('format detection never guesses silently', () => {
  it('a CSV of decimals whose second row looks like ids is a token matrix, not a graph', () => {
    expect(plan('p.csv', '0.5,1.5\n3,4\n5.5,6.5').format).toBe('tokens-csv');
    const r = parseTokensCsv({ name: 'p.csv', text: '0.5,1.5\n3,4\n5.5,6.5' });
    expect([r.dataset.n, r.dataset.featureDim]).toEqual([3, 2]);
  });
  it('a decimal far down (past the old one-line sniff) still makes it a matrix', () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},${i + 1}`).join('\n') + '\n0.5,0.25\n';
    expect(plan('m.csv', text).format).toBe('tokens-csv');
  });
  it.each(['NaN', 'Inf', '-Infinity', '1e999', '0x10'])(
    '%s in a CSV of numbers is refused with its line',
    (bad) => {
      const e = errorOf(() => plan('n.csv', `0.5,1.5\n${bad},2.5\n`));
      expect(e.message).toMatch(/^n\.csv, line 2: .*not a number/);
      // The same file given to the parsers directly is refused too, never read as a node "NaN".
      expect(() => parseTokensCsv({ name: 'n.csv', text: `0.5,1.5\n${bad},2.5\n` })).toThrow(/line 2/);
      expect(() => parseEdgeList({ edges: { name: 'n.csv', text: `1,2\n${bad},3\n` } })).toThrow(/line 2/);
    },
  );
  it('"abc" among decimals is refused as ambiguous, saying how to name the file', () => {
    expect(() => plan('a.csv', '0.5,1.5\nabc,2\n')).toThrow(/cannot tell .*"…edges…".*"…tokens…"/);
    expect(plan('a_tokens.csv', '0.5,1.5\n3,4\n').format).toBe('tokens-csv');
    expect(plan('a_edges.csv', '1,2\n3,4\n').format).toBe('edge-list');
  });
  it('4e38 (finite in float64, Inf in float32) is refused in CSV as in .npy', () => {
    expect(() => parseTokensCsv({ name: 't.csv', text: '1,2\n4e38,1\n' })).toThrow(
      /t\.csv, line 2: column 1 is "4e38", too large for float32/,
    );
    expect(() =>
      parseEdgeList({
        edges: { name: 'e.csv', text: '1,2\n' },
        features: { name: 'f.csv', text: '1,-4e38\n2,0\n' },
      }),
    ).toThrow(/f\.csv, line 1: feature 1 is "-4e38", too large for float32/);
  });
  it('x- and y- prefixes do not make feature or label files', () => {
    expect(() => planLoad(['x-edges.csv', 'y-edges.csv'], () => undefined)).toThrow(
      /which file holds the edges/,
    );
    expect(planLoad(['g.csv', 'cora_x.csv', 'cora_y.csv'], () => undefined)).toEqual({
      format: 'edge-list',
      edges: 'g.csv',
      features: 'cora_x.csv',
      labels: 'cora_y.csv',
    });
  });
  it('CR-only line ends are lines; UTF-16 and binary files are named for what they are', () => {
    const r = parseTokensCsv({ name: 'mac.csv', text: '1,2\r3,4\r5,6\r' });
    expect([r.dataset.n, r.dataset.featureDim]).toEqual([3, 2]);
    expect(plan('mac.csv', '0.5,1\r2,3\r').format).toBe('tokens-csv');
    const utf16 = new Uint8Array([0xff, 0xfe, 0x31, 0, 0x2c, 0, 0x32, 0]);
    expect(() => decodeText('u.csv', utf16)).toThrow(/u\.csv: the file is UTF-16 text .*save it as UTF-8/);
    const noMark = new Uint8Array([0x31, 0, 0x2c, 0, 0x32, 0, 0x0a, 0]);
    expect(() => decodeText('u.csv', noMark)).toThrow(/looks like UTF-16/);
    expect(decodeText('ok.csv', new TextEncoder().encode('\ufeff1,2'))).toBe('1,2');
  });
});

describe('CSV exports', () => {
  it('escape cells a spreadsheet would evaluate, and keep plain numbers', async () => {
    const { csvField, labelsToCsv } = await import('../../src/data/export');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(['+1+2a', '-cmd', '@SUM(A1)', '\tx', '\rx'].map(csvField)).toEqual([
      "'+1+2a",
      "'-cmd",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(['-1', '+2.5', '-3e-4', 'alice'].map(csvField)).toEqual(['-1', '+2.5', '-3e-4', 'alice']);
    expect(labelsToCsv(new Int32Array([0, 1]), { ids: ['=a', 'b'], classNames: ['@c', '-d'] })).toBe(
      "id,label\n'=a,'@c\nb,'-d\n",
    );
  });
});
