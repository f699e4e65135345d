// Comparing two latency distributions over time: side A and side B (two recordings, or two
// windows of one) aligned on relative time, cut into the same pixel columns, on one bucket axis
// holding the buckets of both. Each cell is B − A (events), or log2((B + 1) / (A + 1)) (how
// many times more, with one event added to each side so an empty side is not infinitely far).

import { BucketAxis, type AxisBucket } from './bucket-axis.js';
import type { ColumnFrame } from './column-frame.js';

export type DiffMode = 'difference' | 'log-ratio';

export const DIFF_MODES: readonly DiffMode[] = ['difference', 'log-ratio'];

/** One axis for both sides, and where each side's rows land on it. */
export interface CommonAxis {
  axis: BucketAxis;
  /** Row on the common axis of each row of side A's axis (and of B's). */
  rowsA: Int32Array;
  rowsB: Int32Array;
}

/** The union of both axes' buckets, a bucket being the same on both sides when its bounds are. */
export function commonAxis(a: BucketAxis, b: BucketAxis): CommonAxis {
  const key = (x: AxisBucket) => `${x.lo ?? ''},${x.hi ?? ''}`;
  const buckets = new Map<string, AxisBucket>();
  for (const x of [...a.rows, ...b.rows])
    if (!buckets.has(key(x))) buckets.set(key(x), { id: buckets.size, lo: x.lo, hi: x.hi });
  const axis = new BucketAxis([...buckets.values()]);
  const rowsOf = (side: BucketAxis) =>
    Int32Array.from(side.rows, (x) => axis.rowOf(buckets.get(key(x))!.id));
  return { axis, rowsA: rowsOf(a), rowsB: rowsOf(b) };
}

/** A cell's value; NaN when neither side has events there (nothing to compare). */
export function diffValue(a: number, b: number, mode: DiffMode): number {
  if (a === 0 && b === 0) return NaN;
  return mode === 'difference' ? b - a : Math.log2((b + 1) / (a + 1));
}

export interface DiffFrame {
  columns: number;
  rows: number;
  /** Counts of each side on the common axis, column-major like ColumnFrame. */
  a: Float64Array;
  b: Float64Array;
  /** diffValue of each cell, column-major. */
  values: Float64Array;
  /** The largest |value|: the diverging scale spans [-limit, limit]. */
  limit: number;
}

/** Cell by cell comparison of two frames of the same number of columns. */
export function diffFrames(
  a: ColumnFrame,
  b: ColumnFrame,
  common: CommonAxis,
  mode: DiffMode,
): DiffFrame {
  if (a.columns !== b.columns)
    throw new Error(`frames of ${a.columns} and ${b.columns} columns cannot be compared`);
  const rows = common.axis.length;
  const out: DiffFrame = {
    columns: a.columns,
    rows,
    a: remap(a, common.rowsA, rows),
    b: remap(b, common.rowsB, rows),
    values: new Float64Array(a.columns * rows),
    limit: 0,
  };
  for (let i = 0; i < out.values.length; i++) {
    const v = diffValue(out.a[i]!, out.b[i]!, mode);
    out.values[i] = v;
    if (Math.abs(v) > out.limit) out.limit = Math.abs(v);
  }
  return out;
}

/**
 * A side's histogram (counts per row of its own axis, e.g. its window's total) on the common
 * axis: the two histograms overlaid under the map. Not summed from the frames' columns, which
 * repeat a window when it is wider than a column.
 */
export function onCommonAxis(counts: Float64Array, rows: Int32Array, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let r = 0; r < counts.length; r++) out[rows[r]!]! += counts[r]!;
  return out;
}

/** Position on a diverging scale, -1 (A far above B) .. 0 (equal) .. 1 (B far above A). */
export function divergingPosition(v: number, limit: number, mode: DiffMode): number {
  if (!Number.isFinite(v) || limit === 0) return 0;
  // Differences of counts span orders of magnitude: compress them like the log colour scale.
  const p =
    mode === 'difference' ? Math.log1p(Math.abs(v)) / Math.log1p(limit) : Math.abs(v) / limit;
  return Math.sign(v) * Math.min(1, p);
}

function remap(frame: ColumnFrame, rows: Int32Array, common: number): Float64Array {
  const out = new Float64Array(frame.columns * common);
  for (let c = 0; c < frame.columns; c++) {
    for (let r = 0; r < frame.rows; r++)
      out[c * common + rows[r]!]! += frame.counts[c * frame.rows + r]!;
  }
  return out;
}
