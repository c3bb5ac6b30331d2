// Keyboard shortcuts for the lecture (listed in the help overlay).
import { useEffect } from 'react';
import { useLecture } from '../state/store';
import { numberProp } from '../state/page';

export const SHORTCUTS: [string, string][] = [
  ['← / →', 'one layer shallower / deeper'],
  ['Space', 'play / pause'],
  ['[ / ]', 'ContraNorm s down / up'],
  ['- / =', 'ContraNorm τ down / up'],
  ['c', 'compare mode on / off'],
  ['p', 'presentation mode'],
  ['f', 'full screen'],
  ['?', 'this help'],
  ['Esc', 'close the help'],
];

function editable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return target.type !== 'range' && target.type !== 'checkbox';
  return (
    target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement || target.isContentEditable
  );
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || editable(e.target)) return;
      const s = useLecture.getState();
      // The lecture's keys belong to the depth view; the other views have their own controls.
      if (s.view !== 'depth' && e.key !== '?' && e.key !== 'Escape' && e.key !== 'f') return;
      const sProp = numberProp('s');
      const tProp = numberProp('tau');
      const inRange = e.target instanceof HTMLInputElement && e.target.type === 'range';
      let handled = true;
      switch (e.key) {
        case 'ArrowLeft':
        case 'ArrowRight':
          if (inRange) return; // the focused slider moves itself
          s.set({ depth: Math.round(s.depth) + (e.key === 'ArrowRight' ? 1 : -1), playing: false });
          break;
        case ' ':
          // Pausing lands on a whole layer: a class reads "layer 41", not "41.1".
          s.set(s.playing ? { playing: false, depth: Math.round(s.depth) } : { playing: true });
          break;
        case '[':
        case ']': {
          const v = Math.round((s.s + (e.key === ']' ? 0.1 : -0.1)) * 100) / 100;
          s.set({ s: Math.max(sProp.min, Math.min(sProp.max, v)) });
          break;
        }
        case '-':
        case '=': {
          const v = Number((s.tau * 10 ** (e.key === '=' ? 0.1 : -0.1)).toPrecision(3));
          s.set({ tau: Math.max(tProp.min, Math.min(tProp.max, v)) });
          break;
        }
        case 'c':
          s.set({ compare: !s.compare });
          break;
        case 'p':
          s.set({ presentation: !s.presentation });
          break;
        case 'f':
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => undefined);
          break;
        case '?':
          s.setHelpOpen(!s.helpOpen);
          break;
        case 'Escape':
          s.setHelpOpen(false);
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
