// What the tooltip says about one cell of the map: its seconds, its bucket(s), the count painted
// there, that count's share of the column, and which keys it came from.

import type { AxisLayout } from './axis-layout.js';
import type { ColumnFrame } from './column-frame.js';
import type { Recording } from './recording.js';

export interface CellInfo {
  /** Seconds [from, to) under the column. */
  from: number;
  to: number;
  /** Axis rows painted in this cell (one, or several sub-pixel or overlapping buckets). */
  rows: number[];
  count: number;
  /** Events in the column, and this cell's share of them (0..1). */
  columnTotal: number;
  share: number;
  /** Keys with events in this cell, most first (at most `topN`). */
  topKeys: { id: number; key: string; count: number }[];
}

/**
 * @param ids the keys the map currently sums
 */
export function cellInfo(
  recording: Recording,
  frame: ColumnFrame,
  layout: AxisLayout,
  column: number,
  run: number,
  ids: readonly number[],
  topN = 5,
): CellInfo | null {
  const r = layout.runs[run];
  if (!r || column < 0 || column >= frame.columns) return null;
  const rows = [...r.rows];
  let count = 0;
  for (const row of rows) count += frame.counts[column * frame.rows + row]!;
  const from = frame.from[column]!;
  const to = frame.to[column]!;
  const columnTotal = frame.totals[column]!;
  return {
    from,
    to,
    rows,
    count,
    columnTotal,
    share: columnTotal > 0 ? count / columnTotal : 0,
    topKeys: count > 0 ? topKeys(recording, from, to, rows, ids, topN) : [],
  };
}

function topKeys(
  recording: Recording,
  from: number,
  to: number,
  rows: number[],
  ids: readonly number[],
  topN: number,
): CellInfo['topKeys'] {
  const names = new Map(recording.series.map((s) => [s.id, s.key]));
  const out: CellInfo['topKeys'] = [];
  for (const [id, counts] of recording.seriesCounts(from, to, ids)) {
    let n = 0;
    for (const row of rows) n += counts[row]!;
    if (n > 0) out.push({ id, key: names.get(id) ?? String(id), count: n });
  }
  return out.sort((a, b) => b.count - a.count || a.id - b.id).slice(0, topN);
}
