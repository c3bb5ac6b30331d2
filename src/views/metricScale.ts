// When a metric's curve needs a log axis to be read.

/**
 * A real data set's raw features give layer 0 an effective rank in the hundreds (Cora's 1,433
 * features), the hidden layers after it a few units: on a linear axis those layers lie flat on
 * the floor. Above 64 and over more than a factor 30 the axis is logarithmic instead.
 */
export function wideRange(values: number[]): boolean {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length < 2) return false;
  const hi = Math.max(...pos);
  return hi > 64 && hi > 30 * Math.min(...pos);
}
