// What the page does after a lost GPU device, without a browser: the restart policy (a growing
// pause, at most MAX_GPU_RESTARTS restarts, then the CPU engine) and the reason a toast quotes.
import { describe, expect, it } from 'vitest';
import { afterLoss, lossReason, MAX_GPU_RESTARTS } from '../../src/runtime/depth';

describe('device loss', () => {
  it('restarts after 0.5, 1 and 2 s, then hands over to the CPU engine', () => {
    expect(MAX_GPU_RESTARTS).toBe(3);
    expect([1, 2, 3, 4, 5].map(afterLoss)).toEqual([
      { toCpu: false, delayMs: 500 },
      { toCpu: false, delayMs: 1000 },
      { toCpu: false, delayMs: 2000 },
      { toCpu: true, delayMs: 0 },
      { toCpu: true, delayMs: 0 },
    ]);
  });
  it('quotes the reason once, without the engine message around it', () => {
    expect(
      lossReason(
        'The GPU device was lost (destroyed): Device was destroyed.. Create a new engine to continue.',
      ),
    ).toBe('destroyed: Device was destroyed');
    expect(lossReason('The GPU device was lost (unknown): no detail. Create a new engine to continue.')).toBe(
      'unknown',
    );
    const toast = `The GPU device was lost (${lossReason('The GPU device was lost (unknown): x. Create a new engine to continue.')}). Restarting the engine…`;
    expect(toast.match(/lost/g)).toHaveLength(1);
    expect(lossReason('something else').length).toBeLessThan(200);
  });
});
