// The words beside the plots: which regime the setting is in by Tian et al.'s analysis, what the
// two runs did, problems with the run, and (folded) what the reader sees and where it comes from.
import { useShallow } from 'zustand/react/shallow';
import { pickState, useLecture } from '../../state/store';
import { matchingPreset } from '../../presets/noncontrastive';
import { euclideanEquilibrium } from '../../noncontrastive/ode';
import { useNcRun } from '../../runtime/noncontrastive';
import { aliveModes } from '../../noncontrastive/trainer';
import { lastRecord } from './plotData';
import { LOSS_COLORS } from '../plot/theme';

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toExponential(1) : String(v);
}

export function NcLesson() {
  const state = useLecture(useShallow(pickState));
  const run = useNcRun();
  const preset = matchingPreset(state);
  const k = 4 * state.ncEta * (1 + state.ncSigma ** 2);
  const cfg = run.cfg;
  const eq = cfg ? euclideanEquilibrium(cfg) : null;
  const e = lastRecord(run, 'euclidean');
  const c = lastRecord(run, 'cosine');
  const notes: string[] = [];
  if (run.error) notes.push(`Cannot run: ${run.error}.`);
  for (const kind of ['euclidean', 'cosine'] as const)
    if (run.divergedAt[kind] !== null)
      notes.push(
        `The ${kind} run diverged at step ${run.divergedAt[kind]} (weights no longer finite): the learning rate is too large for this setting; its plot stops there.`,
      );
  if (state.ncDOut > state.ncDIn)
    notes.push(
      `d_out > d_in: W Wᵀ has rank ≤ ${state.ncDIn}, so ${state.ncDOut - state.ncDIn} modes are zero from the start.`,
    );
  if (!state.ncSymPred || state.ncPredInit !== 'identity')
    notes.push(
      'The ODE assumes a symmetric W_p that shares its eigenvectors with W Wᵀ (here: symmetric predictor and W_p(0) = I); with this setting the dashed curves are only a guide.',
    );
  return (
    <section className="nc-lesson" aria-label="What the view shows">
      <h2 data-testid="nc-lesson-title">{preset ? preset.title : 'Custom setting'}</h2>
      {preset ? <p>{preset.explanation}</p> : null}
      <p>
        <b>
          4η(1+σ²) = {k.toFixed(2)} {k > 1 ? '> 1' : '≤ 1'}
        </b>
        {k > 1
          ? ': by Tian et al.’s analysis every mode of the Euclidean loss collapses.'
          : eq
            ? `: the Euclidean loss has a non-collapsed equilibrium p* = ${eq.p.toFixed(3)}, s* = ${eq.s.toFixed(3)} (modes that start too small still collapse).`
            : '.'}{' '}
        {e && c ? (
          <span data-testid="nc-outcome">
            At step {run.step}:{' '}
            <span style={{ color: LOSS_COLORS.euclidean, fontWeight: 700 }}>
              {run.divergedAt.euclidean !== null
                ? `Euclidean diverged at step ${run.divergedAt.euclidean}`
                : `Euclidean ${aliveModes(e.eigW)}/${e.eigW.length} modes alive (largest ${fmt(e.eigW[0])})`}
            </span>
            ,{' '}
            <span style={{ color: LOSS_COLORS.cosine, fontWeight: 700 }}>
              {run.divergedAt.cosine !== null
                ? `cosine diverged at step ${run.divergedAt.cosine}`
                : `cosine ${aliveModes(c.eigW)}/${c.eigW.length} (largest ${fmt(c.eigW[0])})`}
            </span>
            .
          </span>
        ) : null}
      </p>
      {notes.map((n) => (
        <p key={n} className="nc-note" role="status">
          {n}
        </p>
      ))}
      <details className="nc-more">
        <summary>What you are looking at, and why</summary>
        <p>
          A linear SimSiam: an encoder W maps x ~ N(0, I) to W x; a linear predictor W_p maps one view’s
          representation to a guess of the other’s, W_a x₂, which is held fixed (stop-gradient; for BYOL W_a
          is an exponential moving average of W). There are no negative pairs, so nothing in the loss pushes
          representations apart: the trivial solution W = 0 fits the Euclidean loss perfectly. Weight decay η
          pulls every weight towards it; augmentation σ makes the two views disagree.
        </p>
        <p>
          <b>Euclidean loss.</b> Tian, Chen &amp; Ganguli (2021) show that when W_p is symmetric and aligned
          with W Wᵀ, each eigenmode follows ṗ = α_p s[1 − (1+σ²)p] − ηp, ṡ = 2ps[1 − (1+σ²)p] − 2ηs (s:
          eigenvalue of W Wᵀ, p: of W_p, time = steps × learning rate). A mode survives only if p[1 − (1+σ²)p]
          can reach η, which needs 4η(1+σ²) ≤ 1: too much weight decay for the augmentation and every mode
          dies. The dashed curves integrate this ODE (RK4) from the simulation’s own initial modes; for BYOL
          it gains Tian et al.’s third variable τ (the target’s share of each mode, τ̇ = β_T(1 − τ) − τṡ/2s,
          β_T = (1 − β)/lr) and [1 − (1+σ²)p] becomes [τ − (1+σ²)p].
        </p>
        <p>
          <b>Cosine loss.</b> Normalizing the features before comparing them (−cos(u, v)) makes the loss blind
          to the scale of W and W_p: its gradient is orthogonal to the weights and grows as they shrink.
          Weight decay can no longer drive the representation to zero; in these discrete SGD steps the norm
          settles where the two balance (‖W‖² settles near a multiple of √(lr/η)). Bao (ICLR 2024 submission,
          “Feature normalization prevents collapse of non-contrastive learning dynamics”) analyses these
          dynamics: with feature normalization they become sixth-order, and a stable equilibrium can emerge
          even from collapsed solutions, so that weight decay strong enough to collapse the Euclidean dynamics
          need not collapse these. This view shows the same contrast in simulation; it does not integrate
          Bao’s equations.
        </p>
        <p>
          Plots: eigenvalues of W Wᵀ (log axis; a mode under 10⁻⁴, a representation standard deviation 1% of
          the input’s, counts as collapsed), eigenvalues of the predictor’s symmetric part (W_p + W_pᵀ)/2, the
          representations of 300 fixed inputs on their two principal axes (one scale for both panels), and the
          (η, σ²) plane with Tian et al.’s boundary. Both losses start from the same W, W_p and see the same
          batches.
        </p>
        <p className="nc-sources">
          Sources: Y. Tian, X. Chen, S. Ganguli, “Understanding self-supervised learning dynamics without
          contrastive pairs”, ICML 2021. H. Bao, “Feature normalization prevents collapse of non-contrastive
          learning dynamics”, submitted to ICLR 2024.
        </p>
      </details>
    </section>
  );
}
