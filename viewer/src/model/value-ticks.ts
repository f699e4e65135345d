// Tick values for the latency axis: decades (1, 10, 100 ...) on a log scale, 1-2-5 steps on a
// linear one. Values are in the recording's unit; value-format.ts turns them into labels.

/** Decade ticks inside [min, max], with 2x and 5x in between when there are few decades; 0 when in range. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  if (min <= 0 && max >= 0) ticks.push(0);
  const lo = Math.max(1, min);
  if (max < lo) return ticks;
  const decades: number[] = [];
  for (let p = 10 ** Math.floor(Math.log10(lo)); p <= max; p *= 10) if (p >= lo) decades.push(p);
  const multipliers = decades.length <= 2 ? [1, 2, 5] : [1];
  for (let p = 10 ** Math.floor(Math.log10(lo)); p <= max; p *= 10) {
    for (const m of multipliers) if (p * m >= lo && p * m <= max) ticks.push(p * m);
  }
  return ticks;
}

/** The 1-2-5 step that gives at most `maxCount` ticks over `span`. */
export function niceStep(span: number, maxCount: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, maxCount);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (p * m >= raw) return p * m;
  return p * 10;
}

/** Multiples of a 1-2-5 step inside [min, max]. */
export function linearTicks(min: number, max: number, maxCount: number): number[] {
  const step = niceStep(max - min, maxCount);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}
