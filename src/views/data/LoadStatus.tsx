// A file load's progress bar, or what was wrong with the last file, at the top of the Data
// section (scrolled into view: a drop can happen while the sidebar shows something else).
import { useEffect, useRef } from 'react';
import { useLecture } from '../../state/store';
import { cancelLoad } from './loadController';
import { LoadError } from './LoadError';

export function LoadStatus() {
  const load = useLecture((s) => s.dataLoad);
  const setDataLoad = useLecture((s) => s.setDataLoad);
  const ref = useRef<HTMLDivElement>(null);
  const visible = load.active || load.error !== null;
  useEffect(() => {
    if (visible) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [visible]);
  if (!visible) return null;
  return (
    <div ref={ref}>
      {load.active ? (
        <div className="load-progress" role="status" data-testid="data-progress">
          <span>{load.stage}…</span>
          <progress max={1} value={load.fraction ?? undefined} />
          <button type="button" onClick={cancelLoad}>
            Cancel
          </button>
        </div>
      ) : null}
      {load.error ? (
        <LoadError error={load.error} onDismiss={() => setDataLoad({ error: null })} testId="data-error" />
      ) : null}
    </div>
  );
}
