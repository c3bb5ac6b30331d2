// The controls a classroom link names (its show= list of URL keys, e.g. "d,s,tau"): the only
// controls on a classroom page. "d" is the depth bar (slider, play); others are their table's control.
import { PROPS } from '../state/page';
import { useLecture } from '../state/store';
import { PropControl } from './PropControl';

/** The URL keys named in a show= list, in their order, unknown ones dropped. */
export function namedKeys(show: string): string[] {
  const known = new Set(PROPS.map((p) => p.key));
  return show
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k && known.has(k));
}

export function ClassroomControls() {
  const show = useLecture((s) => s.show);
  const keys = namedKeys(show).filter((k) => k !== 'd' && k !== 'play');
  if (keys.length === 0) return null;
  return (
    <div className="classroom-controls" data-testid="classroom-controls">
      {keys.map((k) => {
        const p = PROPS.find((q) => q.key === k)!;
        return <PropControl key={k} name={p.name} compact />;
      })}
    </div>
  );
}
