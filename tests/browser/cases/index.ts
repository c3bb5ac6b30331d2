// Every case module's exports, flattened into one namespace: this is `window.harness`.
// Add a line per new case file. Two files exporting the same name is a type error here.
export * from './smoke';
export * from './engine';
export * from './kernels';
export * from './training';
export * from './exactRank';
export * from './presetClaims';
export * from './theory';
export * from './projection';
export * from './metricKernelSets';
