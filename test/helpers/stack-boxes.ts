// Reading a real recording's stacks the way the tests judge them: the stack mass in a box
// (time x latency band) under one frame, and the histogram and stack counts cell by cell.

import type Database from 'better-sqlite3';

export interface Cell {
  t: number;
  lo: number;
  hi: number;
  n: number;
}

/** Stack mass in a box (all seconds, buckets within [lo, hi]) and the share of it under `frame`. */
export function boxShare(db: Database.Database, lo: number, hi: number, frame: string) {
  const rows = db
    .prepare(
      'SELECT frames, sum(n) AS n FROM stack_counts WHERE lo >= ? AND hi <= ? GROUP BY frames',
    )
    .all(lo, hi) as { frames: string; n: number }[];
  const total = rows.reduce((s, r) => s + r.n, 0);
  const under = rows
    .filter((r) => (JSON.parse(r.frames) as string[]).includes(frame))
    .reduce((s, r) => s + r.n, 0);
  return { total, under, share: under / total, rows: JSON.stringify(rows) };
}

/** Counts by cell (second and bucket), all keys summed, of the histograms or of the stacks. */
export function cells(db: Database.Database, view: 'counts' | 'stack_counts'): Map<string, Cell> {
  const rows = db
    .prepare(`SELECT t, lo, hi, sum(n) AS n FROM ${view} GROUP BY t, lo, hi`)
    .all() as Cell[];
  return new Map(rows.map((r) => [`${r.t}:${r.lo}`, r]));
}

/** Cells in a stable order, to compare two maps whole. */
export const sortedCells = (m: Map<string, Cell>) => [...m].sort(([a], [b]) => a.localeCompare(b));
