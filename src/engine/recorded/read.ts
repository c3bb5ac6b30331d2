// From the bytes of the chosen files (one .npz, one .npy stack, or several .npy) to a Recording.

import { DataFileError } from '../../data/parse/errors';
import { assembleRecording, MAX_RECORDED_ENTRIES, type NamedArray, type Recording } from './format';
import { readNumericNpy } from './npyArray';
import { listZip, readZipEntry } from './zip';

export interface RawFile {
  name: string;
  bytes: Uint8Array;
}

const isZip = (b: Uint8Array) =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);
const baseName = (name: string) => name.replace(/^.*[\\/]/, '').replace(/\.(npy|npz)$/i, '');

/** Does this set of file names look like a recording (rather than one of the data loaders' formats)? */
export function looksRecorded(names: string[]): boolean {
  return (
    names.some((n) => /\.npz$/i.test(n)) || names.filter((n) => /layer[_-]?\d+\.npy$/i.test(n)).length > 1
  );
}

/** Read a recording's arrays, within MAX_RECORDED_ENTRIES numbers in all. */
export async function readRecording(raws: RawFile[], onStage?: (stage: string) => void): Promise<Recording> {
  if (raws.length === 0) throw new DataFileError('recording', undefined, 'no file given');
  const arrays: NamedArray[] = [];
  let used = 0;
  const take = (file: string, key: string, bytes: Uint8Array) => {
    const array = readNumericNpy(file, bytes, MAX_RECORDED_ENTRIES - used);
    used += array.data.length;
    arrays.push({ key, file, array });
  };
  for (const raw of raws) {
    onStage?.(`Reading ${raw.name}`);
    if (isZip(raw.bytes)) {
      for (const entry of listZip(raw.name, raw.bytes)) {
        if (entry.name.endsWith('/')) continue;
        if (!/\.npy$/i.test(entry.name))
          throw new DataFileError(
            raw.name,
            undefined,
            `${entry.name} is not a .npy array (an .npz holds only those)`,
          );
        // 8 bytes a number at most, plus the header.
        const bytes = await readZipEntry(
          raw.name,
          raw.bytes,
          entry,
          (MAX_RECORDED_ENTRIES - used) * 8 + 65_536,
        );
        take(`${raw.name} › ${entry.name}`, entry.name.replace(/\.npy$/i, ''), bytes);
      }
    } else if (/\.npz$/i.test(raw.name))
      throw new DataFileError(raw.name, undefined, 'not a zip archive, as an .npz is');
    else take(raw.name, baseName(raw.name), raw.bytes);
  }
  const files = raws.map((r) => r.name);
  const single =
    raws.length === 1 ? baseName(raws[0].name) : baseName(raws[0].name).replace(/[._-]?layer[_-]?\d+$/i, '');
  return assembleRecording(arrays, files, single || 'recorded');
}
