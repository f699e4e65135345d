// Numbers imported intervals as seconds and gives each its wall clock. Saved output has no
// tracer clock, so intervals are one second apart, except where the script printed the wall
// clock (DTrace `printf("%d\n", walltimestamp / 1000000000)` before each printa): then the
// seconds between two printed times say how far apart they are, and a skipped second is a gap.

import { isStartMs, MAX_SECOND } from '../../schemas/recording-limits.js';
import { HeatError } from '../model/heat-error.js';

/** A printed time further than this from the previous one is taken as garbled, not as a gap. */
const MAX_JUMP_S = 86_400;

export interface IntervalTime {
  /** Whole seconds since the first interval's start. */
  t: number;
  /** When the interval ended, Unix ms. */
  wallMs: number;
}

/**
 * Seconds and wall clocks for intervals that carry a printed end time or null.
 * @param startMs the first interval's start; default: from the first printed time, else savedMs minus the length
 * @param savedMs when the input was saved (taken as the end of its last interval)
 */
export function numberIntervals(
  intervals: readonly { wallMs: number | null }[],
  startMs: number | undefined,
  savedMs: number,
): IntervalTime[] {
  const ts: number[] = [];
  let anchor: { t: number; wallMs: number } | null = null;
  for (const iv of intervals) {
    const next = ts.length === 0 ? 0 : ts[ts.length - 1]! + 1;
    const t: number =
      iv.wallMs === null || anchor === null ? next : fromAnchor(anchor, iv.wallMs, next);
    if (iv.wallMs !== null && anchor === null) anchor = { t, wallMs: iv.wallMs };
    ts.push(t);
  }
  const last = ts[ts.length - 1] ?? 0;
  if (last > MAX_SECOND)
    throw new HeatError(
      `the input spans ${last + 1} seconds, more than a recording holds (${MAX_SECOND + 1})`,
      'import a part of it',
    );
  const start = Math.round(
    startMs ?? (anchor ? anchor.wallMs - (anchor.t + 1) * 1000 : savedMs - (last + 1) * 1000),
  );
  if (!isStartMs(start))
    throw new HeatError(
      `the input's start time ${start} ms is not between 1970 and 9999`,
      'give one with --start',
    );
  return ts.map((t) => ({ t, wallMs: start + (t + 1) * 1000 }));
}

/** The second a printed time ends, counted from the first printed time; `next` when it goes back or leaps. */
function fromAnchor(anchor: { t: number; wallMs: number }, wallMs: number, next: number): number {
  const t = anchor.t + Math.round((wallMs - anchor.wallMs) / 1000);
  return t >= next && t - next <= MAX_JUMP_S ? t : next;
}
