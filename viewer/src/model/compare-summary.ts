// What Compare shows besides the map, computed from the sides: the two windows' latency
// histograms overlaid on the common axis (bar widths on a log scale shared by both), the
// difference under the pointer, and the legend's limit in words.

import type { Unit } from '../../../schemas/format.js';
import {
  diffValue,
  onCommonAxis,
  type CommonAxis,
  type DiffFrame,
  type DiffMode,
} from './diff-model.js';
import { formatBucketBounds, formatCount, formatNumber } from './value-format.js';

export interface HistogramRow {
  /** Row of the common axis. */
  row: number;
  label: string;
  a: number;
  b: number;
  /** Bar widths in % of the widest: log-scaled, at least 0.5 for any event. */
  wa: number;
  wb: number;
}

/** The rows either side has events in, highest latency first. */
export function compareHistogram(
  totalsA: Float64Array,
  totalsB: Float64Array,
  common: CommonAxis,
  unit: Unit,
): HistogramRow[] {
  const a = onCommonAxis(totalsA, common.rowsA, common.axis.length);
  const b = onCommonAxis(totalsB, common.rowsB, common.axis.length);
  const max = Math.max(1, ...a, ...b);
  const width = (n: number) => (n > 0 ? Math.max(0.5, (Math.log1p(n) / Math.log1p(max)) * 100) : 0);
  const rows = common.axis.rows;
  return [...a.keys()]
    .filter((r) => a[r]! > 0 || b[r]! > 0)
    .reverse()
    .map((r) => ({
      row: r,
      label: formatBucketBounds(rows[r]!.lo, rows[r]!.hi, unit),
      a: a[r]!,
      b: b[r]!,
      wa: width(a[r]!),
      wb: width(b[r]!),
    }));
}

/** Both sides' counts in one column over some rows of the common axis, and their difference (NaN: neither has any). */
export function diffCell(
  diff: DiffFrame,
  column: number,
  rows: Iterable<number>,
  mode: DiffMode,
): { a: number; b: number; value: number } {
  let a = 0;
  let b = 0;
  for (const r of rows) {
    a += diff.a[column * diff.rows + r]!;
    b += diff.b[column * diff.rows + r]!;
  }
  return { a, b, value: diffValue(a, b, mode) };
}

/** The legend's limit: "±N events" for a difference, "N× either way" for a log ratio. */
export function limitLabel(diff: DiffFrame, mode: DiffMode): string {
  return mode === 'difference'
    ? `±${formatCount(diff.limit)} events`
    : `${formatNumber(2 ** diff.limit)}× either way`;
}
