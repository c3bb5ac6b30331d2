// The view's side panel: presets, play/pause/step/reset, every setting (PropControl, ranges from
// the property table), and the trajectory exports.
import type { NcController } from '../../runtime/noncontrastive';
import { trajectoriesCsv, trajectoriesJson } from './exports';
import { matchingPreset, NC_PRESETS } from '../../presets/noncontrastive';
import { useNcRun } from '../../runtime/noncontrastive';
import { ncConfigOf } from '../../state/noncontrastive';
import { recordEvery } from '../../noncontrastive/trainer';
import { useShallow } from 'zustand/react/shallow';
import { pickState, useLecture } from '../../state/store';
import { download } from '../exports';
import { PropControl, PropControls } from '../PropControl';

function exportFile(kind: 'csv' | 'json'): void {
  const run = useNcRun.getState();
  const cfg = run.cfg ?? ncConfigOf(useLecture.getState());
  const url = window.location.href;
  if (kind === 'csv')
    download(
      'noncontrastive-eigenvalues.csv',
      new Blob([trajectoriesCsv(run, cfg, url)], { type: 'text/csv' }),
    );
  else
    download(
      'noncontrastive-eigenvalues.json',
      new Blob([trajectoriesJson(run, cfg, url)], { type: 'application/json' }),
    );
}

export function NcControls({ ctl }: { ctl: NcController | null }) {
  const preset = matchingPreset(useLecture(useShallow(pickState)))?.id ?? '';
  const target = useLecture((s) => s.ncTarget);
  const steps = useLecture((s) => s.ncSteps);
  const set = useLecture((s) => s.set);
  const playing = useNcRun((s) => s.playing);
  const step = useNcRun((s) => s.step);
  const total = useNcRun((s) => s.cfg?.steps ?? steps);
  const chunk = recordEvery(steps) * 5;
  return (
    <aside className="nc-side" aria-label="SimSiam/BYOL settings">
      <label className="ctl">
        <span className="ctl-label">Preset</span>
        <select
          value={preset}
          data-testid="nc-preset"
          onChange={(e) => {
            const p = NC_PRESETS.find((x) => x.id === e.target.value);
            if (p) set(p.settings);
          }}
        >
          <option value="">custom</option>
          {NC_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <div className="nc-buttons">
        {playing ? (
          <button type="button" onClick={() => ctl?.pause()} data-testid="nc-pause">
            ❚❚ Pause
          </button>
        ) : (
          <button type="button" onClick={() => ctl?.play()} data-testid="nc-play">
            ▶ {step >= total ? 'Replay' : 'Play'}
          </button>
        )}
        <button type="button" onClick={() => ctl?.step(chunk)} disabled={playing} data-testid="nc-step">
          +{chunk} steps
        </button>
        <button type="button" onClick={() => ctl?.reset()} data-testid="nc-reset">
          Reset
        </button>
      </div>
      <p className="nc-progress" data-testid="nc-progress">
        step {step} of {total}
      </p>
      <fieldset className="group">
        <legend>Regularization vs augmentation</legend>
        <PropControl name="ncEta" />
        <PropControl name="ncSigma" />
      </fieldset>
      <fieldset className="group">
        <legend>Optimization</legend>
        <PropControls names={['ncLr', 'ncAlphaP', 'ncTarget']} />
        {target === 'byol' ? <PropControl name="ncBeta" /> : null}
        <PropControl name="ncSteps" />
      </fieldset>
      <fieldset className="group">
        <legend>Model and data</legend>
        <PropControls names={['ncDIn', 'ncDOut', 'ncBatch', 'ncInit', 'ncPredInit', 'ncSymPred', 'ncSeed']} />
      </fieldset>
      <fieldset className="group">
        <legend>Export</legend>
        <div className="nc-buttons">
          <button type="button" onClick={() => exportFile('csv')} data-testid="nc-export-csv">
            Eigenvalues (CSV)
          </button>
          <button type="button" onClick={() => exportFile('json')} data-testid="nc-export-json">
            (JSON)
          </button>
        </div>
      </fieldset>
    </aside>
  );
}
