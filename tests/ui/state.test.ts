// The property table drives the URL: every state round-trips, bad values fall back with a note.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, PROPS, parseState, serializeState } from '../../src/state/page';
import { engineConfig } from '../../src/state/depth';
import { PRESETS } from '../../src/presets/depth';
import { validateConfig } from '../../src/engine/config';

describe('lecture state ↔ URL', () => {
  it('round-trips the defaults and every preset', () => {
    for (const settings of [{}, ...PRESETS.map((p) => ({ ...p.settings, lesson: p.id }))]) {
      const state = { ...DEFAULTS, ...settings };
      const { state: back, notes } = parseState(`#${serializeState(state)}`);
      expect(notes).toEqual([]);
      expect(back).toEqual(state);
    }
  });

  it('round-trips unusual values', () => {
    const state = {
      ...DEFAULTS,
      tau: 0.0123457,
      s: 2.35,
      depth: 17.25,
      normA: 'pairnorm' as const,
      tied: true,
    };
    expect(parseState(serializeState(state)).state).toEqual(state);
  });

  it('falls back to defaults with a note for invalid values, never throws', () => {
    const { state, notes } = parseState('#s=banana&tau=-1&model=rnn&L=9999&tied=maybe&zzz=1&n=%E0%A4%A');
    expect(state.s).toBe(DEFAULTS.s);
    expect(state.tau).toBe(DEFAULTS.tau);
    expect(state.model).toBe(DEFAULTS.model);
    expect(state.layers).toBe(DEFAULTS.layers);
    expect(state.tied).toBe(DEFAULTS.tied);
    expect(notes.length).toBe(7);
  });

  it('has unique keys and defaults inside their ranges', () => {
    expect(new Set(PROPS.map((p) => p.key)).size).toBe(PROPS.length);
    expect(new Set(PROPS.map((p) => p.name))).toEqual(new Set(Object.keys(DEFAULTS)));
    for (const p of PROPS) {
      const v = DEFAULTS[p.name];
      if (p.type === 'number') expect(v as number).toBeGreaterThanOrEqual(p.min);
      if (p.type === 'number') expect(v as number).toBeLessThanOrEqual(p.max);
      if (p.type === 'enum') expect(p.values).toContain(v);
    }
  });

  it('gives valid engine configurations for every preset, panels differing only in normalization', () => {
    for (const preset of PRESETS) {
      const state = { ...DEFAULTS, ...preset.settings };
      const a = engineConfig(state, 'A');
      const b = engineConfig(state, 'B');
      expect(validateConfig(a)).toEqual([]);
      expect(validateConfig(b)).toEqual([]);
      expect({ ...a, norm: null }).toEqual({ ...b, norm: null });
      expect(engineConfig(state, 'A', 100).dataset).toMatchObject({ n: Math.min(100, state.n) });
    }
  });
});
