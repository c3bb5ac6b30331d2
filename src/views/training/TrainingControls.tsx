// The training view's controls: the data set (built-in CSBM, or a loaded set with labels, which
// can be loaded right here), then the settings of the part on screen. Every control is a
// property of src/state/training.ts.
import { useCallback, useMemo, useState } from 'react';
import { getRegisteredDataset, registeredDatasetIds } from '../../data/registry';
import type { NormKind } from '../../engine/types';
import { BUILTIN_CSBM, sweepNorms, type TrainingPane } from '../../state/training';
import { useLecture } from '../../state/store';
import { FilesButton, ReductionRow, useLoadOptions } from '../data/LoadPanel';
import { LoadStatus } from '../data/LoadStatus';
import { LoadSummary } from '../data/LoadSummary';
import { loadData } from '../data/loadController';
import { usePageDrop } from '../data/usePageDrop';
import { PropControl, PropControls } from '../PropControl';
import { normLabel } from '../plot/theme';
import { trainConfig, sweepRuns } from '../../state/training';
import { startSweep, startTraining, stopSweep, stopTraining, useTrainingRuns } from '../../runtime/training';
import { useExpectedDuration } from './SweepProgress';
import { useTrainingState } from './useTrainingState';

/** Loaded data sets a GCN can be trained on: a graph and labels. */
function trainableDatasets(): { id: string; name: string; split: boolean }[] {
  return registeredDatasetIds().flatMap((id) => {
    const ds = getRegisteredDataset(id);
    return ds && ds.graph && ds.labels && ds.numClasses ? [{ id, name: ds.name, split: !!ds.split }] : [];
  });
}

/**
 * Load a labelled graph for training: the file button, the feature reduction, and files dropped
 * on the page while this view is shown (the depth view's loader is unmounted meanwhile, so one
 * drop handler is active at a time). The load goes to the training view only.
 */
function TrainingLoader() {
  const active = useLecture((s) => s.dataLoad.active);
  const reduction = useLoadOptions();
  const { options } = reduction;
  const onFiles = useCallback(
    (files: File[]) => void loadData({ kind: 'files', files }, options(), { target: 'training' }),
    [options],
  );
  usePageDrop(onFiles);
  return (
    <div className="load-panel tr-loader" data-testid="train-loader">
      <div className="load-row">
        <FilesButton label="Load a graph…" onFiles={onFiles} disabled={active} testId="train-file-input" />
        <span className="tr-muted">or drop a file on the page</span>
      </div>
      <ReductionRow {...reduction} />
      <LoadStatus />
    </div>
  );
}

function DatasetControls() {
  const tData = useLecture((s) => s.tData);
  const set = useLecture((s) => s.set);
  const trainingLoaded = useLecture((s) => s.trainingLoaded);
  const depthLoaded = useLecture((s) => s.loaded);
  // The registry has no change events: re-read it when the list is opened, and whenever a
  // load (here or in the depth view) changed what is registered.
  const [focused, setFocused] = useState(0);
  const loaded = useMemo(trainableDatasets, [focused, tData, trainingLoaded, depthLoaded]);
  const missing = tData !== BUILTIN_CSBM && !loaded.some((d) => d.id === tData);
  const info = [trainingLoaded, depthLoaded].find((l) => l?.id === tData);
  return (
    <fieldset className="group tr-data" data-testid="train-data">
      <legend>Data set</legend>
      <label className="ctl">
        <span className="ctl-label">Graph with labels</span>
        <select
          value={tData}
          onFocus={() => setFocused((k) => k + 1)}
          onChange={(e) => set({ tData: e.target.value })}
          data-testid="train-dataset"
        >
          <option value={BUILTIN_CSBM}>built-in contextual SBM</option>
          {loaded.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {d.split ? ' (public split)' : ' (seeded split)'}
            </option>
          ))}
          {missing ? <option value={tData}>{tData} (not loaded)</option> : null}
        </select>
      </label>
      {missing ? (
        <p className="hint">
          “{tData}” is not loaded in this page: load its file again below, or pick the built-in CSBM.
        </p>
      ) : null}
      {info && !missing ? <LoadSummary loaded={info} /> : null}
      {tData === BUILTIN_CSBM ? (
        <>
          <PropControls
            names={['tN', 'tClasses', 'tDegree', 'tHomophily', 'tFeatureDim', 'tSeparation', 'tDataSeed']}
          />
        </>
      ) : null}
      <TrainingLoader />
    </fieldset>
  );
}

function ContraNormControls({ norm }: { norm: NormKind | null }) {
  if (norm !== null && norm !== 'contranorm') return null;
  return (
    <>
      <PropControls names={['tS', 'tTau', 'tVariant']} />
    </>
  );
}

function GradientControls() {
  const tgNorm = useLecture((s) => s.tgNorm);
  return (
    <fieldset className="group">
      <legend>The three stacks</legend>
      <PropControl name="tgLayers" />
      <PropControl name="tgNorm" />
      <ContraNormControls norm={tgNorm} />
      <PropControls names={['tAlpha', 'tHidden', 'tGain']} />
      <PropControl name="tSeed" label="Weight seed" />
    </fieldset>
  );
}

function OptimizerControls() {
  return (
    <fieldset className="group">
      <legend>Optimization (Adam)</legend>
      <PropControls names={['tLr', 'tWd', 'tDropout', 'tEpochs', 'tSeed']} />
    </fieldset>
  );
}

function TrainControls() {
  const state = useTrainingState();
  const status = useTrainingRuns((s) => s.train.status);
  const running = status === 'running';
  return (
    <>
      <div className="tr-run">
        <button
          type="button"
          className="tr-primary"
          onClick={() => (running ? stopTraining() : void startTraining(trainConfig(state)))}
          data-testid="train-start"
        >
          {running ? 'Stop' : 'Train'}
        </button>
      </div>
      <fieldset className="group">
        <legend>Model</legend>
        <PropControls names={['tLayers', 'tHidden', 'tNorm']} />
        <ContraNormControls norm={state.tNorm} />
        <PropControl name="tResidual" />
        {state.tResidual !== 'none' ? <PropControl name="tAlpha" /> : null}
        <PropControl name="tGain" />
      </fieldset>
      <OptimizerControls />
    </>
  );
}

const SWEEP_NORMS: NormKind[] = ['none', 'pairnorm', 'layernorm', 'contranorm', 'batchnorm'];

function SweepControls() {
  const state = useTrainingState();
  const set = useLecture((s) => s.set);
  const status = useTrainingRuns((s) => s.sweep.status);
  const running = status === 'running';
  const chosen = sweepNorms(state.tswNorms);
  const runs = sweepRuns(state);
  const expected = useExpectedDuration(runs);
  const toggle = (n: NormKind, on: boolean) => {
    const next = SWEEP_NORMS.filter((k) => (k === n ? on : chosen.includes(k)));
    set({ tswNorms: next.join(',') });
  };
  return (
    <>
      <div className="tr-run">
        <button
          type="button"
          className="tr-primary"
          disabled={!running && runs.length === 0}
          onClick={() => (running ? stopSweep() : void startSweep(runs))}
          data-testid="sweep-start"
        >
          {running ? 'Stop' : 'Run sweep'}
        </button>
        <span className="tr-muted" data-testid="sweep-expected">
          {runs.length} runs; {expected}
        </span>
      </div>
      <fieldset className="group">
        <legend>Sweep</legend>
        {SWEEP_NORMS.map((n) => (
          <label key={n} className="ctl ctl-bool">
            <input
              type="checkbox"
              checked={chosen.includes(n)}
              onChange={(e) => toggle(n, e.target.checked)}
            />
            {normLabel(n)}
          </label>
        ))}
        <PropControl name="tswSeeds" />
        <PropControl name="tsw64" />
      </fieldset>
      <fieldset className="group">
        <legend>Model at every depth</legend>
        <PropControl name="tHidden" />
        <ContraNormControls norm={null} />
        <PropControl name="tResidual" />
        <PropControl name="tGain" />
      </fieldset>
      <OptimizerControls />
    </>
  );
}

export function TrainingControls({ pane }: { pane: TrainingPane }) {
  return (
    <aside className="tr-side side">
      {pane === 'gradients' ? <GradientControls /> : null}
      {pane === 'train' ? <TrainControls /> : null}
      {pane === 'sweep' ? <SweepControls /> : null}
      <DatasetControls />
    </aside>
  );
}
