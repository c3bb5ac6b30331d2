// The gradients-and-training view: gradient norms and similarity per layer for three
// stacks, training a GCN live, and accuracy against depth beside the published figures. The
// trainers run in workers (src/training/workerTrainer.ts); results live in ./runs.ts.
import { buildDataset } from '../../data/datasets';
import { useLectureFields } from '../../state/store';
import type { RanOn } from '../../training/protocol';
import { TRAINING_PRESETS, trainingPresetById } from '../../presets/training';
import {
  TRAINING_DEFAULTS,
  TRAINING_PANES,
  TRAINING_PANE_LABELS,
  type TrainingPane,
} from '../../state/training';
import { trainingDatasetSpec as datasetSpec } from '../../state/training';
import { GRADIENT_TEXT, SWEEP_TEXT, TRAIN_TEXT } from './explanations';
import { exportTrainingCsv, exportTrainingJson } from './exports';
import { GradientView } from './GradientView';
import { useTrainingRuns } from '../../runtime/training';
import { SweepView } from './SweepView';
import { TrainingControls } from './TrainingControls';
import { TrainPanel } from './TrainPanel';
import { Tabs } from '../Tabs';
import { useTrainingState } from './useTrainingState';

function PaneTabs({ pane }: { pane: TrainingPane }) {
  const { set } = useLectureFields('set');
  return (
    <Tabs
      values={TRAINING_PANES}
      labels={TRAINING_PANE_LABELS}
      selected={pane}
      onSelect={(p) => set({ tPane: p })}
      className="tr-tabs"
      ariaLabel="Parts of the training view"
      testIdPrefix="training-pane-"
    />
  );
}

function PresetPicker() {
  const { tPreset: preset, tData, set } = useLectureFields('tPreset', 'tData', 'set');
  return (
    <select
      className="tr-preset"
      value={preset}
      aria-label="Training preset"
      data-testid="training-preset"
      onChange={(e) => {
        const p = trainingPresetById(e.target.value);
        // A preset resets the view's settings (the data set is kept), so it always shows the same picture.
        if (p) set({ ...TRAINING_DEFAULTS, tData, ...p.settings, tPreset: p.id });
        else set({ tPreset: '' });
      }}
    >
      <option value="">Presets…</option>
      {TRAINING_PRESETS.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
        </option>
      ))}
    </select>
  );
}

function describe(ranOn: RanOn): string {
  return ranOn.kind === 'gpu' ? 'WGSL on WebGPU' : 'float64 CPU reference';
}

/**
 * Which trainer(s) this part uses: the worker's choice, or, once results arrived, the trainer(s)
 * that actually computed them (the GPU trainer hands configurations it lacks to the CPU one).
 * Null while the part's trainer has not started.
 */
function useTrainersUsed(pane: TrainingPane): RanOn[] | null {
  const info = useTrainingRuns((s) => s.trainer[pane]);
  const trainRanOn = useTrainingRuns((s) => s.train.ranOn);
  const gradRanOn = useTrainingRuns((s) => s.gradients.ranOn);
  if (!info) return null;
  let ran: RanOn[] = [{ kind: info.kind, note: info.fallbackReason }];
  if (pane === 'train' && trainRanOn) ran = [trainRanOn];
  if (pane === 'gradients') {
    const all = Object.values(gradRanOn).filter((r): r is RanOn => !!r);
    if (all.length)
      ran = all.filter((r, i) => all.findIndex((q) => q.kind === r.kind && q.note === r.note) === i);
  }
  return ran;
}

/** The badge beside the tabs: which trainer runs, in one short line (the reasons go below the plots). */
function TrainerStatus({ pane }: { pane: TrainingPane }) {
  const ran = useTrainersUsed(pane);
  const idle = useTrainingRuns((s) => pane !== 'gradients' && s[pane].status === 'idle');
  // The trainers of the training and sweep parts start with their first run, not before.
  if (!ran)
    return (
      <span className="tr-trainer tr-muted" data-testid="trainer-pending">
        {idle
          ? `Trainer: chosen when you press ${pane === 'sweep' ? 'Run sweep' : 'Train'}`
          : 'starting the trainer…'}
      </span>
    );
  const kinds = [...new Set(ran.map(describe))];
  const notes = ran.flatMap((r) => (r.note ? [r.note] : []));
  const text = `Trainer: ${kinds.join(' and ')}`;
  const kind = ran.every((r) => r.kind === 'gpu')
    ? 'gpu'
    : ran.every((r) => r.kind === 'cpu')
      ? 'cpu'
      : 'mixed';
  return (
    <span
      className={`tr-trainer tr-trainer-${kind}`}
      data-testid="trainer-kind"
      data-kind={kind}
      title={[text, ...notes].join('; ')}
    >
      {text}
      {notes.length ? ' (why: below)' : ''}
    </span>
  );
}

/** Why the CPU trainer ran where it did, under the plots (the badge has no room for it). */
function TrainerNotes({ pane }: { pane: TrainingPane }) {
  const ran = useTrainersUsed(pane);
  const notes = [...new Set((ran ?? []).flatMap((r) => (r.note ? [r.note] : [])))];
  if (!notes.length) return null;
  return (
    <p className="tr-muted tr-trainer-notes" data-testid="trainer-notes">
      CPU reference used: {notes.join('; ')}.
    </p>
  );
}

/** A readable name of the data set in use, for captions ("contextual SBM (n=200, …)"). */
function useDatasetName(): string {
  const state = useTrainingState();
  try {
    return buildDataset(datasetSpec(state)).name;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The formats the curves of the part on screen are saved in, a button each. */
const CURVE_EXPORTS = [
  { format: 'CSV', save: exportTrainingCsv },
  { format: 'JSON', save: exportTrainingJson },
] as const;

export function TrainingView() {
  const { tPane: pane, tPreset: presetId } = useLectureFields('tPane', 'tPreset');
  const datasetName = useDatasetName();
  const preset = trainingPresetById(presetId);
  const text = pane === 'gradients' ? GRADIENT_TEXT : pane === 'train' ? TRAIN_TEXT : SWEEP_TEXT;
  return (
    <main className="view-page tr-page" data-testid="training-view" data-pane={pane}>
      <div className="tr-top">
        <PaneTabs pane={pane} />
        <PresetPicker />
        <TrainerStatus pane={pane} />
        <div className="tr-exports">
          <span className="tr-muted">Curves:</span>
          {CURVE_EXPORTS.map((f) => (
            <button
              key={f.format}
              type="button"
              onClick={() => f.save(pane)}
              data-testid={`training-export-${f.format.toLowerCase()}`}
              title={`The curves of this part, with their configuration, as ${f.format}`}
            >
              {f.format}
            </button>
          ))}
        </div>
      </div>
      <div className="tr-explain">
        {preset && preset.settings.tPane === pane ? (
          <p className="tr-preset-text">{preset.explanation}</p>
        ) : null}
        <p>{text.text}</p>
        <p className="tr-sources">Sources: {text.sources}</p>
      </div>
      <div className="tr-body">
        <TrainingControls pane={pane} />
        <section className="tr-stage">
          {pane === 'gradients' ? <GradientView /> : null}
          {pane === 'train' ? <TrainPanel /> : null}
          {pane === 'sweep' ? <SweepView datasetName={datasetName} /> : null}
          <p className="tr-dataset tr-muted">Data: {datasetName}</p>
          <TrainerNotes pane={pane} />
        </section>
      </div>
    </main>
  );
}
