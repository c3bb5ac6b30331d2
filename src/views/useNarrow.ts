import { useSyncExternalStore } from 'react';

/**
 * The stylesheet's narrow-window rule (`@media (max-width: 1100px)` in styles.css): one column,
 * controls under the stage, and the page scrolls. A plot there must not take its height from its
 * container, whose height then follows its content: the two would grow each other without end.
 */
export const NARROW_QUERY = '(max-width: 1100px)';
/** A plot's height in the narrow layout: tall enough to read, short enough to see two at once. */
export const NARROW_PLOT_HEIGHT = 260;

function query(): MediaQueryList | null {
  return typeof window === 'undefined' || !window.matchMedia ? null : window.matchMedia(NARROW_QUERY);
}

function subscribe(onChange: () => void): () => void {
  const q = query();
  q?.addEventListener('change', onChange);
  return () => q?.removeEventListener('change', onChange);
}

/** Whether the narrow-window layout applies now (follows resizes). */
export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, () => query()?.matches ?? false);
}
