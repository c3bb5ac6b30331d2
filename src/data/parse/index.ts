// The file loaders: pure functions from file text or bytes to a Dataset plus its summary.

export { DataFileError } from './errors';
export {
  MAX_EDGES,
  MAX_FEATURE_ENTRIES,
  setScanObserver,
  type ParseResult,
  type ScanObserver,
  type TextFile,
} from './common';
export { summarize, type DatasetSummary, type NormalizationNotes } from './summary';
export { parseLinqs, type LinqsOptions } from './linqs';
export { parseEdgeList, type EdgeListOptions } from './edgeList';
export { parseTokensCsv } from './tokensCsv';
export { parseNpy, readNpy, type NpyArray } from './npy';
export { parsePlanetoidJson } from './planetoidJson';
