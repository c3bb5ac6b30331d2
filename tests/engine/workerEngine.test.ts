// The engine as the page uses it: in a dedicated worker, with the GPU engine where there is an
// adapter and the float64 reference engine (with the reason) where there is none.
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openHarness } from '../browser/chromium';
import { defaultConfig } from '../../src/engine/config';

const browsers: Browser[] = [];
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

async function page(webgpu: boolean) {
  const b = await launchChromium({ webgpu });
  browsers.push(b);
  return openHarness(b, inject('harnessBaseUrl'));
}

describe('worker-hosted engine', () => {
  const config = { ...defaultConfig(), depth: 10 };

  it('with WebGPU: the GPU engine in the worker gives the same numbers as in the page; latest wins', async () => {
    const p = await page(true);
    const r = await p.evaluate((a) => window.harness.workerEngineCase(a), { config, prefer: 'gpu' as const });
    expect(r.kind).toBe('gpu');
    expect(r.fallbackReason).toBeNull();
    expect(r.ranks).toEqual(r.directRanks);
    expect(r.featuresLength).toBe(r.n * config.hidden);
    expect(r.supersededName).toBe('AbortError');
    expect(r.latestDepth).toBe(16);
  });

  it('without WebGPU: falls back to the CPU reference engine and says why', async () => {
    const p = await page(false);
    const r = await p.evaluate((a) => window.harness.workerEngineCase(a), { config, prefer: 'gpu' as const });
    expect(r.kind).toBe('cpu');
    expect(r.fallbackReason).toMatch(/adapter|WebGPU/);
    expect(r.ranks).toHaveLength(11);
    expect(r.ranks.every((x) => Number.isFinite(x))).toBe(true);
    expect(r.latestDepth).toBe(16);
  });
});
