// First-visit guidance: three pointers (scenario menu, depth slider, s and τ), dismissed once
// and remembered in this browser. Not shown in presentation mode or on a classroom link.
import { useState } from 'react';
import { useLecture } from '../state/store';

const KEY = 'collapse-viz:start-here-dismissed';

function dismissed(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false; // storage refused (private mode): show it, dismissal lasts this page
  }
}

export function StartHere() {
  const hidden = useLecture((s) => s.presentation || s.classroom);
  const [gone, setGone] = useState(dismissed);
  if (hidden || gone) return null;
  const close = () => {
    setGone(true);
    try {
      window.localStorage.setItem(KEY, '1');
    } catch {
      // nothing to remember it in
    }
  };
  return (
    <aside className="start-here" data-testid="start-here" aria-label="Start here">
      <span>
        <strong>Start here:</strong> ① pick a scenario (top left) · ② drag <em>Depth</em> (bottom) or press
        space · ③ move ContraNorm <em>s</em> and <em>τ</em> (left)
      </span>
      <button type="button" onClick={close} data-testid="start-here-close" title="Hide this for good">
        Got it
      </button>
    </aside>
  );
}
