// "Recorded hidden states" in the Data section: load the layers of a real model (or the shipped
// example), say what was loaded, and choose what each panel shows: a recorded stack, or the
// stack computed from the page's settings on the same inputs.
import { useId, useState } from 'react';
import { useRecorded } from '../../state/recorded';
import type { PanelId } from '../../state/store';
import { FilesButton } from '../data/LoadPanel';
import { LoadError } from '../data/LoadError';
import { loadRecorded, loadRecordedExample } from './recordedLoad';
import './recorded.css';

const fmt = (x: number) => x.toLocaleString('en-US');

function PanelChoice({ panel }: { panel: PanelId }) {
  const id = useId();
  const set = useRecorded((s) => s.set);
  const shown = useRecorded((s) => s.shown[panel]);
  const show = useRecorded((s) => s.show);
  if (!set) return null;
  return (
    <div className="load-row">
      <label htmlFor={id} className="ctl-label">
        {panel === 'A' ? 'Left' : 'Right'}
      </label>
      <select
        id={id}
        value={shown === null ? '' : String(shown)}
        onChange={(e) => show(panel, e.target.value === '' ? null : Number(e.target.value))}
        data-testid={`recorded-choice-${panel}`}
        title="What this panel shows: a recorded stack, or the stack computed from the settings on the same inputs"
      >
        <option value="">computed (the settings)</option>
        {set.results.map((r, i) => (
          <option key={i} value={i}>
            {r.recorded!.model} · L {r.recorded!.layers} · d {r.recorded!.d}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RecordedSection() {
  const set = useRecorded((s) => s.set);
  const load = useRecorded((s) => s.load);
  const setLoad = useRecorded((s) => s.setLoad);
  const [userOpen, setUserOpen] = useState(false);
  // Open while a load runs or failed, and while a recording is shown: its choices must be seen.
  const open = userOpen || set !== null || load.active || load.error !== null;
  return (
    <details
      className="recorded-details"
      data-testid="recorded-section"
      open={open}
      onToggle={(e) => setUserOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary title="The hidden states of a trained model, all layers at once, shown with the same metrics and spectra">
        Recorded hidden states
      </summary>
      <p className="hint">
        An <code>.npz</code> of stacks <code>(L+1, N, d)</code> (one per model), one <code>.npy</code> stack,
        or <code>layer_0.npy</code>, <code>layer_1.npy</code>, …; optional <code>labels</code>,{' '}
        <code>edges</code> and <code>attention</code> (see the README).
      </p>
      <div className="load-row">
        <button
          type="button"
          onClick={() => void loadRecordedExample()}
          disabled={load.active}
          data-testid="recorded-example"
          title="A GCN trained on part of Cora at 2, 16 and 32 layers, with and without ContraNorm"
        >
          Example: GCN on Cora
        </button>
        <FilesButton
          label="Choose files…"
          onFiles={(files) => void loadRecorded({ kind: 'files', files })}
          disabled={load.active}
          testId="recorded-file-input"
        />
      </div>
      {load.active ? (
        <p className="hint" role="status" data-testid="recorded-progress">
          {load.stage}…
        </p>
      ) : null}
      {load.error ? (
        <LoadError error={load.error} onDismiss={() => setLoad({ error: null })} testId="recorded-error" />
      ) : null}
      {set ? (
        <>
          <p className="hint" data-testid="recorded-summary">
            {set.files.join(' + ')}: {set.results.length} recorded{' '}
            {set.results.length === 1 ? 'stack' : 'stacks'}, N = {fmt(set.n)}
            {set.edges ? `, ${fmt(set.edges)} edges` : ''}
            {set.classes ? `, ${set.classes} classes` : ''}. A computed panel runs on their layer 0.
          </p>
          <PanelChoice panel="A" />
          <PanelChoice panel="B" />
        </>
      ) : null}
    </details>
  );
}
