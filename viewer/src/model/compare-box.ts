// "The same box in A and B" for Compare: a box drawn on the map lies in one side's window (B's
// when B is the map's view, else A's); its offset into that window, its length and its latency
// band are applied to both sides, as the differential heat map aligns them on relative time.

import type { BucketAxis } from './bucket-axis.js';
import type { RangeSelection } from './range-summary.js';
import { bucketIdsOfRows, bucketIdsWithin } from './stack-box.js';

export interface SideWindow {
  /** Seconds [from, to) of the side's recording. */
  from: number;
  to: number;
  /** Whether this side is a window of the recording the map shows (so the box can be drawn in it). */
  onMap: boolean;
}

/** Seconds [from, to) of the box on one side. */
export interface SideSpan {
  from: number;
  to: number;
}

/** The box's seconds on each side, or null when it lies in neither side's window on the map. */
export function boxOnBothSides(
  range: RangeSelection,
  a: SideWindow,
  b: SideWindow,
): { a: SideSpan; b: SideSpan } | null {
  const inside = (s: SideWindow) => s.onMap && range.from >= s.from && range.to <= s.to;
  const drawnIn = inside(b) ? b : inside(a) ? a : null;
  if (!drawnIn) return null;
  const offset = range.from - drawnIn.from;
  const length = range.to - range.from;
  const at = (s: SideWindow) => ({ from: s.from + offset, to: s.from + offset + length });
  return { a: at(a), b: at(b) };
}

/**
 * The band's bucket ids on a side's axis: the rows themselves on the map's own axis; on another
 * recording's axis, its buckets within the band's bounds. Null rows: every bucket (null).
 */
export function bandOnAxis(
  rows: readonly number[] | null,
  mapAxis: BucketAxis,
  axis: BucketAxis,
): Set<number> | null {
  if (!rows || rows.length === 0) return null;
  if (axis === mapAxis) return bucketIdsOfRows(mapAxis, rows);
  const buckets = rows.map((r) => mapAxis.rows[r]!);
  const lo = buckets.some((b) => b.lo === null) ? null : Math.min(...buckets.map((b) => b.lo!));
  const hi = buckets.some((b) => b.hi === null) ? null : Math.max(...buckets.map((b) => b.hi!));
  return bucketIdsWithin(axis, lo, hi);
}
