// Typed reads of a recording that may still be growing, for the live side (serve/recording-tail.ts
// follows it, serve/prometheus-metrics.ts starts /metrics from its totals). Each look opens a
// short-lived read-only connection and reads inside one transaction: one committed state, and the
// writer can always checkpoint. Values are checked as they are read (row-checks.ts); a damaged one
// is a HeatError naming the file.

import { ALL_SERIES, PER_SERIES_ROLLUP_MIN_LEVEL, UNITS, type Unit } from '../../schemas/format.js';
import { MAX_BUCKET_ID, MAX_KEY_CHARS } from '../../schemas/recording-limits.js';
import type { Mark } from '../../schemas/marks.js';
import { HeatError } from '../model/heat-error.js';
import { readMarksAfter } from './recording-marks.js';
import { hasStackTables } from './recording-stacks.js';
import type { BucketRow } from './recording-reader.js';
import { Damage, int, intOrNull, keyParts, oneOf, second, smallInt, text } from './row-checks.js';
import { openDatabase, type Db } from './sqlite.js';
import { parseStoredCounts } from './stored-counts.js';

export interface LiveSecondRow {
  t: number;
  wallMs: number;
  events: bigint;
  partial: boolean;
}

/** One hist row: a series' counts in one second. */
export interface LiveHistRow {
  t: number;
  seriesId: number;
  /** bucket id -> count */
  counts: Map<number, bigint>;
}

/** One stack_hist row: a stack's counts in one series and second (heat-record --stacks). */
export interface LiveStackHistRow {
  t: number;
  seriesId: number;
  stackId: number;
  /** bucket id -> count */
  counts: Map<number, bigint>;
}

export interface LiveHealthRow {
  t: number;
  kind: string;
  count: number;
  message: string;
}

export interface LiveSeriesRow {
  id: number;
  aggregation: string;
  key: string[];
  scheme: string;
}

/** How the recording ended (meta end_ms, end_reason, status), once the recorder has written it. */
export interface RecordingEnding {
  endMs: number;
  reason: string;
  status: string;
}

type Raw = Record<string, unknown>;

export class LiveReads {
  private constructor(private readonly db: Db) {}

  /** Opens `path` read-only, runs `read` inside one read transaction, and closes it again. */
  static run<T>(path: string, read: (reads: LiveReads) => T): T {
    const db = openDatabase(path, { readonly: true });
    try {
      return db.transaction(() => read(new LiveReads(db)))();
    } catch (err) {
      throw err instanceof Damage
        ? new HeatError(
            `${path} is damaged: ${err.message}`,
            'the file was changed or damaged after heat-record wrote it',
          )
        : err;
    } finally {
      db.close();
    }
  }

  /** The newest committed second; -1 when there is none yet. */
  newestSecond(): number {
    const t = this.rows('SELECT max(t) AS t FROM second')[0]?.t ?? null;
    return t === null ? -1 : second(t, "the last second's t");
  }

  /** Seconds after `afterT` through `throughT`, in order, at most `limit` of them (-1: all). */
  seconds(afterT: number, throughT: number, limit = -1): LiveSecondRow[] {
    return this.rows(
      'SELECT t, wall_ms, events, partial FROM second WHERE t > ? AND t <= ? ORDER BY t LIMIT ?',
      afterT,
      throughT,
      limit,
    ).map((r) => {
      const t = second(r.t, "a second's t");
      return {
        t,
        wallMs: smallInt(r.wall_ms, `second ${t}'s wall_ms`),
        events: int(r.events, `second ${t}'s events`),
        partial: int(r.partial, `second ${t}'s partial`, 0n, 1n) === 1n,
      };
    });
  }

  /**
   * Hist rows of the seconds after `afterT` through `throughT`, in (t, series) order: one range scan,
   * streamed so each row's counts are dropped once used: held for a whole chunk (512 seconds), the
   * tail read a 4 h recording 1.6x slower than with no checks; streamed, as fast.
   */
  *hist(afterT: number, throughT: number): Generator<LiveHistRow> {
    yield* this.stream(
      'SELECT t, series_id, counts FROM hist WHERE t > ? AND t <= ? ORDER BY t, series_id',
      afterT,
      throughT,
    );
  }

  /**
   * stack_hist rows of the seconds after `afterT` through `throughT`, in (t, series, stack) order,
   * streamed like hist; none in a file without stacks.
   */
  *stackHist(afterT: number, throughT: number): Generator<LiveStackHistRow> {
    if (!hasStackTables(this.db)) return;
    for (const r of this.db
      .prepare(
        'SELECT t, series_id, stack_id, counts FROM stack_hist WHERE t > ? AND t <= ? ORDER BY t, series_id, stack_id',
      )
      .safeIntegers(true)
      .iterate(afterT, throughT) as IterableIterator<Raw>) {
      const { t, seriesId, counts } = histRow(r);
      yield {
        t,
        seriesId,
        stackId: smallInt(r.stack_id, `a stack_hist row of second ${t}: its stack_id`),
        counts,
      };
    }
  }

  /** Stacks with an id above `afterId` (0: all), in id order; none in a file without stacks. */
  stacksAfter(afterId = 0): { id: number; frames: string[] }[] {
    if (!hasStackTables(this.db)) return [];
    return this.rows('SELECT id, frames FROM stack WHERE id > ? ORDER BY id', afterId).map((r) => {
      const id = smallInt(r.id, 'a stack id', 1, MAX_BUCKET_ID);
      return { id, frames: keyParts(r.frames, `stack ${id}'s frames`, Number.MAX_SAFE_INTEGER) };
    });
  }

  /** Health rows of the seconds after `afterT` through `throughT`, in the order written. */
  health(afterT: number, throughT: number): LiveHealthRow[] {
    return this.rows(
      'SELECT t, kind, count, message FROM health WHERE t > ? AND t <= ? ORDER BY id',
      afterT,
      throughT,
    ).map((r) => ({
      t: second(r.t, "a health row's t"),
      kind: text(r.kind, "a health row's kind", 64),
      count: smallInt(r.count, "a health row's count"),
      message: text(r.message, "a health row's message"),
    }));
  }

  /** Series with an id above `afterId` (0: all), in id order. */
  seriesAfter(afterId = 0): LiveSeriesRow[] {
    return this.rows(
      'SELECT id, aggregation, key_json, scheme FROM series WHERE id > ? ORDER BY id',
      afterId,
    ).map((r) => {
      const id = smallInt(r.id, 'a series id', 1, MAX_BUCKET_ID);
      return {
        id,
        aggregation: text(r.aggregation, `series ${id}'s aggregation`, MAX_KEY_CHARS),
        key: keyParts(r.key_json, `series ${id}'s key_json`),
        scheme: text(r.scheme, `series ${id}'s scheme`, 64),
      };
    });
  }

  /** Buckets with an id above `afterId` (0: all), in id order. */
  bucketsAfter(afterId = 0): BucketRow[] {
    return this.rows('SELECT id, lo, hi FROM bucket WHERE id > ? ORDER BY id', afterId).map((r) => {
      const id = smallInt(r.id, 'a bucket id', 1, MAX_BUCKET_ID);
      return {
        id,
        lo: intOrNull(r.lo, `bucket ${id}'s lo`),
        hi: intOrNull(r.hi, `bucket ${id}'s hi`),
      };
    });
  }

  /** A meta value; '' when the key is missing. */
  meta(key: string): string {
    const value = this.rows('SELECT value FROM meta WHERE key = ?', key)[0]?.value;
    return value === undefined ? '' : text(value, `meta.${key}`);
  }

  /** meta.unit; 'count' when it is missing. */
  unit(): Unit {
    return oneOf(this.meta('unit') || 'count', 'meta.unit', UNITS);
  }

  /** How the recording ended; null while it is still being written (no end_ms yet). */
  ending(): RecordingEnding | null {
    const endMs = this.meta('end_ms');
    if (!endMs) return null;
    if (!/^\d{1,16}$/.test(endMs))
      throw new Damage(`meta.end_ms is ${JSON.stringify(endMs)}, not a time in Unix ms`);
    return { endMs: Number(endMs), reason: this.meta('end_reason'), status: this.meta('status') };
  }

  /** Marks with an id above `afterId` (0: all), in id order; none in a file without the mark table. */
  marksAfter(afterId = 0): Mark[] {
    return readMarksAfter(this.db, afterId);
  }

  /** Every hist row of seconds 0..throughT, in no particular order: for totals, read as they stream. */
  *histThrough(throughT: number): Generator<LiveHistRow> {
    yield* this.stream('SELECT t, series_id, counts FROM hist WHERE t <= ?', throughT);
  }

  /**
   * Rows whose counts sum, per series, to exactly the hist rows of seconds 0..throughT, in no
   * particular order: the complete per-series rollup windows, coarsest level first (each row's t
   * is its window's start), then hist rows for the seconds after them. Decoding every hist row
   * held heat-view back ~2 s on a 6 h recording; its rollups are a few hundred rows per key.
   * Files without per-series rollups in the current key order are read from hist alone.
   */
  *countsThrough(throughT: number): Generator<LiveHistRow> {
    let from = 0;
    for (const { level, through } of this.perSeriesRollupLevels()) {
      // Only whole windows, none past throughT (the writer may be ahead of the tail), aligned on `from`.
      const to = Math.floor(Math.min(through, throughT + 1) / level) * level;
      if (to <= from || from % level !== 0) continue;
      yield* this.rollupRows(level, from, to);
      from = to;
    }
    yield* this.stream(
      'SELECT t, series_id, counts FROM hist WHERE t >= ? AND t <= ?',
      from,
      throughT,
    );
  }

  /**
   * Rollup levels with per-series rows and how far each is complete, coarsest first; none when
   * the file has no rollups or the older key (level, t, series_id), whose rows are not read here.
   */
  private perSeriesRollupLevels(): { level: number; through: number }[] {
    const key = this.rows(
      "SELECT name, pk FROM pragma_table_info('rollup') WHERE pk > 0 ORDER BY pk",
    )
      .map((r) => String(r.name))
      .join(',');
    if (key !== 'level,series_id,t' || !this.hasTable('rollup_state')) return [];
    return this.rows(
      `SELECT level, through FROM rollup_state s WHERE level >= ?
        AND EXISTS (SELECT 1 FROM rollup r WHERE r.level = s.level AND r.series_id > ?)
        ORDER BY level DESC`,
      PER_SERIES_ROLLUP_MIN_LEVEL,
      ALL_SERIES,
    ).map((r) => {
      const level = smallInt(r.level, 'a rollup_state level', 1);
      return { level, through: smallInt(r.through, `rollup_state level ${level}'s through`) };
    });
  }

  /** Per-series rollup rows of one level with windows starting in [from, to): a seek per series. */
  private *rollupRows(level: number, from: number, to: number): Generator<LiveHistRow> {
    for (const r of this.db
      .prepare(
        `SELECT r.t, r.series_id, r.counts FROM series s
          JOIN rollup r ON r.level = ? AND r.series_id = s.id AND r.t >= ? AND r.t < ?`,
      )
      .safeIntegers(true)
      .iterate(level, from, to) as IterableIterator<Raw>) {
      const t = second(r.t, "a rollup row's t");
      const seriesId = smallInt(
        r.series_id,
        `a rollup row of level ${level}, t ${t}: its series_id`,
      );
      const counts = parseStoredCounts(r.counts);
      if (typeof counts === 'string')
        throw new Damage(
          `rollup row (level ${level}, t ${t}, series ${seriesId}): counts ${counts}`,
        );
      yield { t, seriesId, counts };
    }
  }

  private hasTable(name: string): boolean {
    return (
      this.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).length > 0
    );
  }

  /** How many seconds are committed through `throughT`. */
  secondCountThrough(throughT: number): number {
    return smallInt(
      this.rows('SELECT count(*) AS n FROM second WHERE t <= ?', throughT)[0]?.n,
      'the count of seconds',
    );
  }

  /** Health counts summed by kind, of seconds through `throughT` and of no second (t NULL). */
  healthTotalsThrough(throughT: number): Map<string, number> {
    const rows = this.rows(
      'SELECT kind, sum(count) AS n FROM health WHERE t IS NULL OR t <= ? GROUP BY kind',
      throughT,
    );
    return new Map(
      rows.map((r) => [text(r.kind, "a health row's kind", 64), smallInt(r.n, 'a health total')]),
    );
  }

  /** Hist rows as they are read; ending the generator early (return()) ends the statement too. */
  private *stream(sql: string, ...params: unknown[]): Generator<LiveHistRow> {
    for (const r of this.db
      .prepare(sql)
      .safeIntegers(true)
      .iterate(...params) as IterableIterator<Raw>)
      yield histRow(r);
  }

  private rows(sql: string, ...params: unknown[]): Raw[] {
    return this.db
      .prepare(sql)
      .safeIntegers(true)
      .all(...params) as Raw[];
  }
}

function histRow(r: Raw): LiveHistRow {
  const t = second(r.t, "a hist row's t");
  const seriesId = smallInt(r.series_id, `a hist row of second ${t}: its series_id`);
  const counts = parseStoredCounts(r.counts);
  if (typeof counts === 'string')
    throw new Damage(`hist row (second ${t}, series ${seriesId}): counts ${counts}`);
  return { t, seriesId, counts };
}
