// The words next to the pictures: the preset picker, its two-sentence explanation, what the
// panels show, and the running update with the current s and τ filled in.
import { PRESETS, presetById } from '../presets/depth';
import { useShallow } from 'zustand/react/shallow';
import { useLecture, useLectureFields, type PanelId } from '../state/store';
import type { ContraNormVariant, Model, NormKind, Residual } from '../engine/types';
import { panelLabel } from './plot/theme';

function num(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

/** Z: the layer's linear part (GCN propagation or single-head attention). */
function LinearPart({ model }: { model: Model }) {
  return model === 'gnn' ? (
    <span>
      <var>Z</var> = <var>Â</var>
      <var>H</var>
      <var>W</var>
    </span>
  ) : (
    <span>
      <var>Z</var> = softmax(<var>QK</var>
      <sup>⊤</sup>/√<var>d</var>) <var>V</var>
      <var>W</var>
      <sub>O</sub>
    </span>
  );
}

function ContraNormFormula({ s, tau, variant }: { s: number; tau: number; variant: ContraNormVariant }) {
  const S =
    variant === 'paper' ? (
      <>
        softmax(<var>ZZ</var>
        <sup>⊤</sup>)
      </>
    ) : (
      <>
        softmax(rn(<var>Z</var>)rn(<var>Z</var>)<sup>⊤</sup>/{num(tau)})
      </>
    );
  const lead = variant === 'identity' ? `${num(1 + s)}·` : '';
  const coef = variant === 'paper' ? `${num(s / tau)}` : num(s);
  return (
    <span>
      <var>Z</var>′ = LN({lead}
      <var>Z</var> − {coef}·{S}
      {variant === 'mask' ? <sub>non-neighbours</sub> : null} <var>Z</var>)
    </span>
  );
}

/** The normalization step for a kind other than ContraNorm. */
function OtherNorm({ kind, scale }: { kind: NormKind; scale: number }) {
  const body =
    kind === 'none' ? (
      <var>Z</var>
    ) : kind === 'layernorm' ? (
      <>
        LN(<var>Z</var>)
      </>
    ) : kind === 'batchnorm' ? (
      <>
        BN(<var>Z</var>)
      </>
    ) : (
      <>
        {num(scale)}·PN(<var>Z</var>)
      </>
    );
  return (
    <span>
      <var>Z</var>′ = {body}
    </span>
  );
}

function ResidualPart({ residual, alpha }: { residual: Residual; alpha: number }) {
  if (residual === 'none')
    return (
      <span>
        <var>H</var>′ = σ(<var>Z</var>′)
      </span>
    );
  if (residual === 'residual')
    return (
      <span>
        <var>H</var>′ = <var>H</var> + {num(alpha)}·σ(<var>Z</var>′)
      </span>
    );
  return (
    <span>
      <var>H</var>′ = (<var>H</var> + {num(alpha)}·σ(<var>Z</var>′)) / (1 + {num(alpha)}‖<var>W</var>‖₂)
    </span>
  );
}

export function UpdateFormula() {
  const model = useLecture((s) => s.model);
  const residual = useLecture((st) => st.residual);
  const alpha = useLecture((st) => st.alpha);
  // ContraNorm when a visible panel runs it; otherwise the right (or only) panel's normalization.
  const panel = useLecture((st): PanelId => {
    const ids: PanelId[] = st.compare ? ['A', 'B'] : ['A'];
    const kinds = ids.map((id) => (id === 'A' ? st.normA : st.normB));
    const i = kinds.indexOf('contranorm');
    return ids[i >= 0 ? i : ids.length - 1]!;
  });
  const kind = useLecture((st): NormKind => (panel === 'A' ? st.normA : st.normB));
  // The values of the picture drawn: while a new run is on its way the formula keeps the shown
  // result's s and τ, not the slider's, and says it is waiting.
  const wanted = useLecture(
    useShallow((st) => ({ s: st.s, tau: st.tau, variant: st.variant, pn: st.pairnormScale })),
  );
  const drawnNorm = useLecture((st) => st.panels[panel].result?.config.norm ?? null);
  const s = drawnNorm?.kind === kind ? drawnNorm.s : wanted.s;
  const tau = drawnNorm?.kind === kind ? drawnNorm.tau : wanted.tau;
  const variant = drawnNorm?.kind === kind ? drawnNorm.variant : wanted.variant;
  const pairnormScale = drawnNorm?.kind === kind ? drawnNorm.pairnormScale : wanted.pn;
  const stale =
    (kind === 'contranorm' && (s !== wanted.s || tau !== wanted.tau || variant !== wanted.variant)) ||
    (kind === 'pairnorm' && pairnormScale !== wanted.pn);
  return (
    <div
      className={`formula${stale ? ' stale' : ''}`}
      data-testid="formula"
      data-stale={stale}
      data-s={s}
      data-tau={tau}
      aria-label="The update of one layer"
      title={stale ? 'The picture drawn; the new settings are being computed' : undefined}
    >
      <LinearPart model={model} />
      <span className="sep">→</span>
      {kind === 'contranorm' ? (
        <ContraNormFormula s={s} tau={tau} variant={variant} />
      ) : (
        <OtherNorm kind={kind} scale={pairnormScale} />
      )}
      <span className="sep">→</span>
      <ResidualPart residual={residual} alpha={alpha} />
    </div>
  );
}

export function LessonPanel() {
  const { lesson, loadPreset, compare, model } = useLectureFields('lesson', 'loadPreset', 'compare', 'model');
  const { normA, normB } = useLectureFields('normA', 'normB');
  const preset = presetById(lesson);
  const dot = model === 'gnn' ? 'node' : 'token';
  // A recorded panel is named by its model; it shares only its inputs with the other panel.
  const labelA = useLecture((s) => panelLabel(s.panels.A.result, normA));
  const labelB = useLecture((s) => panelLabel(s.panels.B.result, normB));
  const same =
    labelA.startsWith('recorded') || labelB.startsWith('recorded')
      ? 'same inputs'
      : 'same data, seed and weights';
  const what = `${compare ? `Left: ${labelA}, right: ${labelB} (${same}). ` : ''}Each dot is a ${dot} at the current depth: PCA of the row-normalized features, coloured by class, inside the unit circle.`;
  return (
    <section className="lesson" aria-label="Lesson">
      <div className="lesson-pick">
        <label htmlFor="preset-select" className="sr-only">
          Lecture scenario
        </label>
        <select
          id="preset-select"
          data-testid="preset-select"
          title="Lecture scenarios, in lecture order: each sets up one point and explains it"
          value={preset ? preset.id : ''}
          onChange={(e) => loadPreset(e.target.value)}
        >
          <option value="" disabled>
            Choose a scenario…
          </option>
          {PRESETS.map((p, i) => (
            <option key={p.id} value={p.id}>
              {i + 1}. {p.title}
            </option>
          ))}
        </select>
      </div>
      <div className="lesson-text">
        {preset ? <p data-testid="preset-explanation">{preset.explanation}</p> : null}
        <p className="what" data-testid="what-you-see">
          <strong>What you are seeing:</strong> {what}
        </p>
        <UpdateFormula />
      </div>
    </section>
  );
}
