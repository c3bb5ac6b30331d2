// The first second of a plain visit: the page's address with no settings in the link opens at
// depth 0, where every panel's cloud looks alike and nothing has collapsed yet. So once the
// panels have drawn, the depth plays from 0 to L once, and collapse is the first thing a class
// sees. A link that names settings opens exactly as it says (a lecturer's link is a picture).
import { useLecture } from './store';

/** True for the page's plain address: no settings in the hash. Read before the URL sync rewrites it. */
export function isPlainVisit(hash: string): boolean {
  return hash === '' || hash === '#';
}

/** Plays the depth once from 0 to L when the shown panels' first results land; does nothing if the viewer acted first. */
export function startIntro(): () => void {
  const store = useLecture;
  const start = store.getState();
  let done = false;
  const unsubscribe = store.subscribe((s) => {
    if (done) return;
    // Someone moved the depth, pressed play, chose a preset or another view: theirs, not ours.
    if (s.depth !== start.depth || s.playing || s.view !== 'depth' || s.lesson !== start.lesson) {
      done = true;
      unsubscribe();
      return;
    }
    const ready = window.lectureSettled?.('A') && (!s.compare || window.lectureSettled?.('B'));
    if (!ready) return;
    done = true;
    unsubscribe();
    // The points are projected in a worker after the result lands: start on the drawn picture of
    // layer 0, not before it.
    const drawn = () =>
      Number(document.querySelector('[data-testid="points-A"]')?.getAttribute('data-drawn-points') ?? 0) > 0;
    const go = () => {
      const now = store.getState();
      if (now.depth !== 0 || now.playing || now.layers === 0) return;
      if (drawn()) now.set({ playing: true });
      else requestAnimationFrame(go);
    };
    go();
  });
  return unsubscribe;
}
