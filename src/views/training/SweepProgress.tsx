// The depth sweep's duration and progress: before it starts, how long it is expected to take (once
// this page has timed a run); while it runs, how far it is, overall and in the current run, and
// about how long is left.
import type { SweepRunSpec } from '../../state/training';
import { useTrainingRuns } from '../../runtime/training';
import { formatDuration, remainingMs, runWork } from '../../runtime/sweepEta';

/** "expected about 4 min", or what is known without a timed run. */
export function useExpectedDuration(runs: SweepRunSpec[]): string {
  const timings = useTrainingRuns((s) => s.sweep.timings);
  const ms = remainingMs({ runs, current: 0, currentEpoch: 0, currentMs: 0, timings });
  const epochs = runs.reduce((a, r) => a + r.config.epochs, 0);
  if (ms === null)
    return `${epochs.toLocaleString('en-US')} epochs in all; the time is estimated once the first run is timed`;
  return `expected: ${formatDuration(ms)} on this machine`;
}

export function SweepProgress() {
  const run = useTrainingRuns((s) => s.sweep);
  if (run.status !== 'running' || !run.runs.length) return null;
  const cur = run.runs[run.current];
  const total = run.runs.reduce((a, r) => a + runWork(r.depth, r.config.epochs), 0);
  let done = 0;
  for (let i = 0; i < run.current; i++) done += runWork(run.runs[i].depth, run.runs[i].config.epochs);
  if (cur) done += runWork(cur.depth, run.currentEpoch);
  const left = remainingMs(run);
  return (
    <div
      className="tr-sweep-progress"
      data-testid="sweep-progress"
      data-run={run.current + 1}
      data-runs={run.runs.length}
      data-epoch={run.currentEpoch}
      data-remaining-ms={left === null ? '' : Math.round(left)}
    >
      <label>
        all runs
        <progress max={total} value={done} title="Work done, in layer-epochs (epochs × layers)" />
      </label>
      <label>
        this run
        <progress max={cur?.config.epochs ?? 1} value={run.currentEpoch} />
      </label>
      <span data-testid="sweep-remaining">
        {left === null ? 'timing the first epochs…' : `${formatDuration(left)} left`}
      </span>
    </div>
  );
}
