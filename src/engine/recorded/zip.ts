// The zip container of NumPy's .npz: np.savez writes its members stored (method 0),
// np.savez_compressed deflated (method 8), both with ZIP64 local headers. Members are found
// through the central directory (whose sizes are exact), decompressed with the platform's
// DecompressionStream('deflate-raw') (browsers and Node 18+), and checked against their CRC-32.

import { DataFileError } from '../../data/parse/errors';

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE), as zip stores it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the member's local header. */
  offset: number;
}

/** The members of a zip archive, from its central directory. */
export function listZip(file: string, bytes: Uint8Array): ZipEntry[] {
  try {
    return readDirectory(file, bytes);
  } catch (err) {
    // A field pointing outside the file (a damaged or cut archive) reads past the end.
    if (err instanceof RangeError)
      throw new DataFileError(file, undefined, 'a damaged zip archive (a field points past its end)');
    throw err;
  }
}

function readDirectory(file: string, bytes: Uint8Array): ZipEntry[] {
  const fail = (what: string): never => {
    throw new DataFileError(file, undefined, what);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record sits in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--)
    if (view.getUint32(p, true) === EOCD) {
      eocd = p;
      break;
    }
  if (eocd < 0) fail('not a zip archive (.npz): no end of central directory');
  let count = view.getUint16(eocd + 10, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== ZIP64_LOCATOR) fail('a ZIP64 archive without its locator');
    const rec = Number(view.getBigUint64(loc + 8, true));
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== ZIP64_EOCD)
      fail('a broken ZIP64 end record');
    count = Number(view.getBigUint64(rec + 32, true));
    dirOffset = Number(view.getBigUint64(rec + 48, true));
  }
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let e = 0; e < count; e++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) fail('a broken central directory');
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let offset = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extra field (id 1): the 64-bit values of those fields that hold 0xffffffff, in order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        const next = (): number => {
          const v = Number(view.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (offset === 0xffffffff) offset = next();
      }
      x += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, crc, offset });
    p = xEnd + commentLen;
  }
  return entries;
}

async function inflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(data)])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The bytes of one member. `maxBytes` bounds its uncompressed size (from the directory, checked
 * before inflating, and again after).
 */
export async function readZipEntry(
  file: string,
  bytes: Uint8Array,
  entry: ZipEntry,
  maxBytes: number,
): Promise<Uint8Array> {
  const fail = (what: string): never => {
    throw new DataFileError(file, undefined, `${entry.name}: ${what}`);
  };
  if (entry.size > maxBytes)
    fail(
      `${(entry.size / 2 ** 20).toFixed(0)} MiB unpacked, more than the ${maxBytes / 2 ** 20} MiB allowed`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.offset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== LOCAL) fail('its local header is missing');
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) fail('the archive ends inside this member (a truncated file?)');
  const packed = bytes.subarray(start, end);
  let out: Uint8Array;
  if (entry.method === 0) out = packed;
  else if (entry.method === 8) {
    try {
      out = await inflateRaw(packed);
    } catch (err) {
      return fail(`cannot be inflated (${err instanceof Error ? err.message : String(err)})`);
    }
  } else
    return fail(`compression method ${entry.method} is not read (stored or deflate, as np.savez writes)`);
  if (out.length !== entry.size) fail(`${out.length} bytes unpacked, the directory says ${entry.size}`);
  if (crc32(out) !== entry.crc) fail('its checksum does not match (a damaged file?)');
  return out;
}

/** A zip archive with every member stored (method 0): what np.savez writes, without ZIP64. */
export function writeStoredZip(members: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const crc = crc32(m.bytes);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, m.bytes.length, true);
    lv.setUint32(22, m.bytes.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const dir = new Uint8Array(46 + name.length);
    const dv = new DataView(dir.buffer);
    dv.setUint32(0, CENTRAL, true);
    dv.setUint16(4, 20, true);
    dv.setUint16(6, 20, true);
    dv.setUint32(16, crc, true);
    dv.setUint32(20, m.bytes.length, true);
    dv.setUint32(24, m.bytes.length, true);
    dv.setUint16(28, name.length, true);
    dv.setUint32(42, offset, true);
    dir.set(name, 46);
    parts.push(local, m.bytes);
    central.push(dir);
    offset += local.length + m.bytes.length;
  }
  const dirSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, EOCD, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + dirSize + 22);
  let o = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}
