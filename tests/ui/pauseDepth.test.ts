// Pausing the play by any route leaves the depth on a whole layer (the readout never shows "41.1").
import { describe, expect, it } from 'vitest';
import { useLecture } from '../../src/state/store';

describe('pausing', () => {
  it('rounds a fractional depth when something else stops the play', () => {
    const s = () => useLecture.getState();
    s().set({ layers: 64, depth: 41.13, playing: true });
    s().set({ playing: false, view: 'training' });
    expect(s()).toMatchObject({ playing: false, depth: 41 });
    // A depth given with the pause is kept as given; a drag while paused stays fractional.
    s().set({ depth: 12.6, playing: true });
    s().set({ depth: 12.6, playing: false });
    expect(s().depth).toBe(12.6);
    s().set({ depth: 7.25 });
    expect(s().depth).toBe(7.25);
  });
});
