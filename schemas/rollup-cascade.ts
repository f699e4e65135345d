// The rollup rule, once for the recorder (cli/store/rollup-accumulator.ts) and the viewer
// (viewer/src/load/rollup-build.ts): open windows of every level (ROLLUP_LEVELS); a second goes
// into the finest window as the all-series sum and into the first per-series level per series; a
// window that closes is emitted and folded into the next coarser one, so the work per second does
// not grow with the number of levels. Each side brings its own sums (bigint-exact in the CLI),
// of positive counts only (negative-counts.ts).

import { ALL_SERIES, PER_SERIES_ROLLUP_MIN_LEVEL, ROLLUP_LEVELS } from './format.js';

/** How a side keeps one series' sums in a window. */
export interface WindowSums<S> {
  create(): S;
  /** Adds `from` into `into` (a closed window folded into the next coarser one). */
  fold(into: S, from: S): void;
}

/** A closed window: `level` seconds from `start`, its sums by series id (ALL_SERIES = 0 too). */
export type EmitWindow<S> = (level: number, start: number, sums: ReadonlyMap<number, S>) => void;

interface OpenWindow<S> {
  start: number;
  sums: Map<number, S>;
}

export class RollupCascade<S> {
  private readonly open = new Map<number, OpenWindow<S>>();
  private readonly perSeriesLevel: number | undefined;
  /** Reused by sumsFor: one array, not one per series per second. */
  private readonly targets: S[] = [];

  constructor(
    private readonly sums: WindowSums<S>,
    private readonly emit: EmitWindow<S>,
    readonly levels: readonly number[] = ROLLUP_LEVELS,
    perSeriesFrom: number = PER_SERIES_ROLLUP_MIN_LEVEL,
  ) {
    this.perSeriesLevel = levels.find((l) => l >= perSeriesFrom);
  }

  /** Closes (emits) every window that ends at or before second t; seconds come in time order. */
  advanceTo(t: number): void {
    for (const level of this.levels) {
      const w = this.open.get(level);
      if (w && t >= w.start + level) this.close(level, w);
    }
  }

  /**
   * The sums one series' counts of second t go into (call advanceTo(t) first): the all-series
   * sum of the finest level, and the series' own sum of the first per-series level. Valid until
   * the next call.
   */
  sumsFor(t: number, seriesId: number): readonly S[] {
    this.targets.length = 0;
    this.targets.push(this.sumOf(this.window(this.levels[0]!, t), ALL_SERIES));
    if (this.perSeriesLevel !== undefined)
      this.targets.push(this.sumOf(this.window(this.perSeriesLevel, t), seriesId));
    return this.targets;
  }

  /** Closes every open window (the end of the seconds). */
  flush(): void {
    for (const level of this.levels) {
      const w = this.open.get(level);
      if (w) this.close(level, w);
    }
  }

  private close(level: number, w: OpenWindow<S>): void {
    this.open.delete(level);
    this.emit(level, w.start, w.sums);
    const coarser = this.levels[this.levels.indexOf(level) + 1];
    if (coarser === undefined) return;
    const into = this.window(coarser, w.start);
    w.sums.forEach((sum, seriesId) => this.sums.fold(this.sumOf(into, seriesId), sum));
  }

  private window(level: number, t: number): OpenWindow<S> {
    let w = this.open.get(level);
    if (!w) this.open.set(level, (w = { start: t - (t % level), sums: new Map() }));
    return w;
  }

  private sumOf(w: OpenWindow<S>, seriesId: number): S {
    let sum = w.sums.get(seriesId);
    if (sum === undefined) w.sums.set(seriesId, (sum = this.sums.create()));
    return sum;
  }
}
