// One entry point for whoever needs an engine: the GPU engine where WebGPU works, else the
// float64 reference engine with the reason, so that a page always has something to draw with.
import { createGpuEngine } from './gpu/engine';
import { createReferenceEngine } from './reference/engine';
import type { Engine } from './types';

export interface CreatedEngine {
  engine: Engine;
  /** e.g. "google swiftshader", or "" for the CPU engine. */
  adapter: string;
  /** Why the GPU engine is not in use (null when it is). */
  fallbackReason: string | null;
}

export async function createEngine(
  options: { prefer?: 'gpu' | 'cpu'; onDeviceLost?: (message: string) => void } = {},
): Promise<CreatedEngine> {
  if (options.prefer === 'cpu') {
    return {
      engine: createReferenceEngine(),
      adapter: '',
      fallbackReason: 'the CPU reference engine was asked for',
    };
  }
  try {
    const engine = await createGpuEngine({ onDeviceLost: options.onDeviceLost });
    const info = engine.context.adapterInfo;
    return {
      engine,
      adapter: [info.vendor, info.architecture].filter(Boolean).join(' '),
      fallbackReason: null,
    };
  } catch (err) {
    return { engine: createReferenceEngine(), adapter: '', fallbackReason: (err as Error).message };
  }
}
