// The recorded-states loader: NumPy's own .npy/.npz output (fixtures written by
// tests/data/fixtures/recorded/make.py), every shape and dtype check, the limits, and the
// metrics of a recorded stack.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/data/parse';
import { halfToNumber, readNumericNpy } from '../../src/engine/recorded/npyArray';
import { MAX_RECORDED_ENTRIES, type Recording } from '../../src/engine/recorded/format';
import { readRecording, type RawFile } from '../../src/engine/recorded/read';
import { recordedRunResult, recordingDataset, recordingId } from '../../src/engine/recorded/result';
import { arrayToNpy, numberToHalf } from '../../src/engine/recorded/write';
import { crc32, writeStoredZip } from '../../src/engine/recorded/zip';

const dir = new URL('./fixtures/recorded/', import.meta.url);
const fixture = (name: string): RawFile => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(name, dir))),
});
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as {
  bert: number[];
  plain: number[];
  attention: number[];
  layers: number[][];
};

async function errorOf(p: Promise<unknown>): Promise<DataFileError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

const npy = (
  name: string,
  values: number[],
  shape: number[],
  dtype: Parameters<typeof arrayToNpy>[2] = '<f4',
) => ({
  name,
  bytes: arrayToNpy(values, shape, dtype),
});
const npz = (name: string, members: RawFile[]): RawFile => ({ name, bytes: writeStoredZip(members) });
const flat = (rec: Recording, stack: number) => rec.stacks[stack].layers.flatMap((h) => Array.from(h));

describe('recorded hidden states: NumPy files', () => {
  for (const file of ['stacks.npz', 'stacks_compressed.npz'])
    it(`reads ${file} (np.${file.includes('compressed') ? 'savez_compressed' : 'savez'}): stacks, attention, labels`, async () => {
      const rec = await readRecording([fixture(file)]);
      expect(rec.n).toBe(5);
      expect(rec.stacks.map((s) => s.name).sort()).toEqual(['bert', 'plain']);
      const bert = rec.stacks.find((s) => s.name === 'bert')!;
      const plain = rec.stacks.find((s) => s.name === 'plain')!;
      expect(bert.widths).toEqual([4, 4, 4]);
      expect(flat(rec, rec.stacks.indexOf(bert))).toEqual(expected.bert.map(Math.fround));
      // float16 decoded exactly (expected.json holds the float16 values themselves)
      expect(flat(rec, rec.stacks.indexOf(plain))).toEqual(expected.plain);
      expect(bert.attention!.flatMap((p) => Array.from(p))).toEqual(expected.attention);
      expect(plain.attention).toBeNull();
      expect(Array.from(rec.labels!)).toEqual([0, 1, 1, 2, 0]);
      expect(rec.numClasses).toBe(3);
      expect(rec.graph).toBeNull();
    });

  it('reads one .npy per layer (widths may differ) with an edge_index of shape (2, E)', async () => {
    const rec = await readRecording(
      ['gcn_layer_2.npy', 'gcn_layer_0.npy', 'edge_index.npy', 'gcn_layer_1.npy'].map(fixture),
    );
    expect(rec.stacks).toHaveLength(1);
    expect(rec.stacks[0].name).toBe('gcn');
    expect(rec.stacks[0].widths).toEqual([6, 3, 3]);
    rec.stacks[0].layers.forEach((h, l) => expect(Array.from(h)).toEqual(expected.layers[l]));
    expect(rec.edgeCount).toBe(4);
    expect(Array.from(rec.graph!.rowPtr)).toEqual([0, 1, 3, 5, 7, 8]);
  });

  it('a lone (L+1, N, d) .npy is a stack named after its file', async () => {
    const rec = await readRecording([npy('vit-small.npy', [1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])]);
    expect(rec.stacks.map((s) => s.name)).toEqual(['vit-small']);
    expect(rec.stacks[0].layers.map((h) => Array.from(h))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });

  it('float16 both ways, rounding to nearest even', () => {
    for (const x of [0, -0, 1, -2.5, 65504, 6.103515625e-5, 2 ** -24, 0.1, 1e-3])
      expect(halfToNumber(numberToHalf(x))).toBe(
        x === 0.1 ? 0.0999755859375 : x === 1e-3 ? 1049 * 2 ** -20 : x,
      );
    expect(halfToNumber(numberToHalf(1e6))).toBe(Infinity);
    expect(halfToNumber(numberToHalf(NaN))).toBeNaN();
  });

  it('integer dtypes for labels and edges: int8 … uint64 and bool', () => {
    for (const dtype of ['<i4', '<i8'] as const)
      expect(Array.from(readNumericNpy('x.npy', arrayToNpy([3, 0, 2], [3], dtype), 100).data)).toEqual([
        3, 0, 2,
      ]);
    const bytes = arrayToNpy([1, 0, 1], [3], '<i4');
    // rewrite the header's dtype to one-byte types over the same three numbers' first bytes
    const header = new TextDecoder().decode(bytes.subarray(10, 128));
    const u1 = new TextEncoder().encode(header.replace("'<i4'", "'|u1'"));
    const b = new Uint8Array(10 + u1.length + 3);
    b.set(bytes.subarray(0, 10));
    b.set(u1, 10);
    b.set([1, 0, 1], 10 + u1.length);
    expect(readNumericNpy('x.npy', b, 100)).toMatchObject({ kind: 'int', dtype: '|u1', shape: [3] });
  });
});

describe('recorded hidden states: bad input says what is wrong and where', () => {
  it('a layer missing from a per-layer recording', async () => {
    const e = await errorOf(
      readRecording([npy('layer_0.npy', [1, 2], [1, 2]), npy('layer_2.npy', [1, 2], [1, 2])]),
    );
    expect(e.message).toMatch(/^layer_2\.npy: layer 1 is missing/);
  });

  it('stacks with different numbers of rows', async () => {
    const e = await errorOf(
      readRecording([
        npz('two.npz', [npy('a.npy', [1, 2, 3, 4], [2, 2, 1]), npy('b.npy', [1, 2, 3], [1, 3, 1])]),
      ]),
    );
    expect(e.message).toMatch(/^two\.npz › b\.npy: 3 rows, but a has 2/);
  });

  it('labels, edges and attention of the wrong shape or range', async () => {
    const stack = npy('h.npy', [1, 2, 3, 4, 5, 6], [3, 2, 1]);
    const labels = await errorOf(
      readRecording([npz('r.npz', [stack, npy('labels.npy', [0, 1, 2], [3], '<i8')])]),
    );
    expect(labels.message).toMatch(/labels must be integers of shape \(2,\)/);
    const floatLabels = await errorOf(readRecording([npz('r.npz', [stack, npy('labels.npy', [0, 1], [2])])]));
    expect(floatLabels.message).toMatch(/labels must be integers.*<f4/);
    const edges = await errorOf(
      readRecording([npz('r.npz', [stack, npy('edges.npy', [0, 2], [1, 2], '<i8')])]),
    );
    expect(edges.message).toMatch(/edge 0 names node 2, but the stacks have 2 rows/);
    const att = await errorOf(
      readRecording([npz('r.npz', [stack, npy('attention.npy', [1, 0, 0, 1], [1, 2, 2])])]),
    );
    expect(att.message).toMatch(/attention map must be float \(L, N, N\) = \(2, 2, 2\)/);
    const stray = await errorOf(readRecording([npz('r.npz', [stack, npy('weights.npy', [1, 2], [2])])]));
    expect(stray.message).toMatch(/^r\.npz › weights\.npy: an array of <f4, shape \(2,\), is none of/);
  });

  it('no hidden states, a string array, big-endian floats, a file that is not a zip', async () => {
    expect(
      (await errorOf(readRecording([npz('r.npz', [npy('labels.npy', [0], [1], '<i8')])]))).message,
    ).toMatch(/no hidden states/);
    const s = arrayToNpy([1], [1], '<i4');
    const header = new TextDecoder().decode(s.subarray(10, 128)).replace("'<i4'", "'<U1'");
    const str = new Uint8Array(s.length);
    str.set(s.subarray(0, 10));
    str.set(new TextEncoder().encode(header), 10);
    expect((await errorOf(readRecording([{ name: 's.npy', bytes: str }]))).message).toMatch(
      /dtype <U1 is not a number type/,
    );
    const big = new Uint8Array(s);
    big.set(
      new TextEncoder().encode(new TextDecoder().decode(s.subarray(10, 128)).replace("'<i4'", "'>f4'")),
      10,
    );
    expect((await errorOf(readRecording([{ name: 'b.npy', bytes: big }]))).message).toMatch(/big-endian/);
    expect((await errorOf(readRecording([{ name: 'x.npz', bytes: new Uint8Array(40) }]))).message).toMatch(
      /not a zip archive/,
    );
  });

  it('a damaged or truncated .npz', async () => {
    const good = writeStoredZip([npy('h.npy', [1, 2, 3, 4], [2, 2, 1])]);
    const damaged = new Uint8Array(good);
    damaged[good.length - 73 - 2] ^= 0xff; // the stored data's last number, before the directory
    const e = await errorOf(readRecording([{ name: 'd.npz', bytes: damaged }]));
    expect(e.message).toBe('d.npz: h.npy: its checksum does not match (a damaged file?)');
    const dir = new Uint8Array(good);
    new DataView(dir.buffer).setUint32(good.length - 22 - 51 + 42, 0xfffff, true); // the member's offset
    expect((await errorOf(readRecording([{ name: 'o.npz', bytes: dir }]))).message).toMatch(/^o\.npz: /);
    const cut = await errorOf(readRecording([{ name: 't.npz', bytes: good.subarray(0, 50) }]));
    expect(cut.message).toMatch(/^t\.npz: /);
  });

  it('sizes at the limit: the header alone decides, before anything is allocated', () => {
    const max = 12;
    expect(
      readNumericNpy('ok.npy', arrayToNpy(new Array(max).fill(1), [3, 4], '<f4'), max).data,
    ).toHaveLength(max);
    expect(() =>
      readNumericNpy('big.npy', arrayToNpy(new Array(max + 1).fill(1), [max + 1], '<f4'), max),
    ).toThrow(/holds 13 numbers, more than the 12 a recording may have/);
    // A header claiming 2²⁵ + 1 numbers with no data behind it is refused for its size, not its length.
    const text =
      `{'descr': '<f4', 'fortran_order': False, 'shape': (${MAX_RECORDED_ENTRIES + 1},), }`.padEnd(117) +
      '\n';
    const claim = new Uint8Array(128);
    claim.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0]);
    claim.set(new TextEncoder().encode(text), 10);
    expect(() => readNumericNpy('claim.npy', claim, MAX_RECORDED_ENTRIES)).toThrow(
      /33,554,433 numbers, more than/,
    );
  });
});

describe('recorded hidden states: metrics', () => {
  it('non-finite layers are flagged as the engines flag them; their metrics are not numbers', async () => {
    const rec = await readRecording([npy('nan.npy', [1, 0, 0, 1, 1, NaN, 0, 1, 2, 2, 2, 2], [3, 2, 2])]);
    const result = recordedRunResult(rec, rec.stacks[0], recordingId(rec));
    expect(result.firstNonFinite).toBe(1);
    expect(result.layers.map((l) => l.nonFinite)).toEqual([0, 1, 0]);
    expect(result.warnings[0]).toMatch(/^layer 1: 1 non-finite entries/);
    expect(result.layers[0].metrics.meanCosine).toBe(0);
    expect(result.layers[2].metrics.mu).toBe(0); // equal rows: consensus
  });

  it('attention similarity from the recorded maps: equal rows give 1, the identity 0', async () => {
    const n = 3;
    const uniform = new Array(n * n).fill(1 / n);
    const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const rec = await readRecording([
      npz('att.npz', [
        npy(
          'm.npy',
          new Array(3 * n * 2).fill(0).map((_, k) => Math.sin(k)),
          [3, n, 2],
        ),
        npy('m_attention.npy', [...uniform, ...identity], [2, n, n]),
      ]),
    ]);
    const result = recordedRunResult(rec, rec.stacks[0], 'x');
    expect(result.layers[0].metrics.attentionSimilarity).toBeNull();
    expect(result.layers[1].metrics.attentionSimilarity).toBeCloseTo(1, 12);
    expect(result.layers[2].metrics.attentionSimilarity).toBeCloseTo(0, 12);
    expect(result.recorded).toMatchObject({ model: 'm', n, d: 2, layers: 2, files: ['att.npz'] });
    expect(result.config.model).toBe('transformer');
  });

  it("the recording's inputs as a data set: layer 0, labels and graph", async () => {
    const rec = await readRecording(['gcn_layer_0.npy', 'gcn_layer_1.npy', 'edge_index.npy'].map(fixture));
    const ds = recordingDataset(rec);
    expect(ds.n).toBe(5);
    expect(ds.featureDim).toBe(6);
    expect(Array.from(ds.features)).toEqual(expected.layers[0].map(Math.fround));
    expect(ds.graph).toBe(rec.graph);
    expect(recordingId(rec)).toMatch(/^recorded:[0-9a-f]{16}$/);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
