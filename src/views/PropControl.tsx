// One control for one property of the table (src/state/page.ts): a slider with a number
// readout (log sliders for log properties), a select, or a checkbox. Ranges come from the table.
import { useId, useState } from 'react';
import { PROP_BY_NAME, type LectureState } from '../state/page';
import { useLecture } from '../state/store';
import { hintFor } from './hints';

function fmt(v: number, step: number): string {
  if (Math.abs(v) >= 1000 || Number.isInteger(step)) return String(Math.round(v));
  const digits = Math.max(0, Math.min(4, Math.ceil(-Math.log10(step))));
  return v.toFixed(digits);
}

export function PropControl({
  name,
  label,
  compact,
}: {
  name: keyof LectureState;
  label?: string;
  /** One line (label, slider, readout), for the presentation-mode bar. */
  compact?: boolean;
}) {
  const prop = PROP_BY_NAME.get(name);
  const value = useLecture((s) => s[name]);
  const set = useLecture((s) => s.set);
  const id = useId();
  // What the number box did with a typed value outside the range (never clamped silently).
  const [clampNote, setClampNote] = useState<string | null>(null);
  if (!prop) return null;
  const text = label ?? prop.label;
  const title = hintFor(name);
  if (prop.type === 'bool')
    return (
      <label className="ctl ctl-bool" htmlFor={id} title={title}>
        <input
          id={id}
          type="checkbox"
          checked={Boolean(value)}
          onChange={(e) => set({ [name]: e.target.checked })}
        />
        {text}
      </label>
    );
  if (prop.type === 'enum')
    return (
      <label className="ctl" htmlFor={id} title={title}>
        <span className="ctl-label">{text}</span>
        <select
          id={id}
          value={String(value)}
          onChange={(e) => set({ [name]: e.target.value })}
          data-prop={name}
        >
          {prop.values.map((v, i) => (
            <option key={v} value={v}>
              {prop.labels?.[i] ?? v}
            </option>
          ))}
        </select>
      </label>
    );
  if (prop.type !== 'number') return null;
  const v = value as number;
  const clamp = (x: number) => {
    let out = Math.max(prop.min, Math.min(prop.max, x));
    if (prop.integer) out = Math.round(out);
    return out;
  };
  // Log sliders move over log10(value) in 200 steps; linear ones over the table's step.
  const toSlider = (x: number) => (prop.log ? Math.log10(x) : x);
  // A log slider's value keeps 3 significant digits: the readout, the formula and the link then
  // all say the same number (0.0692, not 0.07 here, 0.0692 there and 0.0691831 in the link).
  const fromSlider = (t: number) => clamp(prop.log ? Number((10 ** t).toPrecision(3)) : t);
  const sliderStep = prop.log ? (Math.log10(prop.max) - Math.log10(prop.min)) / 200 : prop.step;
  return (
    <div className={`ctl ctl-number${compact ? ' ctl-compact' : ''}`} title={title}>
      <label className="ctl-label" htmlFor={id}>
        {text}
      </label>
      <div className="ctl-row">
        <input
          id={id}
          type="range"
          data-prop={name}
          min={toSlider(prop.min)}
          max={toSlider(prop.max)}
          step={sliderStep}
          value={toSlider(v)}
          onChange={(e) => {
            setClampNote(null);
            set({ [name]: fromSlider(Number(e.target.value)) });
          }}
          aria-valuetext={fmt(v, prop.step)}
        />
        <input
          type="number"
          className="readout"
          aria-label={`${text} value`}
          min={prop.min}
          max={prop.max}
          step={prop.step}
          value={prop.log ? String(Number(v.toPrecision(3))) : fmt(v, prop.step)}
          onChange={(e) => {
            const x = Number(e.target.value);
            if (e.target.value === '' || !Number.isFinite(x)) return;
            const y = clamp(x);
            setClampNote(
              y === x
                ? null
                : `${e.target.value.slice(0, 24)} is ${
                    x < prop.min ? `below ${prop.min}` : x > prop.max ? `above ${prop.max}` : 'not an integer'
                  }: set to ${fmt(y, prop.step)}`,
            );
            set({ [name]: y });
          }}
        />
      </div>
      {clampNote ? (
        <p className="ctl-note" role="status" data-testid="clamp-note">
          {clampNote}
        </p>
      ) : null}
    </div>
  );
}

/** One control per named property, in order (a fieldset's plain run of controls). */
export function PropControls({ names }: { names: readonly (keyof LectureState)[] }) {
  return (
    <>
      {names.map((n) => (
        <PropControl key={n} name={n} />
      ))}
    </>
  );
}
