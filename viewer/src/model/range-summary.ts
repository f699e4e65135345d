// What the range panel shows for a dragged span of time (and optionally a band of latency
// rows): the merged histogram, its total, percentiles and max, and each key's share.

import { percentileRow, maxRow, RANGE_PERCENTILES, totalOf } from './percentiles.js';
import type { Recording } from './recording.js';

export interface RangeSelection {
  from: number;
  to: number;
  /** Axis rows inside the latency band, or null for all latencies. */
  rows: number[] | null;
}

export interface KeyShare {
  id: number;
  key: string;
  total: number;
  /** Row of this key's p99 in the range, or -1. */
  p99Row: number;
}

export interface RangeSummary {
  selection: RangeSelection;
  /** Counts per axis row, summed over the range and the selected keys. */
  counts: Float64Array;
  total: number;
  percentiles: { p: number; row: number }[];
  maxRow: number;
  /** Keys with events in the range, most events first. */
  keys: KeyShare[];
}

/** Sums the selected keys over the range, from rollup windows where they are complete. */
export function summarizeRange(
  recording: Recording,
  sel: RangeSelection,
  ids: readonly number[],
): RangeSummary {
  const perKey = recording.seriesCounts(sel.from, sel.to, ids);
  const counts = new Float64Array(recording.axis.length);
  const keys: KeyShare[] = [];
  const names = new Map(recording.series.map((s) => [s.id, s.key]));
  for (const [id, keyCounts] of perKey) {
    if (sel.rows) keepRows(keyCounts, sel.rows);
    const total = totalOf(keyCounts);
    if (total === 0) continue;
    for (let r = 0; r < counts.length; r++) counts[r] = counts[r]! + keyCounts[r]!;
    keys.push({
      id,
      key: names.get(id) ?? String(id),
      total,
      p99Row: percentileRow(keyCounts, 99, total),
    });
  }
  keys.sort((a, b) => b.total - a.total || a.id - b.id);
  const total = totalOf(counts);
  return {
    selection: sel,
    counts,
    total,
    keys,
    percentiles: RANGE_PERCENTILES.map((p) => ({ p, row: percentileRow(counts, p, total) })),
    maxRow: maxRow(counts),
  };
}

function keepRows(counts: Float64Array, rows: number[]): void {
  const keep = new Set(rows);
  for (let r = 0; r < counts.length; r++) if (!keep.has(r)) counts[r] = 0;
}
