// Bytes to text for the text loaders: UTF-8 (a byte-order mark is dropped). UTF-16 and binary
// files are refused with what they are, rather than decoded into text full of NUL characters
// whose first "line" then gives a misleading message.
import { DataFileError } from '../parse/errors';

/** Bytes looked at for NUL characters (UTF-16 and binary files have them early). */
const PROBE_BYTES = 4096;

export function decodeText(name: string, bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))
    throw new DataFileError(
      name,
      undefined,
      `the file is UTF-16 text (${b0 === 0xff ? 'little' : 'big'}-endian byte-order mark); save it as UTF-8`,
    );
  const probe = Math.min(bytes.length, PROBE_BYTES);
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < probe; i++) {
    if (bytes[i] !== 0) continue;
    if (i & 1) nulOdd++;
    else nulEven++;
  }
  if (nulEven + nulOdd > 0) {
    // ASCII in UTF-16 without a mark: every other byte is NUL.
    const utf16 = probe >= 4 && Math.max(nulEven, nulOdd) >= probe / 2 - 2 && Math.min(nulEven, nulOdd) === 0;
    throw new DataFileError(
      name,
      undefined,
      utf16
        ? 'the file looks like UTF-16 text (every other byte is zero); save it as UTF-8'
        : 'the file holds binary data (zero bytes), not text; text files are read as UTF-8',
    );
  }
  return new TextDecoder().decode(bytes);
}
