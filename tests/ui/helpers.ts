// Shared waits for the lecture page tests.
import type { Page } from 'playwright-core';

/** Wait until panel `panel` shows the result for the current settings and has drawn points; returns the count. */
export async function waitForPoints(page: Page, panel: 'A' | 'B', timeout = 120_000): Promise<number> {
  const handle = await page.waitForFunction(
    (p) => {
      const el = document.querySelector(`[data-testid="points-${p}"]`);
      const n = Number(el?.getAttribute('data-drawn-points') ?? 0);
      return window.lectureSettled?.(p as 'A' | 'B') && n > 0 ? n : false;
    },
    panel,
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as number;
}
