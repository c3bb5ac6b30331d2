// The float64 CPU reference engine: the `Engine` API of types.ts computed from SPEC in plain
// float64 TypeScript. It is the yardstick every other engine is tested against, and a benchmark
// peer. The layer loop, cache and latest-wins logic are the CPU engines' common body
// (../cpuEngine.ts); this file only names the float64 operations.
import { createCpuEngine } from '../cpuEngine';
import type { Engine } from '../types';
import { referenceOps } from './layers';

export function createReferenceEngine(): Engine {
  return createCpuEngine({ ops: referenceOps, input: (features) => Float64Array.from(features) });
}
