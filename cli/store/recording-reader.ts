// Reads a recording back (info, export, clip, merge, view), after checking it really is one of a
// version we understand. Typed row readers: every value is checked against the format as it is
// read (row-checks.ts), so a damaged or hand-edited file is refused with one line naming the file
// and what is wrong, never an internal error. No `any` leaves this file.

import { existsSync, statSync } from 'node:fs';
import {
  APPLICATION_ID,
  FORMAT_VERSION,
  HEALTH_KINDS,
  META_KEYS,
  UNITS,
  type HealthKind,
  type RecordingMeta,
} from '../../schemas/format.js';
import { isStartMs, MAX_BUCKET_ID, MAX_KEY_CHARS } from '../../schemas/recording-limits.js';
import { HeatError } from '../model/heat-error.js';
import type { Mark } from '../../schemas/marks.js';
import { readFileHeader } from './file-header.js';
import { readMarkRows } from './recording-marks.js';
import { readStackCountRows, readStackRows, type StackCountRow } from './recording-stacks.js';
import { checkTables } from './recording-tables.js';
import { Damage, int, intOrNull, keyParts, oneOf, second, smallInt, text } from './row-checks.js';
import { openDatabase, type Db } from './sqlite.js';
import { parseStoredCounts } from './stored-counts.js';

export interface SeriesRow {
  id: number;
  aggregation: string;
  key: string;
  keyParts: string[];
  scheme: string;
}

export interface BucketRow {
  id: number;
  lo: bigint | null;
  hi: bigint | null;
}

export interface SecondRow {
  t: number;
  wallMs: number;
  events: bigint;
  partial: boolean;
  tickNs: bigint | null;
}

export interface CountRow {
  t: number;
  seriesId: number;
  bucketId: number;
  n: bigint;
}

export interface HealthRow {
  t: number | null;
  kind: HealthKind;
  count: number;
  message: string;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const DAMAGED_HINT = 'the file was changed or damaged after heat-record wrote it';
type Raw = Record<string, unknown>;

export class RecordingReader {
  private cachedMeta: RecordingMeta | null = null;
  private cachedSeries: SeriesRow[] | null = null;
  private cachedBuckets: BucketRow[] | null = null;
  private cachedStacks: Map<number, string[]> | null = null;
  /** Row iterators of counts() not finished: ended before the database is closed (it refuses while one runs). */
  private readonly running = new Set<IterableIterator<unknown>>();

  private constructor(
    readonly path: string,
    readonly db: Db,
  ) {}

  /** Opens a recording read-only; a HeatError says why a file is not a readable recording. */
  static open(path: string, flag = 'file'): RecordingReader {
    checkSqliteFile(path, flag);
    let db: Db | null = null;
    try {
      db = openDatabase(path, { readonly: true });
      checkRecording(db, path);
      const reader = new RecordingReader(path, db);
      reader.meta();
      return reader;
    } catch (err) {
      db?.close();
      throw asHeatError(err, path);
    }
  }

  close(): void {
    for (const rows of this.running) rows.return?.();
    this.db.close();
  }

  /** The file's format version (PRAGMA user_version). */
  get formatVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /** Every meta key; known keys that are missing read as ''. start_ms and unit must be valid. */
  meta(): RecordingMeta {
    this.cachedMeta ??= this.guard(() => {
      const meta: Record<string, string> = Object.fromEntries(META_KEYS.map((k) => [k, '']));
      for (const r of this.rows('SELECT key, value FROM meta'))
        meta[text(r.key, 'a meta key')] = text(r.value, `meta.${String(r.key)}`);
      if (!isStartMs(Number(meta.start_ms)) || !/^\d+$/.test(meta.start_ms!))
        throw new Damage(
          `meta.start_ms is ${JSON.stringify(meta.start_ms)}, not a start time in Unix ms`,
        );
      oneOf(meta.unit, 'meta.unit', UNITS);
      return meta as unknown as RecordingMeta;
    });
    return this.cachedMeta;
  }

  /** meta.start_ms as a number (checked at open). */
  get startMs(): number {
    return Number(this.meta().start_ms);
  }

  series(): SeriesRow[] {
    this.cachedSeries ??= this.guard(() =>
      this.rows('SELECT id, aggregation, key, key_json, scheme FROM series ORDER BY id').map(
        (r) => {
          const id = smallInt(r.id, 'a series id', 1, MAX_BUCKET_ID);
          const what = `series ${id}`;
          return {
            id,
            aggregation: text(r.aggregation, `${what}'s aggregation`, MAX_KEY_CHARS),
            key: text(r.key, `${what}'s key`, MAX_KEY_CHARS),
            keyParts: keyParts(r.key_json, `${what}'s key_json`),
            scheme: text(r.scheme, `${what}'s scheme`, 64),
          };
        },
      ),
    );
    return this.cachedSeries;
  }

  /** Buckets in ascending order: open-below first, then by lower bound. */
  buckets(): BucketRow[] {
    this.cachedBuckets ??= this.guard(() =>
      this.rows('SELECT id, lo, hi FROM bucket')
        .map((r) => {
          const id = smallInt(r.id, 'a bucket id', 1, MAX_BUCKET_ID);
          const b = {
            id,
            lo: intOrNull(r.lo, `bucket ${id}'s lo`),
            hi: intOrNull(r.hi, `bucket ${id}'s hi`),
          };
          if (b.lo !== null && b.hi !== null && b.lo > b.hi)
            throw new Damage(`bucket ${id} runs from ${b.lo} down to ${b.hi}`);
          return b;
        })
        .sort(compareBuckets),
    );
    return this.cachedBuckets;
  }

  /** Seconds from..to (inclusive), in order; every second when no range is given. */
  seconds(from?: number, to?: number): SecondRow[] {
    return this.guard(() => {
      let last = -1;
      return this.rows(
        `SELECT t, wall_ms, events, partial, tick_ns FROM second ${within(from, to)} ORDER BY t`,
      ).map((r) => {
        const t = second(r.t, "a second's t");
        if (t <= last) throw new Damage(`second ${t} is stored twice`);
        last = t;
        return {
          t,
          wallMs: smallInt(r.wall_ms, `second ${t}'s wall_ms`),
          events: int(r.events, `second ${t}'s events`),
          partial: int(r.partial, `second ${t}'s partial`, 0n, 1n) === 1n,
          tickNs: intOrNull(r.tick_ns, `second ${t}'s tick_ns`),
        };
      });
    });
  }

  /** The last second recorded; null when there is none. */
  lastSecond(): number | null {
    return this.guard(() => {
      const t = this.rows('SELECT max(t) AS t FROM second')[0]?.t;
      return t === null || t === undefined ? null : second(t, "the last second's t");
    });
  }

  /** Counts of seconds from..to (inclusive), in (t, series, bucket id) order; of every second when no range is given. */
  *counts(from?: number, to?: number): Generator<CountRow> {
    const series = new Set(this.series().map((s) => s.id));
    const buckets = new Set(this.buckets().map((b) => b.id));
    const rows = this.db
      .prepare(`SELECT t, series_id, counts FROM hist ${within(from, to)} ORDER BY t, series_id`)
      .safeIntegers(true)
      .iterate() as IterableIterator<Raw>;
    this.running.add(rows);
    let last = [-1, -1];
    try {
      for (const r of rows) {
        const row = checkHistRow(r, series, buckets, last);
        last = [row.t, row.seriesId];
        for (const [bucketId, n] of row.counts)
          yield { t: row.t, seriesId: row.seriesId, bucketId, n };
      }
    } catch (err) {
      throw asHeatError(err, this.path);
    } finally {
      this.running.delete(rows);
    }
  }

  /** Total count per series and bucket over seconds from..to. */
  totals(from?: number, to?: number): CountRow[] {
    const sums = new Map<number, Map<number, bigint>>();
    for (const c of this.counts(from, to)) {
      let s = sums.get(c.seriesId);
      if (!s) sums.set(c.seriesId, (s = new Map()));
      s.set(c.bucketId, (s.get(c.bucketId) ?? 0n) + c.n);
    }
    return [...sums].flatMap(([seriesId, s]) =>
      [...s].map(([bucketId, n]) => ({ t: from ?? 0, seriesId, bucketId, n })),
    );
  }

  /** Stack id -> frames, outermost first (heat-record --stacks); empty for a recording without stacks. */
  stacks(): Map<number, string[]> {
    this.cachedStacks ??= this.guard(() => readStackRows(this.db));
    return this.cachedStacks;
  }

  /** Stack counts of seconds from..to (inclusive), in (t, series, stack) order; none without stacks. */
  *stackCounts(from?: number, to?: number): Generator<StackCountRow> {
    const known = {
      series: new Set(this.series().map((s) => s.id)),
      buckets: new Set(this.buckets().map((b) => b.id)),
      stacks: new Set(this.stacks().keys()),
    };
    const rows = readStackCountRows(this.db, known, from, to);
    this.running.add(rows);
    try {
      yield* rows;
    } catch (err) {
      throw asHeatError(err, this.path);
    } finally {
      this.running.delete(rows);
    }
  }

  health(): HealthRow[] {
    return this.guard(() =>
      this.rows('SELECT t, kind, count, message FROM health ORDER BY id').map((r) => ({
        t: r.t === null ? null : second(r.t, "a health row's t"),
        kind: oneOf(r.kind, "a health row's kind", HEALTH_KINDS),
        count: smallInt(r.count, "a health row's count"),
        message: text(r.message, "a health row's message"),
      })),
    );
  }

  /** The marks (schemas/marks.ts) in time order; none for a file written before the mark table. */
  marks(): Mark[] {
    return this.guard(() => readMarkRows(this.db));
  }

  /**
   * Reads the whole file: every page (PRAGMA quick_check) and every row through the readers
   * above. For commands that hand the file on whole (export --html) or write a new one from it.
   */
  verify(): void {
    this.checkPages();
    this.series();
    this.buckets();
    this.seconds();
    this.health();
    this.marks();
    for (const _ of this.counts()) void _;
    for (const _ of this.stackCounts()) void _;
  }

  /** Reads every page once (PRAGMA quick_check): a damaged or cut-short page is found now, not mid-way through a later read. */
  checkPages(): void {
    this.guard(() => {
      const problem = this.db.pragma('quick_check(1)', { simple: true }) as string;
      if (problem !== 'ok') throw new Damage(`SQLite finds it inconsistent (${problem})`);
    });
  }

  private rows(sql: string, ...params: unknown[]): Raw[] {
    return this.db
      .prepare(sql)
      .safeIntegers(true)
      .all(...params) as Raw[];
  }

  /** Runs a read; what is wrong with the file becomes a HeatError naming it. */
  private guard<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw asHeatError(err, this.path);
    }
  }
}

/** WHERE clause for seconds from..to (whole numbers from the command line), or none: every row, so a t that is not a second is seen. */
function within(from: number | undefined, to: number | undefined): string {
  if (from === undefined && to === undefined) return '';
  return `WHERE t BETWEEN ${BigInt(Math.floor(from ?? 0))} AND ${BigInt(Math.floor(Math.min(to ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)))}`;
}

function checkHistRow(
  r: Raw,
  series: Set<number>,
  buckets: Set<number>,
  last: number[],
): { t: number; seriesId: number; counts: Map<number, bigint> } {
  const t = second(r.t, "a hist row's t");
  const seriesId = smallInt(r.series_id, `a hist row of second ${t}: its series_id`);
  const what = `hist row (second ${t}, series ${seriesId})`;
  if (!series.has(seriesId)) throw new Damage(`${what} names a series that does not exist`);
  if (t === last[0] && seriesId <= last[1]!) throw new Damage(`${what} is stored twice`);
  const counts = parseStoredCounts(r.counts);
  if (typeof counts === 'string') throw new Damage(`${what}: counts ${counts}`);
  for (const id of counts.keys())
    if (!buckets.has(id))
      throw new Damage(`${what}: counts name bucket ${id}, which does not exist`);
  return { t, seriesId, counts };
}

/** Opens a recording and reads all of it (verify), for a one-line error now instead of a broken page or copy later. */
export function verifyRecording(path: string, flag = 'recording'): void {
  const reader = RecordingReader.open(path, flag);
  try {
    reader.verify();
  } finally {
    reader.close();
  }
}

/** Open-below buckets first, then by lower bound, then by upper bound (open-above last). */
export function compareBuckets(
  a: { lo: bigint | null; hi: bigint | null },
  b: { lo: bigint | null; hi: bigint | null },
): number {
  if (a.lo !== b.lo) {
    if (a.lo === null) return -1;
    if (b.lo === null) return 1;
    return a.lo < b.lo ? -1 : 1;
  }
  if (a.hi === b.hi) return 0;
  if (a.hi === null) return 1;
  if (b.hi === null) return -1;
  return a.hi < b.hi ? -1 : 1;
}

/** A Damage, an SQLite error or a HeatError as the one-line HeatError naming the file; anything else is a bug and passes. */
function asHeatError(err: unknown, path: string): unknown {
  if (err instanceof HeatError) return err;
  if (err instanceof Damage)
    return new HeatError(`${path} is damaged: ${err.message}`, DAMAGED_HINT);
  if (err instanceof Error && /^SQLITE_/.test((err as { code?: string }).code ?? '')) {
    return new HeatError(
      `${path} is damaged or truncated (SQLite: ${err.message})`,
      'it cannot be read as a recording; if the recorder was killed, keep the -wal file beside it',
    );
  }
  return err;
}

function checkSqliteFile(path: string, flag: string): void {
  if (!existsSync(path)) throw new HeatError(`${flag} ${path} does not exist`, 'check the path');
  if (statSync(path).isDirectory())
    throw new HeatError(`${flag} ${path} is a directory`, 'give the recording file, e.g. run.db');
  if (statSync(path).size === 0)
    throw new HeatError(`${path} is empty`, 'it holds no recording; was the copy cut short?');
  if (readFileHeader(path, 16).toString('latin1') !== SQLITE_MAGIC)
    throw new HeatError(
      `${path} is not a SQLite file`,
      'a recording is the .db file written by heat-record -o',
    );
}

function checkRecording(db: Db, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID)
    throw new HeatError(
      `${path} is a SQLite file but not a Heat Tracer recording`,
      'a recording is the .db file written by heat-record -o',
    );
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > FORMAT_VERSION) {
    throw new HeatError(
      `${path} uses recording format ${version}, newer than this heat-record understands (${FORMAT_VERSION})`,
      'upgrade heat-tracer to read it',
    );
  }
  checkTables(db);
}
