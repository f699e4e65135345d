// Sums per-second counts into rollup windows (schemas/format.ts ROLLUP_LEVELS) in memory and
// hands back each window's rows once the window has closed, so the hot path only appends.
// Levels cascade: a second is added to the finest window only, and a closing window is added
// into the next coarser one, so the work per second does not grow with the number of levels.

import { ALL_SERIES, PER_SERIES_ROLLUP_MIN_LEVEL, ROLLUP_LEVELS } from '../../schemas/format.js';
import { SummedCounts } from './summed-counts.js';

/** One rollup row: a level-second window starting at t; seriesId 0 = all series summed. */
export interface RollupRow {
  level: number;
  t: number;
  seriesId: number;
  counts: string;
}

interface OpenWindow {
  start: number;
  series: Map<number, SummedCounts>;
}

export class RollupAccumulator {
  private readonly windows = new Map<number, OpenWindow>();
  private readonly perSeriesFrom: number;
  /** Reused by sumsFor: one array, not one per series per second. */
  private readonly targets: SummedCounts[] = [];

  constructor(
    readonly levels: readonly number[] = ROLLUP_LEVELS,
    perSeriesFrom = PER_SERIES_ROLLUP_MIN_LEVEL,
  ) {
    this.perSeriesFrom = levels.find((l) => l >= perSeriesFrom) ?? Infinity;
  }

  /** Closes every window that ends at or before second t and returns its rows. */
  advanceTo(t: number): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const level of this.levels) {
      const w = this.windows.get(level);
      if (w && t >= w.start + level) rows.push(...this.close(level, w));
    }
    return rows;
  }

  /**
   * The sums that one series' counts of second t go into (call advanceTo(t) first): add each
   * bucket's count to every one. Valid until the next call.
   */
  sumsFor(t: number, seriesId: number): readonly SummedCounts[] {
    this.targets.length = 0;
    this.targets.push(sums(this.window(this.levels[0]!, t), ALL_SERIES));
    if (this.perSeriesFrom !== Infinity)
      this.targets.push(sums(this.window(this.perSeriesFrom, t), seriesId));
    return this.targets;
  }

  /** Closes every open window (end of recording). */
  flush(): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const level of this.levels) {
      const w = this.windows.get(level);
      if (w) rows.push(...this.close(level, w));
    }
    return rows;
  }

  /** Emits a window's rows and folds its sums into the next coarser window. */
  private close(level: number, w: OpenWindow): RollupRow[] {
    this.windows.delete(level);
    const coarser = this.levels[this.levels.indexOf(level) + 1];
    if (coarser !== undefined) {
      const into = this.window(coarser, w.start);
      w.series.forEach((counts, seriesId) => sums(into, seriesId).addAll(counts));
    }
    return [...w.series.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([seriesId, counts]) => ({ level, t: w.start, seriesId, counts: counts.toJson() }));
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

function sums(w: OpenWindow, seriesId: number): SummedCounts {
  let counts = w.series.get(seriesId);
  if (!counts) {
    counts = new SummedCounts();
    w.series.set(seriesId, counts);
  }
  return counts;
}
