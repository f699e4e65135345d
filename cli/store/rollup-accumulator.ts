// Sums per-second counts into rollup windows in memory and hands back each window's rows once the
// window has closed, so the hot path only appends. The windows and their cascade are the format's
// rule (schemas/rollup-cascade.ts, shared with the viewer); the sums here are bigint-exact.

import { RollupCascade } from '../../schemas/rollup-cascade.js';
import { ROLLUP_LEVELS, PER_SERIES_ROLLUP_MIN_LEVEL } from '../../schemas/format.js';
import { SummedCounts } from './summed-counts.js';

/** One rollup row: a level-second window starting at t; seriesId 0 = all series summed. */
export interface RollupRow {
  level: number;
  t: number;
  seriesId: number;
  counts: string;
}

const SUMMED_COUNTS = {
  create: () => new SummedCounts(),
  fold: (into: SummedCounts, from: SummedCounts) => into.addAll(from),
};

export class RollupAccumulator {
  private readonly cascade: RollupCascade<SummedCounts>;
  /** Rows of the windows closed by the current call. */
  private closed: RollupRow[] = [];

  constructor(
    levels: readonly number[] = ROLLUP_LEVELS,
    perSeriesFrom = PER_SERIES_ROLLUP_MIN_LEVEL,
  ) {
    this.cascade = new RollupCascade(
      SUMMED_COUNTS,
      (level, t, sums) => {
        for (const [seriesId, sum] of [...sums].sort((a, b) => a[0] - b[0])) {
          const counts = sum.toJson();
          // A key whose counts in the window were all negative has no heat: no row, as for none.
          if (counts !== '{}') this.closed.push({ level, t, seriesId, counts });
        }
      },
      levels,
      perSeriesFrom,
    );
  }

  get levels(): readonly number[] {
    return this.cascade.levels;
  }

  /** Closes every window that ends at or before second t and returns its rows. */
  advanceTo(t: number): RollupRow[] {
    this.cascade.advanceTo(t);
    return this.takeClosed();
  }

  /**
   * The sums that one series' counts of second t go into (call advanceTo(t) first): add each
   * bucket's count to every one. Valid until the next call.
   */
  sumsFor(t: number, seriesId: number): readonly SummedCounts[] {
    return this.cascade.sumsFor(t, seriesId);
  }

  /** Closes every open window (end of recording). */
  flush(): RollupRow[] {
    this.cascade.flush();
    return this.takeClosed();
  }

  private takeClosed(): RollupRow[] {
    const rows = this.closed;
    this.closed = [];
    return rows;
  }
}
