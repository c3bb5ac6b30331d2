// A .npy array of any shape and of the numeric dtypes a recording may use: little-endian
// float16/32/64 for hidden states and attention maps, integers and booleans for labels and
// edge lists. The header is read by src/data/parse/npy.ts; here only the numbers are decoded.

import { readNpyHeader } from '../../data/parse/npy';
import { DataFileError } from '../../data/parse/errors';

export type NumericArray =
  | { kind: 'float'; dtype: string; shape: number[]; data: Float32Array | Float64Array }
  | { kind: 'int'; dtype: string; shape: number[]; data: Float64Array };

/** IEEE half precision to a number (NumPy's float16). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The integer dtypes (and NumPy's bool), each by how it reads one little-endian entry. */
const INT_READERS: Record<string, (view: DataView, at: number) => number> = {
  i1: (v, at) => v.getInt8(at),
  u1: (v, at) => v.getUint8(at),
  b1: (v, at) => v.getUint8(at),
  i2: (v, at) => v.getInt16(at, true),
  u2: (v, at) => v.getUint16(at, true),
  i4: (v, at) => v.getInt32(at, true),
  u4: (v, at) => v.getUint32(at, true),
  i8: (v, at) => Number(v.getBigInt64(at, true)),
  u8: (v, at) => Number(v.getBigUint64(at, true)),
};

/**
 * Decode a .npy file. `maxEntries` bounds the numbers it may hold (checked from the header,
 * before anything is allocated). Throws DataFileError naming `name`.
 */
export function readNumericNpy(name: string, bytes: Uint8Array, maxEntries: number): NumericArray {
  const fail = (what: string): never => {
    throw new DataFileError(name, undefined, what);
  };
  const { dtype, shape, shapeText, dataStart } = readNpyHeader(name, bytes);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(dtype);
  if (!m) fail(`dtype ${dtype} is not a number type (save floats or integers, e.g. arr.astype('<f4'))`);
  const [, order, letter, sizeText] = m!;
  const size = Number(sizeText);
  const code = `${letter}${size}`;
  const float = letter === 'f';
  if (float ? ![2, 4, 8].includes(size) : INT_READERS[code] === undefined)
    fail(`dtype ${dtype} is not read (float16/32/64, integers or booleans)`);
  // '>' is big-endian; '|' and '=' are fine for one-byte types, '=' means native (little here).
  if (order === '>' && size > 1) fail(`dtype ${dtype} is big-endian; save with arr.astype('<${code}')`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > maxEntries)
    fail(
      `shape ${shapeText} holds ${count.toLocaleString('en-US')} numbers, more than the ${maxEntries.toLocaleString('en-US')} a recording may have`,
    );
  const have = bytes.length - dataStart;
  if (have !== count * size)
    fail(`shape ${shapeText} of ${dtype} needs ${count * size} data bytes, the file has ${have}`);
  // A fresh, aligned copy of the data bytes.
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + count * size));
  const view = new DataView(raw.buffer);
  if (float) {
    if (size === 4) return { kind: 'float', dtype, shape, data: new Float32Array(raw.buffer) };
    if (size === 8) return { kind: 'float', dtype, shape, data: new Float64Array(raw.buffer) };
    const out = new Float32Array(count);
    for (let k = 0; k < count; k++) out[k] = halfToNumber(view.getUint16(2 * k, true));
    return { kind: 'float', dtype, shape, data: out };
  }
  const read = INT_READERS[code];
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = read(view, k * size);
  return { kind: 'int', dtype, shape, data: out };
}
