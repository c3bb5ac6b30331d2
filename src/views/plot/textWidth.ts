// How wide a plot label will be, so that a plot can shorten or move a label that would run into
// another, instead of guessing from its length. Measured with a 2-D canvas in the plot font;
// where no canvas is at hand (a test DOM without one) it falls back to a cautious 0.62 em a
// character, which errs towards shortening.
import { FONT } from './theme';

let context: CanvasRenderingContext2D | null | undefined;

function measuringContext(): CanvasRenderingContext2D | null {
  if (context === undefined) {
    try {
      context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    } catch {
      context = null;
    }
  }
  return context;
}

// Plots measure their labels on every render (a dragged depth slider re-renders the metric
// plots each step), and setting a canvas font parses it: remembered, the same few hundred labels
// cost a map lookup. Emptied when full, which a session of ordinary use never reaches.
const measured = new Map<string, number>();
const MAX_MEASURED = 4096;

/** The width in pixels of `text` at font size `fs` and weight `weight`, in the plot font. */
export function textWidth(text: string, fs: number, weight = 400): number {
  const key = `${weight} ${fs} ${text}`;
  const known = measured.get(key);
  if (known !== undefined) return known;
  const ctx = measuringContext();
  let width = 0.62 * fs * text.length;
  if (ctx) {
    ctx.font = `${weight} ${fs}px ${FONT}`;
    width = ctx.measureText(text).width;
  }
  if (measured.size >= MAX_MEASURED) measured.clear();
  measured.set(key, width);
  return width;
}

/** The first of `candidates` (longest first) that fits `room` pixels, else the last. */
export function fitting(candidates: readonly string[], room: number, fs: number, weight = 400): string {
  return candidates.find((c) => textWidth(c, fs, weight) <= room) ?? candidates[candidates.length - 1]!;
}
