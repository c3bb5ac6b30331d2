// The engine as the page uses it: in a dedicated worker, chosen by measurement: never a software
// adapter (SwiftShader here) in `auto`, the GPU engine when it is asked for, the fast CPU engine
// (with the reason) where there is no adapter.
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
  const config = { ...defaultConfig(), layers: 10 };

  it('with WebGPU, the GPU engine asked for: the same numbers as in the page; latest wins', async () => {
    const p = await page(true);
    const r = await p.evaluate((a) => window.harness.workerEngineCase(a), { config, choice: 'gpu' as const });
    expect(r.kind).toBe('gpu');
    expect(r.name).toBe('gpu');
    expect(r.reason).toMatch(/asked for/);
    expect(r.fallbackReason).toBeNull();
    expect(r.ranks).toEqual(r.directRanks);
    expect(r.featuresLength).toBe(r.n * config.hidden);
    expect(r.supersededName).toBe('AbortError');
    expect(r.latestDepth).toBe(16);
  });

  it('auto with a software adapter (SwiftShader): the fast CPU engine drives, and says why', async () => {
    const p = await page(true);
    const r = await p.evaluate((a) => window.harness.workerEngineCase(a), {
      config,
      choice: 'auto' as const,
    });
    expect(r.kind).toBe('cpu');
    expect(r.name).toBe('fast');
    expect(r.adapter).toMatch(/swiftshader/i);
    expect(r.reason).toMatch(/software emulation/);
    // The CPU engine's throughput was measured for the node cap, on this adapter.
    expect(r.calibration?.adapter).toBe(r.adapter);
    expect(r.calibration!.cpuFlops).toBeGreaterThan(0);
    expect(r.ranks.every((x) => Number.isFinite(x))).toBe(true);
    expect(r.latestDepth).toBe(16);
  });

  it('without WebGPU: falls back to the fast CPU engine and says why', async () => {
    const p = await page(false);
    const r = await p.evaluate((a) => window.harness.workerEngineCase(a), {
      config,
      choice: 'auto' as const,
    });
    expect(r.kind).toBe('cpu');
    expect(r.name).toBe('fast');
    expect(r.fallbackReason).toMatch(/adapter|WebGPU/);
    expect(r.ranks).toHaveLength(11);
    expect(r.ranks.every((x) => Number.isFinite(x))).toBe(true);
    expect(r.latestDepth).toBe(16);
  });
});
