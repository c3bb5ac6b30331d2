import { describe, expect, it } from 'vitest';
import {
  DataFileError,
  parseEdgeList,
  parseLinqs,
  parseNpy,
  parseTokensCsv,
  readNpy,
  summarize,
} from '../../src/data/parse';
import { registerDataset } from '../../src/data/datasets';

/** The DataFileError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

function rows(csr: { rowPtr: Uint32Array; colIdx: Uint32Array }): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 1 < csr.rowPtr.length; i++)
    out.push(Array.from(csr.colIdx.subarray(csr.rowPtr[i], csr.rowPtr[i + 1])));
  return out;
}

describe('DataFileError', () => {
  it('reads "file, line N: reason" and keeps the parts', () => {
    const e = new DataFileError('cora.cites', 17, 'unknown node id "35x" (not in cora.content)');
    expect(e.message).toBe('cora.cites, line 17: unknown node id "35x" (not in cora.content)');
    expect([e.file, e.line, e.reason]).toEqual([
      'cora.cites',
      17,
      'unknown node id "35x" (not in cora.content)',
    ]);
    expect(new DataFileError('x.npy', undefined, 'bad').message).toBe('x.npy: bad');
    expect(e).toBeInstanceOf(Error);
  });
});

describe('LINQS .content/.cites', () => {
  const content = {
    name: 'toy.content',
    text: [
      'p10\t1\t0\t0.5\tTheory',
      'p20\t0\t1\t0\tNeural_Networks',
      'p30  1  1  -2.5e-1  Theory', // spaces, a real-valued feature
      'p40\t0\t0\t0\tRL',
      '',
    ].join('\r\n'),
  };
  const cites = {
    name: 'toy.cites',
    text: 'p10\tp20\np20\tp10\np30\tp10\np30\tp10\np40\tp40\np20 p30\n',
  };

  it('parses features, names labels by first appearance, normalizes and reports the edges', () => {
    const r = parseLinqs({ content, cites });
    const ds = r.dataset;
    expect([ds.n, ds.featureDim, ds.numClasses]).toEqual([4, 3, 3]);
    expect(Array.from(ds.features)).toEqual([1, 0, 0.5, 0, 1, 0, 1, 1, -0.25, 0, 0, 0]);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 0, 2]);
    expect(r.classNames).toEqual(['Theory', 'Neural_Networks', 'RL']);
    expect(r.nodeIds).toEqual(['p10', 'p20', 'p30', 'p40']);
    expect(rows(ds.graph!)).toEqual([[1, 2], [0, 2], [0, 1], []]);
    expect(ds.name).toBe('toy');
    expect(ds.id).toMatch(/^linqs:toy:[0-9a-f]{16}$/);
    expect(r.summary).toEqual({
      nodes: 4,
      edges: 3,
      isolated: 1,
      components: 2,
      classes: 3,
      featureDim: 3,
      selfLoopsRemoved: 1, // p40 p40
      duplicatesRemoved: 1, // p30 p10 twice
      oneDirectionalAdded: 2, // p30–p10 and p20–p30; p10–p20 came both ways
      unlabelled: 0,
      warnings: [],
    });
    registerDataset(ds); // the registry accepts it
    // Same text, same id; other text, other id.
    expect(parseLinqs({ content, cites }).dataset.id).toBe(ds.id);
    expect(parseLinqs({ content, cites: { ...cites, text: 'p10 p20\n' } }).dataset.id).not.toBe(ds.id);
  });

  it.each([
    [
      'unknown id in an edge',
      { cites: { name: 'toy.cites', text: 'p10 p20\np10 35x\n' } },
      'toy.cites',
      2,
      /unknown node id "35x" \(not in toy\.content\)/,
    ],
    [
      'ragged row',
      { content: { name: 'toy.content', text: 'a 1 0 X\nb 1 X\n' } },
      'toy.content',
      2,
      /ragged row: 1 features where the first line has 2/,
    ],
    [
      'non-number',
      { content: { name: 'toy.content', text: 'a 1 0 X\nb 1 0x1 X\n' } },
      'toy.content',
      2,
      /feature 2 is "0x1", not a number/,
    ],
    [
      'duplicate id',
      { content: { name: 'toy.content', text: 'a 1 X\nb 1 X\n\na 0 Y\n' } },
      'toy.content',
      4,
      /duplicate node id "a"/,
    ],
    [
      'empty content',
      { content: { name: 'toy.content', text: '\n  \n' } },
      'toy.content',
      undefined,
      /the file is empty/,
    ],
    ['empty cites', { cites: { name: 'toy.cites', text: '' } }, 'toy.cites', undefined, /the file is empty/],
    [
      'too few fields',
      { content: { name: 'toy.content', text: 'a X\n' } },
      'toy.content',
      1,
      /needs an id, at least one feature and a label/,
    ],
    [
      'three-field cite',
      { cites: { name: 'toy.cites', text: 'p10 p20 p30\n' } },
      'toy.cites',
      1,
      /expected 2 fields/,
    ],
  ])('rejects %s, naming the file and line', (_, files, file, line, message) => {
    const e = errorOf(() => parseLinqs({ content, cites, ...files }));
    expect(e.file).toBe(file);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    if (line !== undefined) expect(e.message.startsWith(`${file}, line ${line}: `)).toBe(true);
  });

  it('can skip edges naming unknown ids, and says so', () => {
    const r = parseLinqs(
      { content, cites: { name: 'toy.cites', text: 'p10 p20\np10 zz\n' } },
      { unknownIds: 'skip' },
    );
    expect(r.summary.edges).toBe(1);
    expect(r.summary.warnings[0]).toMatch(/1 line of toy\.cites named unknown ids/);
  });
});

describe('edge lists', () => {
  it('maps string ids in order of first appearance, detects a header, keeps weights', () => {
    const r = parseEdgeList({
      edges: {
        name: 'g.csv',
        text: 'source,target,weight\nalice,bob,2\nbob,carol,0.5\ncarol,carol,1\nbob,alice,3\n',
      },
    });
    const ds = r.dataset;
    expect(r.nodeIds).toEqual(['alice', 'bob', 'carol']);
    expect(rows(ds.graph!)).toEqual([[1], [0, 2], [1]]);
    expect(Array.from(ds.graph!.weights!)).toEqual([3, 3, 0.5, 0.5]); // the larger weight of a pair
    expect(ds.featureDim).toBe(16);
    expect(ds.labels).toBeUndefined();
    expect(r.summary).toMatchObject({
      nodes: 3,
      edges: 2,
      selfLoopsRemoved: 1,
      oneDirectionalAdded: 1,
      unlabelled: 3,
    });
    expect(r.summary.warnings[0]).toMatch(/no features file: 16 seeded random/);
    // Seeded: the same input gives the same random features.
    const again = parseEdgeList({
      edges: { name: 'g.csv', text: 'alice,bob,2\nbob,carol,0.5\ncarol,carol,1\nbob,alice,3\n' },
    });
    expect(again.nodeIds).toEqual(['alice', 'bob', 'carol']);
    expect(Array.from(again.dataset.features)).toEqual(Array.from(ds.features));
  });

  it('reads TSV and whitespace without a header, and # comments; all-1 weights give an unweighted graph', () => {
    const tsv = parseEdgeList({ edges: { name: 'g.tsv', text: '# a comment\n1\t2\t1\n2\t3\t1\n' } });
    expect(tsv.nodeIds).toEqual(['1', '2', '3']);
    expect(tsv.dataset.graph!.weights).toBeUndefined();
    const ws = parseEdgeList({ edges: { name: 'g.txt', text: '% KONECT\n10 20\n20 30\n10 20\n' } });
    expect(rows(ws.dataset.graph!)).toEqual([[1], [0, 2], [1]]);
    expect(ws.summary.duplicatesRemoved).toBe(1);
  });

  it('takes nodes and their order from a features file (extra nodes stay isolated) and labels from a labels file', () => {
    const r = parseEdgeList({
      edges: { name: 'e.csv', text: 'b,a\nc,b\n' },
      features: { name: 'f.csv', text: 'id,x,y\na,1,2\nb,3,4\nc,5,6\nd,7,8\n' },
      labels: { name: 'l.csv', text: 'node,label\nd,cat\na,dog\nb,cat\n' },
    });
    const ds = r.dataset;
    expect(r.nodeIds).toEqual(['a', 'b', 'c', 'd']);
    expect(Array.from(ds.features)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows(ds.graph!)).toEqual([[1], [0, 2], [1], []]);
    expect(Array.from(ds.labels!)).toEqual([1, 0, -1, 0]);
    expect(r.classNames).toEqual(['cat', 'dog']);
    expect(r.summary).toMatchObject({
      isolated: 1,
      components: 2,
      classes: 2,
      unlabelled: 1,
      featureDim: 2,
      warnings: [],
    });
  });

  it('uses integer labels as class indices', () => {
    const r = parseEdgeList({
      edges: { name: 'e.csv', text: '0,1\n1,2\n' },
      labels: { name: 'l.csv', text: '0,2\n1,0\n2,-1\n' },
    });
    expect(Array.from(r.dataset.labels!)).toEqual([2, 0, -1]);
    expect(r.dataset.numClasses).toBe(3);
  });

  const edges = { name: 'e.csv', text: 'a,b\nb,c\n' };
  it.each([
    [
      'a ragged edge row',
      { edges: { name: 'e.csv', text: 'a,b\nb,c,1\n' } },
      'e.csv',
      2,
      /ragged row: 3 fields where the first row has 2/,
    ],
    [
      'a bad weight',
      { edges: { name: 'e.csv', text: 'a,b,1\nb,c,heavy\n' } },
      'e.csv',
      2,
      /weight "heavy" is not a number/,
    ],
    [
      'a non-positive weight',
      { edges: { name: 'e.csv', text: 'a,b,1\nb,c,-1\n' } },
      'e.csv',
      2,
      /weight -1 is not positive/,
    ],
    ['an empty edge file', { edges: { name: 'e.csv', text: '\n' } }, 'e.csv', undefined, /the file is empty/],
    [
      'a header and no edges',
      { edges: { name: 'e.csv', text: 'source,target\n' } },
      'e.csv',
      undefined,
      /header but no edges/,
    ],
    [
      'an edge id not in the features',
      { features: { name: 'f.csv', text: 'a,1\nb,2\n' } },
      'e.csv',
      2,
      /unknown node id "c" \(not in f\.csv\)/,
    ],
    [
      'a ragged features row',
      { features: { name: 'f.csv', text: 'a,1,2\nb,2\nc,3,3\n' } },
      'f.csv',
      2,
      /ragged row: 1 features where others have 2/,
    ],
    [
      'a non-number feature',
      { features: { name: 'f.csv', text: 'a,1\nb,NaN\nc,1\n' } },
      'f.csv',
      2,
      /feature 1 is "NaN", not a number/,
    ],
    [
      'a duplicate features id',
      { features: { name: 'f.csv', text: 'a,1\nb,2\na,3\n' } },
      'f.csv',
      3,
      /duplicate node id "a"/,
    ],
    [
      'a label for an unknown id',
      { labels: { name: 'l.csv', text: 'a,x\nzz,y\n' } },
      'l.csv',
      2,
      /unknown node id "zz" \(not in e\.csv\)/,
    ],
    [
      'a second label',
      { labels: { name: 'l.csv', text: 'a,x\na,y\n' } },
      'l.csv',
      2,
      /a second label for node id "a"/,
    ],
    [
      'a labels file that labels no node',
      { labels: { name: 'l.csv', text: 'id,label\n' } },
      'l.csv',
      undefined,
      /labels no node/,
    ],
    [
      'an empty labels file',
      { labels: { name: 'l.csv', text: '' } },
      'l.csv',
      undefined,
      /the file is empty/,
    ],
  ])('rejects %s, naming the file and line', (_, files, file, line, message) => {
    const e = errorOf(() => parseEdgeList({ edges, ...files }));
    expect(e.file).toBe(file);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
  });
});

describe('token embeddings', () => {
  it('reads CSV with or without a header', () => {
    const r = parseTokensCsv({ name: 'emb.csv', text: 'x,y,z\n1,2,3\n4,5,6e-1\n' });
    expect([r.dataset.n, r.dataset.featureDim]).toEqual([2, 3]);
    expect(Array.from(r.dataset.features)).toEqual([1, 2, 3, 4, 5, Math.fround(0.6)]);
    expect(r.dataset.graph).toBeUndefined();
    expect(r.summary).toMatchObject({
      nodes: 2,
      edges: null,
      isolated: null,
      components: null,
      unlabelled: 2,
    });
    const tsv = parseTokensCsv({ name: 'emb.tsv', text: '1\t2\n3\t4\n' });
    expect(Array.from(tsv.dataset.features)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['ragged', '1,2\n3\n', 2, /ragged row: 1 columns where the first row has 2/],
    ['non-number', '1,2\n3,four\n', 2, /column 2 is "four", not a number/],
    ['header only', 'a,b\n', undefined, /header but no rows/],
    ['empty', '', undefined, /the file is empty/],
  ])('rejects a %s CSV', (_, text, line, message) => {
    const e = errorOf(() => parseTokensCsv({ name: 'emb.csv', text }));
    expect([e.file, e.line]).toEqual(['emb.csv', line]);
    expect(e.message).toMatch(message);
  });

  /** A .npy file written by hand, as NumPy lays it out. */
  function npy(header: string, data: ArrayBufferView, version = 1, magic = '\x93NUMPY'): Uint8Array {
    const lenBytes = version === 1 ? 2 : 4;
    const pre = 6 + 2 + lenBytes;
    const total = Math.ceil((pre + header.length + 1) / 64) * 64;
    const h = header.padEnd(total - pre - 1, ' ') + '\n';
    const bytes = new Uint8Array(total + data.byteLength);
    for (let i = 0; i < 6; i++) bytes[i] = magic.charCodeAt(i);
    bytes[6] = version;
    const view = new DataView(bytes.buffer);
    if (version === 1) view.setUint16(8, h.length, true);
    else view.setUint32(8, h.length, true);
    for (let i = 0; i < h.length; i++) bytes[pre + i] = h.charCodeAt(i);
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
    return bytes;
  }

  it('reads .npy versions 1.0, 2.0 and 3.0, float32 and float64, (N, d) and (N,)', () => {
    const f4 = npy(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
      new Float32Array([1, 2, 3, 4, 5, 6.5]),
    );
    const r = parseNpy('emb.npy', f4);
    expect([r.dataset.n, r.dataset.featureDim]).toEqual([2, 3]);
    expect(Array.from(r.dataset.features)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(r.dataset.id).toMatch(/^npy:emb:[0-9a-f]{16}$/);
    const f8 = npy(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
      new Float64Array([0.1, -2, 3]),
      2,
    );
    const v = parseNpy('v.npy', f8);
    expect([v.dataset.n, v.dataset.featureDim]).toEqual([3, 1]);
    expect(Array.from(v.dataset.features)).toEqual([Math.fround(0.1), -2, 3]);
    const v3 = npy('{"descr": "<f4", "fortran_order": False, "shape": (1, 2)}', new Float32Array([7, 8]), 3);
    expect(Array.from(readNpy('v3.npy', v3).data)).toEqual([7, 8]);
    // Unaligned input bytes are fine.
    const shifted = new Uint8Array(f4.length + 1);
    shifted.set(f4, 1);
    expect(Array.from(parseNpy('emb.npy', shifted.subarray(1)).dataset.features)).toEqual([
      1, 2, 3, 4, 5, 6.5,
    ]);
  });

  const good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  const four = new Float32Array([1, 2, 3, 4]);
  it.each([
    ['a wrong magic', npy(good, four, 1, '\x93NUMPX'), /does not start with \\x93NUMPY/],
    ['a bad version', npy(good, four, 4), /unsupported \.npy format version 4\.0/],
    ['a big-endian dtype', npy(good.replace('<f4', '>f4'), four), /dtype >f4 .*big-endian/],
    ['an integer dtype', npy(good.replace('<f4', '<i4'), four), /dtype <i4 .*integers/],
    ['Fortran order', npy(good.replace('False', 'True'), four), /Fortran \(column-major\) order/],
    ['a size mismatch', npy(good.replace('(2, 2)', '(2, 3)'), four), /needs 24 data bytes, the file has 16/],
    ['a 3-d shape', npy(good.replace('(2, 2)', '(1, 2, 2)'), four), /3 dimensions/],
    ['a header that is not a dict', npy('print(1)', four), /not a dictionary/],
    ['a missing shape', npy("{'descr': '<f4', 'fortran_order': False}", four), /no "shape"/],
    ['a NaN', npy(good, new Float32Array([1, NaN, 3, 4])), /entry \(row 0, column 1\) is NaN/],
    [
      'a cut-short file',
      new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 200, 0, 1]),
      /file ends before/,
    ],
  ])('rejects a .npy with %s', (_, bytes, message) => {
    const e = errorOf(() => parseNpy('emb.npy', bytes));
    expect(e.file).toBe('emb.npy');
    expect(e.message).toMatch(message);
  });
});

describe('limits and summaries', () => {
  it('refuses more than 2^28 feature entries, naming the limit, before allocating', () => {
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 4097), }`;
    const bytes = new Uint8Array(128);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const h = header.padEnd(128 - 11, ' ') + '\n';
    new DataView(bytes.buffer).setUint16(8, h.length, true);
    for (let i = 0; i < h.length; i++) bytes[10 + i] = h.charCodeAt(i);
    expect(() => parseNpy('big.npy', bytes)).toThrow(
      /big\.npy: 65,536 rows × 4,097 features = 268,500,992 entries, over the limit of 2\^28 = 268,435,456/,
    );
    // Text parsers check at the first row, before reading (or allocating for) the rest.
    const wide = `a ${'0 '.repeat(100_000)}X\n` + 'b 1 X\n'.repeat(2699);
    const e = errorOf(() =>
      parseLinqs({ content: { name: 'big.content', text: wide }, cites: { name: 'c', text: 'a a' } }),
    );
    expect(e.message).toMatch(/2,700 rows × 100,000 features = 270,000,000 entries, over the limit of 2\^28/);
    const tokens = `${'0,'.repeat(99_999)}0\n` + '1\n'.repeat(2699);
    expect(() => parseTokensCsv({ name: 'big.csv', text: tokens })).toThrow(/big\.csv: 2,700 rows × 100,000/);
  });

  it('summarize counts isolated nodes, components and unlabelled nodes', () => {
    const s = summarize(
      {
        id: 't',
        name: 't',
        n: 3,
        featureDim: 1,
        features: new Float32Array(3),
        graph: { rowPtr: new Uint32Array([0, 1, 2, 2]), colIdx: new Uint32Array([1, 0]) },
        labels: new Int32Array([0, -1, -1]),
        numClasses: 1,
      },
      { selfLoopsRemoved: 2 },
    );
    expect(s).toEqual({
      nodes: 3,
      edges: 1,
      isolated: 1,
      components: 2,
      classes: 1,
      featureDim: 1,
      selfLoopsRemoved: 2,
      duplicatesRemoved: 0,
      oneDirectionalAdded: 0,
      unlabelled: 2,
      warnings: [],
    });
  });
});

describe('.npy from a Node Buffer', () => {
  it('reads the numbers, not the Buffer pool around them (Buffer.slice is a view)', async () => {
    const { matrixToNpy } = await import('../../src/data/export');
    const data = new Float32Array([1.5, -2, 3.25, 4, 5, 6]);
    // A small Buffer.from lives inside Node's shared 8 KiB pool, at a non-zero offset.
    const buffer = Buffer.from(matrixToNpy(data, 3, 2));
    expect(buffer.byteOffset).toBeGreaterThan(0);
    expect(readNpy('pooled.npy', buffer).data).toEqual(data);
  });
});
