// Links with absurd values in any view: each bad value falls back with a short note, the notes
// are capped in number and length, and a huge link is read only in part, quickly.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseState } from '../../src/state/page';
import { MAX_HASH_CHARS, MAX_LINK_NOTES } from '../../src/state/schema';

describe('link notes', () => {
  it('training and SimSiam values out of range fall back with a note each', () => {
    const { state, notes } = parseState('#v=training&tL=1e9&tlr=NaN&ncEta=1e30');
    expect(state.view).toBe('training');
    expect([state.tLayers, state.tLr, state.ncEta]).toEqual([DEFAULTS.tLayers, DEFAULTS.tLr, DEFAULTS.ncEta]);
    // The defaults are real numbers (not undefined), and none of the absurd values got through.
    expect([state.tLayers, state.tLr, state.ncEta].every(Number.isFinite)).toBe(true);
    expect(notes).toHaveLength(3);
    expect(notes[1]).toMatch(/"NaN" is not valid/);
  });
  it.each(['0x10', '%20%2016', '16%20', 'Infinity', '1e1', '+16'])(
    'L=%s is refused unless a plain decimal',
    (v) => {
      const { state, notes } = parseState(`#L=${v}`);
      if (v === '1e1' || v === '+16') {
        expect(state.layers).toBe(Number(v));
        expect(notes).toEqual([]);
      } else {
        expect(state.layers).toBe(DEFAULTS.layers);
        expect(notes).toHaveLength(1);
      }
    },
  );
  it('1,250 unknown keys give one short note; a 1 MB hash is read in part, in milliseconds', () => {
    const keys = Array.from({ length: 1250 }, (_, i) => `k${i % 10}=1`).join('&');
    const { notes } = parseState(`#${keys}`);
    expect(notes).toEqual(['1,250 unknown settings in the link were ignored (the first: "k0")']);
    const t0 = performance.now();
    const huge = parseState(`#L=4&x=${'a'.repeat(1 << 20)}`);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(huge.state.layers).toBe(4);
    expect(huge.notes.join(' ').length).toBeLessThan(400);
    expect(huge.notes.at(-1)).toMatch(/only the first 8,192 were read/);
    expect(MAX_HASH_CHARS).toBe(8192);
  });
  it('many bad values: at most MAX_LINK_NOTES notes, the rest counted; a long value is quoted in part', () => {
    const bad = ['L=a', 's=b', 'tau=c', 'n=d', 'd=e', 'seed=f', 'tL=g', 'tlr=h', 'ncEta=i', 'tied=j'];
    const { notes } = parseState(`#${bad.join('&')}`);
    expect(notes).toHaveLength(MAX_LINK_NOTES);
    expect(notes.at(-1)).toMatch(/^and \d+ more$/);
    const long = parseState(`#L=${'9'.repeat(5000)}`).notes[0];
    expect(long.length).toBeLessThan(200);
  });
});
