// An opened recording: what it is (metadata, keys, buckets, seconds, health) and its counts,
// per key selection: for drawing, at every rollup level, read a chunk at a time as frames need
// them (counts(), so a day-long recording paints from a few thousand rows); as whole per-second
// grids when asked (grid()); per key over a range from whole rollup windows (seriesCounts()).
// New seconds can be appended.

import { ROLLUP_LEVELS } from '../../../schemas/format.js';
import {
  heatOf,
  isNegativeCountsNote,
  NEGATIVE_COUNTS_NOTE,
} from '../../../schemas/negative-counts.js';
import { Emitter } from './emitter.js';
import { LeveledCounts } from './leveled-counts.js';
import { BucketAxis, type AxisScale } from './bucket-axis.js';
import { includedIds, type KeySelection } from './key-selection.js';
import type {
  AppendedSecond,
  ClipNote,
  CountsRow,
  RecordingInfo,
  RecordingSource,
  SeriesInfo,
  StackHistRow,
} from './recording-source.js';
import { planRead } from './rollup-plan.js';
import { GridBuilder, TimeGrid } from './time-grid.js';

const GRID_CACHE_SIZE = 6;

export class Recording {
  private bucketAxis: BucketAxis;
  readonly seriesIds: number[];
  /** The first second and the second after the last one recorded. */
  readonly t0: number;
  private endT: number;
  private recorded: Uint8Array;
  private allGrid: TimeGrid | null = null;
  private readonly grids = new Map<string, TimeGrid>();
  private totals: Map<number, number> | null = null;
  private readonly counted = new Map<string, LeveledCounts>();
  /** Counts read in the background can be drawn. */
  readonly detailArrived = new Emitter();
  /** More of the file could not be read (views keep what they have). */
  readonly readFailed = new Emitter<unknown>();
  /** A note was added to the health list (negative counts found while reading). */
  readonly noteAdded = new Emitter();

  constructor(
    readonly info: RecordingInfo,
    private readonly source: RecordingSource,
  ) {
    source.detailArrived.subscribe(() => this.detailArrived.emit());
    source.readFailed.subscribe((err) => this.readFailed.emit(err));
    source.negativeFound.subscribe((n) => this.noteNegative(n));
    this.bucketAxis = new BucketAxis(info.buckets);
    this.seriesIds = info.series.map((s) => s.id);
    const runs = info.secondRuns;
    this.t0 = runs.length ? runs[0]!.first : 0;
    this.endT = runs.length ? runs[runs.length - 1]!.last + 1 : this.t0;
    this.recorded = new Uint8Array(Math.max(64, this.endT - this.t0));
    for (const r of runs) this.recorded.fill(1, r.first - this.t0, r.last + 1 - this.t0);
  }

  get end(): number {
    return this.endT;
  }

  /** Bytes of the file held in memory when it is read in parts; null when it is held whole. */
  get heldBytes(): number | null {
    return this.source.heldBytes ?? null;
  }

  /** Every bucket as one row. A new object when a live second brings new buckets. */
  get axis(): BucketAxis {
    return this.bucketAxis;
  }

  get series(): SeriesInfo[] {
    return this.info.series;
  }

  /** log for power-of-two schemes, linear when every key has linear buckets. */
  get defaultScale(): AxisScale {
    return BucketAxis.defaultScale(this.info.series.map((s) => s.scheme));
  }

  isRecorded(t: number): boolean {
    const i = t - this.t0;
    return i >= 0 && i < this.endT - this.t0 && this.recorded[i] === 1;
  }

  /** The counts of a key selection, second by second. */
  grid(sel: KeySelection): TimeGrid {
    const ids = includedIds(sel, this.seriesIds);
    if (ids.length === this.seriesIds.length) return this.allKeysGrid();
    const cacheKey = ids.join(',');
    let grid = this.grids.get(cacheKey);
    if (!grid) {
      grid = this.buildSelectionGrid(ids);
      if (this.grids.size >= GRID_CACHE_SIZE) this.grids.delete(this.grids.keys().next().value!);
      this.grids.set(cacheKey, grid);
    }
    return grid;
  }

  /** The counts of a key selection at every stored resolution, for drawing. */
  counts(sel: KeySelection): LeveledCounts {
    const ids = includedIds(sel, this.seriesIds);
    const all = ids.length === this.seriesIds.length;
    const cacheKey = all ? 'all' : ids.join(',');
    let counts = this.counted.get(cacheKey);
    if (!counts) {
      counts = this.leveledCounts(all ? null : ids);
      if (this.counted.size >= GRID_CACHE_SIZE)
        this.forgetCounts(this.counted.keys().next().value!);
      this.counted.set(cacheKey, counts);
    }
    return counts;
  }

  /** Seconds [from, to) as a recording of their own (see RecordingSource.clip). */
  clip(from: number, to: number, note: ClipNote): Promise<Uint8Array | null> {
    return this.source.clip(from, to, note);
  }

  /** Whether any second in [from, to) was recorded. */
  anyRecorded(from: number, to: number): boolean {
    for (let t = Math.max(from, this.t0); t < Math.min(to, this.endT); t++)
      if (this.recorded[t - this.t0] === 1) return true;
    return false;
  }

  /** Counts per series (rows = axis rows) over seconds [from, to), for the given series or all. */
  seriesCounts(
    from: number,
    to: number,
    ids: readonly number[] | null = null,
  ): Map<number, Float64Array> {
    const out = new Map<number, Float64Array>();
    const perSeries = new Set(this.info.perSeriesLevels);
    const levels = new Map(
      [...this.info.rollupThrough].filter(([level]) => level > 1 && perSeries.has(level)),
    );
    for (const step of planRead(from, to, levels, this.endT)) {
      for (const row of this.source.levelRows(step.level, step.from, step.to, ids)) {
        let counts = out.get(row.seriesId);
        if (!counts) out.set(row.seriesId, (counts = new Float64Array(this.axis.length)));
        this.addCounts(counts, row.counts);
      }
    }
    return out;
  }

  /**
   * Whether the recording holds stacks (heat-record --stacks: meta.stacks says which) that this
   * source can read.
   */
  get hasStacks(): boolean {
    return Boolean(this.info.meta.stacks) && this.source.stackRows !== undefined;
  }

  /** Only events at or above this value (the recording's unit) carry a stack; 0: all. */
  get stacksAbove(): number {
    const v = Number(this.info.meta.stacks_above ?? 0);
    return Number.isFinite(v) && v > 0 ? v : 0;
  }

  /** The stack rows of seconds [from, to) for these series (every series read as one: no id list). */
  stackRows(from: number, to: number, ids: readonly number[]): StackHistRow[] {
    if (!this.hasStacks) return [];
    const all = ids.length === this.seriesIds.length;
    return this.source.stackRows?.(from, to, all ? null : ids) ?? [];
  }

  /** The frames, root first, of these stack ids. */
  stackFrames(ids: readonly number[]): Map<number, string[]> {
    return (this.hasStacks && this.source.stackFrames?.(ids)) || new Map();
  }

  /** Each key's total count over the whole recording. */
  keyTotals(): Map<number, number> {
    if (!this.totals) {
      // Kept only once whole: a read of a file in parts may stop midway (DetailPending) and be
      // asked again when its parts arrive.
      const totals = new Map(this.seriesIds.map((id) => [id, 0]));
      for (const [id, counts] of this.seriesCounts(this.t0, this.endT))
        totals.set(
          id,
          counts.reduce((a, b) => a + b, 0),
        );
      this.totals = totals;
    }
    return this.totals;
  }

  /**
   * Adds a second at the right edge (live tail); grids already built grow with it. New buckets
   * change the axis, so the grids are then rebuilt from the source on their next use.
   */
  appendSecond(second: AppendedSecond): void {
    this.source.append(second);
    this.markRecorded(second.t);
    for (const level of ROLLUP_LEVELS) this.info.rollupThrough.set(level, second.t + 1); // the source keeps rollups complete
    if (second.health?.length) this.info.health.push(...second.health);
    for (const s of second.newSeries ?? []) this.addSeries(s);
    if (second.newBuckets?.length) {
      this.info.buckets.push(...second.newBuckets);
      this.bucketAxis = new BucketAxis(this.info.buckets);
      this.allGrid = null;
      this.grids.clear();
      for (const key of [...this.counted.keys()]) this.forgetCounts(key);
      this.totals = null;
      return;
    }
    for (const counts of this.counted.values()) counts.secondAdded(second.t);
    this.allGrid?.append(second.t, this.sumSeries(second, null));
    for (const [cacheKey, grid] of this.grids)
      grid.append(second.t, this.sumSeries(second, new Set(cacheKey.split(',').map(Number))));
    if (this.totals)
      for (const s of second.series)
        this.totals.set(s.seriesId, (this.totals.get(s.seriesId) ?? 0) + sumValues(s.counts));
  }

  /**
   * Negative counts are not heat (schemas/negative-counts.ts); the health list says so, once,
   * when the file's writer did not note them second by second.
   */
  private noteNegative(n: { t: number; seriesId: number; bucketId: number; count: number }): void {
    if (this.info.health.some((h) => isNegativeCountsNote(h.message))) return;
    const key = this.info.series.find((s) => s.id === n.seriesId)?.key ?? `series ${n.seriesId}`;
    const message = `${NEGATIVE_COUNTS_NOTE} in this recording (first: ${n.count} in second ${n.t}, key ${key}): drawn as zero, and left out of totals`;
    this.info.health.push({ t: n.t, kind: 'warning', count: 1, message });
    this.noteAdded.emit();
  }

  private addSeries(s: SeriesInfo): void {
    if (this.seriesIds.includes(s.id)) return;
    this.info.series.push(s);
    this.seriesIds.push(s.id);
    this.totals?.set(s.id, 0);
    this.grids.clear(); // cached selections were keyed by the old list of keys
    for (const key of [...this.counted.keys()]) this.forgetCounts(key);
  }

  /**
   * Counts at every level for these keys (null: all keys, read from the all-series rollups).
   * More than half the keys are read as all keys minus the others: fewer rows.
   */
  private leveledCounts(ids: number[] | null): LeveledCounts {
    const levels = ids === null ? [...this.info.rollupThrough.keys()] : this.info.perSeriesLevels;
    const chosen = new Set(ids);
    const others =
      ids && ids.length > this.seriesIds.length / 2
        ? this.seriesIds.filter((id) => !chosen.has(id))
        : null;
    const read = (level: number, from: number, to: number) =>
      others
        ? [
            ...this.source.windowRows(level, from, to, null),
            ...[...this.source.windowRows(level, from, to, others)].map(negated),
          ]
        : this.source.windowRows(level, from, to, ids);
    // The getters below are an object literal's, with their own `this`: they read the recording.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const rec = this;
    const counts = new LeveledCounts(
      {
        get rows() {
          return rec.axis.length;
        },
        get t0() {
          return rec.t0;
        },
        get end() {
          return rec.end;
        },
        levels: [...new Set([1, ...levels])].sort((a, b) => a - b),
        rowOf: (id) => rec.axis.rowOf(id),
        read,
        anyRecorded: (from, to) => rec.anyRecorded(from, to),
      },
      ids === null ? 1 : others ? 1 + others.length : Math.max(1, ids.length),
    );
    counts.detailRead.subscribe(() => this.detailArrived.emit());
    return counts;
  }

  private forgetCounts(key: string): void {
    this.counted.get(key)?.dispose();
    this.counted.delete(key);
  }

  private allKeysGrid(): TimeGrid {
    if (!this.allGrid) {
      const through = Math.min(this.info.rollupThrough.get(ROLLUP_LEVELS[0]) ?? 0, this.endT);
      this.allGrid = this.buildGrid(this.source.allSeriesRows(through));
    }
    return this.allGrid;
  }

  /** Reads the smaller side: the chosen keys, or all keys minus the others. */
  private buildSelectionGrid(ids: number[]): TimeGrid {
    if (ids.length <= this.seriesIds.length / 2) return this.buildGrid(this.source.seriesRows(ids));
    const chosen = new Set(ids);
    const others = this.seriesIds.filter((id) => !chosen.has(id));
    return this.allKeysGrid().minus(this.buildGrid(this.source.seriesRows(others)));
  }

  private buildGrid(rows: Iterable<{ t: number; counts: Record<string, number> }>): TimeGrid {
    const builder = new GridBuilder(
      this.axis.length,
      this.t0,
      Math.max(64, this.endT - this.t0),
      (id) => this.axis.rowOf(id),
      (t) => this.isRecorded(t),
    );
    for (const row of rows) builder.add(row.t, row.counts);
    return builder.finish(this.endT);
  }

  private addCounts(into: Float64Array, counts: Record<string, number>): void {
    for (const id in counts) {
      const row = this.axis.rowOf(Number(id));
      if (row >= 0) into[row] = into[row]! + counts[id]!;
    }
  }

  /** The heat of an appended second's series (its counts as sent are signed). */
  private sumSeries(second: AppendedSecond, only: Set<number> | null): Float64Array {
    const row = new Float64Array(this.axis.length);
    for (const s of second.series)
      if (!only || only.has(s.seriesId)) this.addCounts(row, heatCounts(s.counts));
    return row;
  }

  private markRecorded(t: number): void {
    if (t < this.endT) throw new Error(`second ${t} is not after the recording's end ${this.endT}`);
    const needed = t - this.t0 + 1;
    if (needed > this.recorded.length) {
      const grown = new Uint8Array(Math.max(needed, this.recorded.length * 2));
      grown.set(this.recorded);
      this.recorded = grown;
    }
    this.recorded[t - this.t0] = 1;
    this.endT = t + 1;
  }
}

/** A row whose counts are taken away when added. */
function negated(row: CountsRow): CountsRow {
  const counts: Record<string, number> = {};
  for (const id in row.counts) counts[id] = -row.counts[id]!;
  return { ...row, counts };
}

/** The heat of counts (schemas/negative-counts.ts): a negative count read as zero. */
function heatCounts(counts: Record<string, number>): Record<string, number> {
  const heat: Record<string, number> = {};
  for (const id in counts) heat[id] = heatOf(counts[id]!);
  return heat;
}

function sumValues(counts: Record<string, number>): number {
  let n = 0;
  for (const id in counts) n += heatOf(counts[id]!);
  return n;
}
