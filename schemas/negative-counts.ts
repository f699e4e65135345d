// What Heat Tracer does with a negative count, once for the recorder (cli/) and the viewer.
// D's quantize() and lquantize() take a weight (`@[k] = quantize(v, -1)`), so a bucket's count can
// be negative. It is real data, and it is kept as read: hist holds it signed, and every export
// (CSV, JSON, clip, merge, the viewer's window export) carries it signed. The heat is made of the
// positive counts alone: heat map colours, events per second, rollups, key totals, range sums,
// percentiles and /metrics buckets sum `heatOf(n)`, so a negative count never cancels a positive
// one of another key or second (netted in the all-keys rollup, dtrace-utils' tst.negorder showed
// its one positive count as nothing) and never makes a total or a rank negative. It is shown
// beside the heat instead: the recorder writes a health warning for each second that holds one
// (negativeCountsNote), info sums them, /metrics has a gauge of their sum.

import type { Count } from './counts-json.js';

/** A count's part of the heat: the count when positive, else zero. */
export function heatOf(n: number): number;
export function heatOf(n: bigint): bigint;
export function heatOf(n: Count): Count;
export function heatOf(n: Count): Count {
  if (n > 0) return n;
  return typeof n === 'bigint' ? 0n : 0;
}

/** How every note about negative counts starts (the viewer's own note, for files written without one, too). */
export const NEGATIVE_COUNTS_NOTE = 'negative counts';

/** The first negative count of a second, to name in its note. */
export interface FirstNegative {
  /** The series as people read it: `@lat[read]`. */
  series: string;
  /** The bucket as printed: `[1, 1]`, `< -10`. */
  bucket: string;
  count: bigint;
}

/**
 * The health warning for one second's negative counts: `count` is how many cells (key and
 * bucket) were negative, the message their sum and the first of them.
 */
export function negativeCountsNote(
  cells: number,
  sum: bigint,
  first: FirstNegative,
): { kind: 'warning'; count: number; message: string } {
  const many = cells === 1 ? '1 cell' : `${cells} cells`;
  return {
    kind: 'warning',
    count: cells,
    message: `${NEGATIVE_COUNTS_NOTE} (D weights): ${many} summing to ${sum} (first: ${first.count} in ${first.series}, bucket ${first.bucket}); kept in the recording and its exports, left out of the heat map, events, totals and percentiles`,
  };
}

/** Whether a health message is a note about negative counts. */
export function isNegativeCountsNote(message: string): boolean {
  return message.startsWith(NEGATIVE_COUNTS_NOTE);
}
