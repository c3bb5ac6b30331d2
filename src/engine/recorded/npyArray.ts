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

const INT_SIZES: Record<string, number> = { i1: 1, i2: 2, i4: 4, i8: 8, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1 };

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
  if (float ? ![2, 4, 8].includes(size) : INT_SIZES[code] === undefined)
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
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const o = k * size;
    switch (code) {
      case 'i1':
        out[k] = view.getInt8(o);
        break;
      case 'u1':
      case 'b1':
        out[k] = view.getUint8(o);
        break;
      case 'i2':
        out[k] = view.getInt16(o, true);
        break;
      case 'u2':
        out[k] = view.getUint16(o, true);
        break;
      case 'i4':
        out[k] = view.getInt32(o, true);
        break;
      case 'u4':
        out[k] = view.getUint32(o, true);
        break;
      case 'i8':
        out[k] = Number(view.getBigInt64(o, true));
        break;
      default:
        out[k] = Number(view.getBigUint64(o, true));
    }
  }
  return { kind: 'int', dtype, shape, data: out };
}
