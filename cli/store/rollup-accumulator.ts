// Sums per-second counts into rollup windows (schemas/format.ts ROLLUP_LEVELS) in memory and
// hands back each window's rows once the window has closed, so the hot path only appends.

import { ALL_SERIES, PER_SERIES_ROLLUP_MIN_LEVEL, ROLLUP_LEVELS } from '../../schemas/format.js';
import { addCounts, countsToJson, type BucketCounts } from './bucket-counts.js';

/** One rollup row: a level-second window starting at t; seriesId 0 = all series summed. */
export interface RollupRow {
  level: number;
  t: number;
  seriesId: number;
  counts: string;
}

interface OpenWindow {
  start: number;
  /** seriesId -> summed counts */
  series: Map<number, BucketCounts>;
}

export class RollupAccumulator {
  private windows = new Map<number, OpenWindow>();

  constructor(readonly levels: readonly number[] = ROLLUP_LEVELS) {}

  /** Closes every window that ends at or before second t and returns its rows. */
  advanceTo(t: number): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const level of this.levels) {
      const w = this.windows.get(level);
      if (w && t >= w.start + level) {
        rows.push(...toRows(level, w));
        this.windows.delete(level);
      }
    }
    return rows;
  }

  /** Adds one series' counts of second t (call advanceTo(t) first). */
  add(t: number, seriesId: number, counts: BucketCounts): void {
    for (const level of this.levels) {
      const w = this.window(level, t);
      if (level >= PER_SERIES_ROLLUP_MIN_LEVEL) addCounts(sums(w, seriesId), counts);
      addCounts(sums(w, ALL_SERIES), counts);
    }
  }

  /** Closes every open window (end of recording). */
  flush(): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const [level, w] of this.windows) rows.push(...toRows(level, w));
    this.windows.clear();
    return rows;
  }

  private window(level: number, t: number): OpenWindow {
    let w = this.windows.get(level);
    if (!w) {
      w = { start: t - (t % level), series: new Map() };
      this.windows.set(level, w);
    }
    return w;
  }
}

function sums(w: OpenWindow, seriesId: number): BucketCounts {
  let counts = w.series.get(seriesId);
  if (!counts) {
    counts = new Map();
    w.series.set(seriesId, counts);
  }
  return counts;
}

function toRows(level: number, w: OpenWindow): RollupRow[] {
  return [...w.series.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([seriesId, counts]) => ({ level, t: w.start, seriesId, counts: countsToJson(counts) }));
}
