// The one entry point from a DatasetSpec to arrays: generated kinds are built (and the last
// few memoized, since every run resolves its spec), loaded ones come from the registry.

import type { Dataset, DatasetSpec } from './types';
import { canonicalSpecId, generateDataset } from './generators';
import { getRegisteredDataset } from './registry';

export { registerDataset, getRegisteredDataset, unregisterDataset, registeredDatasetIds } from './registry';
export { canonicalSpecId } from './generators';

const MEMO_SIZE = 3;
const memo = new Map<string, Dataset>();

/** The id the resolved data set will carry (no building needed): cache keys use it. */
export function datasetId(spec: DatasetSpec): string {
  return spec.kind === 'loaded' ? spec.id : canonicalSpecId(spec);
}

/** Resolve a spec into a Dataset. Throws a clear Error for a bad spec or an unregistered id. */
export function buildDataset(spec: DatasetSpec): Dataset {
  if (spec.kind === 'loaded') {
    const ds = getRegisteredDataset(spec.id);
    if (!ds)
      throw new Error(
        `no data set is loaded under the id "${spec.id}" (load the file again, or pick a built-in data set)`,
      );
    return ds;
  }
  const id = canonicalSpecId(spec);
  const hit = memo.get(id);
  if (hit) return hit;
  const ds = generateDataset(spec);
  memo.set(id, ds);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value as string);
  return ds;
}
