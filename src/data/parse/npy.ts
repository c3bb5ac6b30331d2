// NumPy .npy arrays (format versions 1.0, 2.0 and 3.0): little-endian float32 or float64,
// C order, shape (N, d) or (N,). The header, a Python dict literal, is read with a small
// pattern match, never evaluated.

import { checkFeatureLimit, Fingerprint, parsedDataset, type ParseResult } from './common';
import { DataFileError } from './errors';
import { summarize } from './summary';

export interface NpyArray {
  dtype: '<f4' | '<f8';
  shape: number[];
  /** The numbers in C (row-major) order, a fresh aligned copy. */
  data: Float32Array | Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function headerValue(header: string, key: string): string | undefined {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*`).exec(header);
  if (!m) return undefined;
  const rest = header.slice(m.index + m[0].length);
  const v = /^('[^']*'|"[^"]*"|True|False|\([^)]*\))/.exec(rest);
  return v ? v[1] : undefined;
}

/** A .npy header: the dtype string ("<f4"), the shape, and where the data starts. */
export interface NpyHeader {
  dtype: string;
  shape: number[];
  /** The shape as written in the header, for messages. */
  shapeText: string;
  dataStart: number;
}

/**
 * Read a .npy header (any dtype and number of dimensions; C order only). Throws DataFileError
 * for anything that is not one.
 */
export function readNpyHeader(name: string, bytes: Uint8Array): NpyHeader {
  const fail = (what: string): never => {
    throw new DataFileError(name, undefined, what);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    fail('not a NumPy .npy file (it does not start with \\x93NUMPY)');
  const major = bytes[6];
  const minor = bytes[7];
  if (!(major >= 1 && major <= 3) || minor !== 0)
    fail(`unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('the header is cut short');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  const dataStart = start + headerLen;
  if (dataStart > bytes.length) fail(`the header claims ${headerLen} bytes but the file ends before`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataStart));
  if (!/^\s*\{[\s\S]*\}\s*$/.test(header))
    fail(`the header is not a dictionary: ${JSON.stringify(header.slice(0, 80))}`);

  const descr = headerValue(header, 'descr');
  if (descr === undefined) fail('the header has no "descr" (dtype)');
  const dtype = descr!.slice(1, -1);
  const fortran = headerValue(header, 'fortran_order');
  if (fortran === undefined) fail('the header has no "fortran_order"');
  if (fortran === 'True')
    fail('the array is in Fortran (column-major) order; save np.ascontiguousarray(arr)');
  if (fortran !== 'False') fail(`"fortran_order" is ${fortran}, not True or False`);
  const shapeText = headerValue(header, 'shape');
  if (shapeText === undefined || shapeText[0] !== '(') fail('the header has no "shape" tuple');
  const parts = shapeText!
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!parts.every((s) => /^\d+$/.test(s))) fail(`shape ${shapeText} is not a tuple of integers`);
  return { dtype, shape: parts.map(Number), shapeText: shapeText!, dataStart };
}

/** Read a .npy file's header and numbers. Throws DataFileError for anything else. */
export function readNpy(name: string, bytes: Uint8Array): NpyArray {
  const fail = (what: string): never => {
    throw new DataFileError(name, undefined, what);
  };
  const { dtype, shape, shapeText, dataStart } = readNpyHeader(name, bytes);
  if (dtype !== '<f4' && dtype !== '<f8') {
    const hint = /^>f[48]$/.test(dtype)
      ? 'big-endian floats are not read'
      : /^[<>|=]?[iub]/.test(dtype)
        ? 'integers and booleans are not read'
        : 'only float32 and float64 are read';
    fail(`dtype ${dtype} is not little-endian float32/float64 (${hint}; save with arr.astype('<f4'))`);
  }
  if (shape.length < 1 || shape.length > 2)
    fail(`shape ${shapeText} has ${shape.length} dimensions; an (N, d) matrix or an (N,) vector is read`);

  checkFeatureLimit(name, shape[0], shape.length === 2 ? shape[1] : 1);
  const itemSize = dtype === '<f4' ? 4 : 8;
  const count = shape.reduce((a, b) => a * b, 1);
  const have = bytes.length - dataStart;
  if (have !== count * itemSize)
    fail(`shape ${shapeText} of ${dtype} needs ${count * itemSize} data bytes, the file has ${have}`);
  // A fresh, aligned copy: `new Uint8Array(view)` always copies, where Node's Buffer.slice would
  // return a view into a shared pool.
  const copy = new Uint8Array(bytes.subarray(dataStart, bytes.length));
  const data = itemSize === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
  return { dtype: dtype as '<f4' | '<f8', shape, data };
}

/** Token embeddings from a .npy (N, d) or (N,) float array (no graph, no labels). */
export function parseNpy(name: string, bytes: Uint8Array, options: { name?: string } = {}): ParseResult {
  const arr = readNpy(name, bytes);
  const n = arr.shape[0];
  const d = arr.shape.length === 2 ? arr.shape[1] : 1;
  if (n === 0 || d === 0)
    throw new DataFileError(name, undefined, `shape (${arr.shape.join(', ')}) holds no numbers`);
  const features = arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data);
  for (let k = 0; k < features.length; k++)
    if (!Number.isFinite(features[k]))
      throw new DataFileError(
        name,
        undefined,
        `entry (row ${Math.floor(k / d)}, column ${k % d}) is ${arr.data[k]}` +
          (Number.isFinite(arr.data[k]) ? ' (too large for float32)' : ''),
      );
  const dsName = options.name ?? name.replace(/\.[^./\\]*$/, '');
  const dataset = parsedDataset('npy', dsName, new Fingerprint().bytes(bytes), {
    n,
    featureDim: d,
    features,
  });
  return { dataset, summary: summarize(dataset) };
}
