// The two documented regimes (the view's presets, src/presets/noncontrastive.ts), trained to their
// full length: a mode of W Wᵀ counts as collapsed below COLLAPSE_THRESHOLD = 1e-4.
//   strong decay (η = 0.3, σ = 0.5, lr 0.05, 2000 steps, d_in 16, d_out 8, batch 256, seed 1):
//     Euclidean: every eigenvalue < 1e-4 (measured ~1e-23); cosine: every mode alive (smallest
//     ~5e-3), largest ≥ 50× the threshold (measured 9.4e-3, 94×).
//   weak decay (η = 0.05, same otherwise): neither collapses; every mode ≥ 1e-4 in both runs.
import { describe, expect, it } from 'vitest';
import { ncPresetById } from '../../src/presets/noncontrastive';
import { NONCONTRASTIVE_DEFAULTS, ncConfigOf } from '../../src/state/noncontrastive';
import { COLLAPSE_THRESHOLD, PairedTrainer } from '../../src/noncontrastive/trainer';

function train(presetId: string): PairedTrainer {
  const preset = ncPresetById(presetId);
  if (!preset) throw new Error(`no preset ${presetId}`);
  const cfg = ncConfigOf({ ...NONCONTRASTIVE_DEFAULTS, ...preset.settings });
  const t = new PairedTrainer(cfg);
  expect(t.advance(cfg.steps)).toBe(cfg.steps);
  return t;
}

const last = (t: PairedTrainer, k: 'euclidean' | 'cosine') => {
  const recs = t.runs[k].records;
  return recs[recs.length - 1];
};

describe('collapse regimes of the linear SimSiam model', () => {
  it('strong weight decay: the Euclidean loss collapses, the cosine loss does not', () => {
    const t = train('nc-strong-decay');
    expect(t.cfg.eta).toBe(0.3);
    // Same start for both: the difference is the loss's doing.
    expect(t.runs.cosine.records[0].eigW).toEqual(t.runs.euclidean.records[0].eigW);
    expect(Math.min(...t.runs.euclidean.records[0].eigW)).toBeGreaterThan(100 * COLLAPSE_THRESHOLD);
    const e = last(t, 'euclidean');
    const c = last(t, 'cosine');
    expect(e.step).toBe(t.cfg.steps);
    expect(t.runs.euclidean.divergedAt).toBeNull();
    expect(t.runs.cosine.divergedAt).toBeNull();
    expect(Math.max(...e.eigW)).toBeLessThan(COLLAPSE_THRESHOLD);
    expect(Math.max(...c.eigW)).toBeGreaterThan(50 * COLLAPSE_THRESHOLD);
    expect(Math.min(...c.eigW)).toBeGreaterThan(COLLAPSE_THRESHOLD);
  });

  it('weak weight decay: neither loss collapses', () => {
    const t = train('nc-weak-decay');
    expect(t.cfg.eta).toBe(0.05);
    for (const k of ['euclidean', 'cosine'] as const) {
      expect(t.runs[k].divergedAt).toBeNull();
      expect(Math.min(...last(t, k).eigW)).toBeGreaterThan(COLLAPSE_THRESHOLD);
    }
  });

  it('a learning rate far too large is reported as divergence with its step, not as numbers', () => {
    const cfg = { ...ncConfigOf(NONCONTRASTIVE_DEFAULTS), lr: 0.9, eta: 0, initScale: 3, steps: 400 };
    const t = new PairedTrainer(cfg);
    t.advance(cfg.steps);
    expect(t.runs.euclidean.divergedAt).not.toBeNull();
    for (const r of t.runs.euclidean.records) for (const v of r.eigW) expect(Number.isFinite(v)).toBe(true);
  });
});
