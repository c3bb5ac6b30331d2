// The view's settings in the one property table: distinct "nc" URL keys, links that round-trip
// (presets included), and bad values in a link falling back to defaults with a note.
import { describe, expect, it } from 'vitest';
import { configProblem } from '../../src/noncontrastive/model';
import { NC_PRESETS, matchingPreset } from '../../src/presets/noncontrastive';
import { NONCONTRASTIVE_DEFAULTS, NONCONTRASTIVE_PROPS, ncConfigOf } from '../../src/state/noncontrastive';
import { DEFAULTS, PROPS, parseState, serializeState } from '../../src/state/page';

describe('SimSiam/BYOL view state', () => {
  it('has one property per setting, with distinct URL keys starting with "nc"', () => {
    expect(new Set(NONCONTRASTIVE_PROPS.map((p) => p.name))).toEqual(
      new Set(Object.keys(NONCONTRASTIVE_DEFAULTS)),
    );
    for (const p of NONCONTRASTIVE_PROPS) expect(p.key.startsWith('nc')).toBe(true);
    const keys = PROPS.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('round-trips the presets through the URL', () => {
    for (const preset of NC_PRESETS) {
      const state = { ...DEFAULTS, ...preset.settings, view: 'noncontrastive' as const };
      const { state: back, notes } = parseState(serializeState(state));
      expect(notes).toEqual([]);
      expect(ncConfigOf(back)).toEqual(ncConfigOf(state));
      expect(matchingPreset(back)?.id).toBe(preset.id);
    }
  });

  it('a moved slider makes the setting custom', () => {
    expect(matchingPreset({ ...NONCONTRASTIVE_DEFAULTS, ncEta: 0.31 })).toBeUndefined();
  });

  it('replaces a bad value from a link by the default, with a note', () => {
    const { state, notes } = parseState('v=noncontrastive&ncEta=NaN&ncB=5000&ncTgt=moco');
    expect(state.ncEta).toBe(NONCONTRASTIVE_DEFAULTS.ncEta);
    expect(state.ncBatch).toBe(NONCONTRASTIVE_DEFAULTS.ncBatch);
    expect(state.ncTarget).toBe('simsiam');
    expect(notes.length).toBe(3);
  });

  it('refuses a setting where weight decay alone would flip the weights every step', () => {
    const cfg = ncConfigOf(NONCONTRASTIVE_DEFAULTS);
    expect(configProblem(cfg)).toBeNull();
    expect(configProblem({ ...cfg, lr: 1, eta: 1 })).toMatch(/lr·η/);
    expect(configProblem({ ...cfg, eta: NaN })).toMatch(/not a number/);
  });
});
