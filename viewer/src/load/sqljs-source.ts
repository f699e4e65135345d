// Typed row readers over a recording held by sql.js: the metadata, keys, buckets, seconds and
// health once at open, and the counts rows the model asks for. The viewer's SQL stays in load/
// (this file, recording-clip.ts, rollup-build.ts): sql.js is imported nowhere else (lint:layers).
// A recording read in parts (a PagedFile) answers each read whole or with DetailPending.

import type { Database, SqlValue } from 'sql.js';
import { ALL_SERIES, ROLLUP_LEVELS, UNITS, type Unit } from '../../../schemas/format.js';
import { countsJson } from '../../../schemas/counts-json.js';
import { heatOf } from '../../../schemas/negative-counts.js';
import type { AxisBucket } from '../model/bucket-axis.js';
import { Emitter } from '../model/emitter.js';
import {
  DetailPending,
  type AppendedSecond,
  type ClipNote,
  type CountsRow,
  type HealthKind,
  type HealthRow,
  type RecordingInfo,
  type RecordingSource,
  type SeriesInfo,
  type StackHistRow,
} from '../model/recording-source.js';
import { parseCountsRows, type NegativeCount } from './counts-rows.js';
import type { PagedFile } from './paged-file.js';
import { clipDatabase } from './recording-clip.js';
import { readMarks } from './recording-marks.js';
import { asRecordingError, RecordingError } from './recording-error.js';
import { checkRecordingInfo } from './recording-info-checks.js';
import { addToRollups } from './rollup-build.js';
import { appendStacks, readStackFrames, readStackRows } from './stack-rows.js';
import { readSecondRuns, touchSecondRuns } from './second-runs.js';

/** Steps every row of SELECT * FROM hist: the benchmark's baseline for reading a recording. */
export function scanHist(db: Database): number {
  let n = 0;
  for (const _row of query(db, 'SELECT * FROM hist')) n++;
  return n;
}

/** Runs a query and yields each row as an array; the statement is freed even on early exit. */
function* query(db: Database, sql: string, params: SqlValue[] = []): Generator<SqlValue[]> {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    while (statement.step()) yield statement.get();
  } finally {
    statement.free();
  }
}

function all(db: Database, sql: string, params: SqlValue[] = []): SqlValue[][] {
  return [...query(db, sql, params)];
}

const num = (v: SqlValue): number => Number(v);
const numOrNull = (v: SqlValue): number | null => (v === null ? null : Number(v));
const text = (v: SqlValue): string => (v === null ? '' : String(v));

/**
 * Levels with per-series rows: read from the data, so files of either rollup layout work. A
 * level's first all-series window has per-series rows beside it when the level has any. Two
 * index seeks per level in either key order of rollup (schemas/recording.sql: (level, t,
 * series_id) in older files, (level, series_id, t) now), not a scan through a level without
 * them (megabytes of a file read in parts).
 */
const PER_SERIES_LEVELS = `SELECT level FROM rollup_state s
  WHERE EXISTS (SELECT 1 FROM rollup r WHERE r.level = s.level AND r.series_id > ?
    AND r.t = (SELECT min(t) FROM rollup WHERE level = s.level AND series_id = ?))
  ORDER BY level`;

/** Whether one rollup level holds per-series rows (PER_SERIES_LEVELS for one level). */
export function hasPerSeriesRows(db: Database, level: number): boolean {
  return (
    all(db, `${PER_SERIES_LEVELS.replace('ORDER BY level', 'AND level = ?')}`, [
      ALL_SERIES,
      ALL_SERIES,
      level,
    ]).length > 0
  );
}

/** The queries reading everything but the counts, one per part of RecordingInfo. */
const INFO_PARTS = {
  meta: (db: Database) =>
    Object.fromEntries(
      all(db, 'SELECT key, value FROM meta').map(([k = null, v = null]) => [text(k), text(v)]),
    ) as Record<string, string>,
  /** Raw: checkRecordingInfo refuses what is not a second. */
  formatVersion: (db: Database) => num(all(db, 'PRAGMA user_version')[0]![0]!),
  series: (db: Database) =>
    all(db, 'SELECT id, aggregation, key, key_json, scheme FROM series ORDER BY id').map(toSeries),
  buckets: (db: Database) =>
    all(db, 'SELECT id, lo, hi FROM bucket').map(([id, lo, hi]): AxisBucket => ({
      id: num(id!),
      lo: numOrNull(lo!),
      hi: numOrNull(hi!),
    })),
  secondRuns: readSecondRuns,
  health: (db: Database) =>
    all(db, 'SELECT t, kind, count, message FROM health ORDER BY t, id').map(toHealth),
  rollupThrough: (db: Database) =>
    new Map(all(db, 'SELECT level, through FROM rollup_state').map(([l, t]) => [num(l!), num(t!)])),
  perSeriesLevels: (db: Database) =>
    all(db, PER_SERIES_LEVELS, [ALL_SERIES, ALL_SERIES]).map(([l]) => num(l!)),
  marks: readMarks,
};

type InfoParts = { [K in keyof typeof INFO_PARTS]: ReturnType<(typeof INFO_PARTS)[K]> };

/** The columns the viewer reads, by table (schemas/recording.sql). */
const READ_COLUMNS: Record<string, string> = {
  meta: 'key, value',
  series: 'id, aggregation, key, key_json, scheme',
  bucket: 'id, lo, hi',
  second: 't',
  hist: 't, series_id, counts',
  health: 't, kind, count, message',
  rollup: 'level, t, series_id, counts',
  rollup_state: 'level, through',
};

/** A RecordingError ('damaged') naming the first table or column the viewer reads and the file lacks. */
function checkTables(db: Database, name: string): void {
  for (const [table, columns] of Object.entries(READ_COLUMNS)) {
    try {
      db.prepare(`SELECT ${columns} FROM ${table} LIMIT 0`).free();
    } catch (err) {
      const missing = /no such (table|column): (\S+)/.exec((err as Error).message);
      if (!missing) throw err;
      throw new RecordingError(
        name,
        'damaged',
        `the file is damaged: it has no ${missing[1]} ${missing[1] === 'column' ? `${missing[2]} in table ${table}` : table}`,
      );
    }
  }
}

/** Everything but the counts, checked against the format's bounds (a RecordingError names what is wrong). */
export function readRecordingInfo(db: Database, name: string): RecordingInfo {
  checkTables(db, name);
  const p = Object.fromEntries(
    Object.entries(INFO_PARTS).map(([k, read]) => [k, read(db)]),
  ) as InfoParts;
  return checkRecordingInfo({
    name,
    formatVersion: p.formatVersion,
    meta: p.meta,
    unit: readUnit(p.meta.unit),
    startMs: Number(p.meta.start_ms || 0),
    series: p.series,
    buckets: p.buckets,
    secondRuns: p.secondRuns,
    health: p.health,
    rollupThrough: p.rollupThrough,
    perSeriesLevels: p.perSeriesLevels,
    marks: p.marks,
  });
}

/** Tables read whole at open (and the runs of seconds: touchSecondRuns). */
const INFO_TABLES = ['meta', 'series', 'bucket', 'health', 'rollup_state'];

/**
 * Everything but the counts, from a file read in parts. Cheap queries walk the pages first, all
 * side by side (`settleAll` runs each until its parts are in hand, sharing the blocks read, so
 * opening waits for the deepest walk, not for the sum of them), with `alongside` (more walks,
 * deeper ones: the overview's scans); the real reads, which build objects, then run once with
 * every page at hand.
 */
export async function readRecordingInfoInParts(
  db: Database,
  name: string,
  settleAll: (reads: (() => unknown)[]) => Promise<unknown[]>,
  alongside: (() => unknown)[] = [],
): Promise<RecordingInfo> {
  // Deepest first: its fetches go out before the others' queries have run.
  await settleAll([
    ...alongside,
    ...ROLLUP_LEVELS.map((level) => () => hasPerSeriesRows(db, level)),
    () => touchSecondRuns(db),
    ...INFO_TABLES.map((table) => () => all(db, `SELECT count(*) FROM ${table}`)),
  ]);
  const [info] = (await settleAll([() => readRecordingInfo(db, name)])) as [RecordingInfo];
  return info;
}

/**
 * Walks that read the pages of the all-keys windows of every level a whole-range view may draw
 * (no more than `rows` windows across the recording), without building rows: what the first
 * frame and the overview strip read. The span is taken from rollup_state (a file opened in parts
 * has its rollups complete to its end).
 */
export function overviewWalks(db: Database, rows: number): (() => unknown)[] {
  return ROLLUP_LEVELS.filter((level) => level > 1).map((level) => () => {
    try {
      const end = num(all(db, 'SELECT max(through) FROM rollup_state')[0]?.[0] ?? 0);
      if (Math.ceil(end / level) <= rows)
        all(db, 'SELECT count(*) FROM rollup WHERE level = ? AND series_id = ?', [
          level,
          ALL_SERIES,
        ]);
    } catch {
      // Damaged pages: the frame that reads them reports it (the file's misses are noted regardless).
    }
  });
}

function readUnit(value: string | undefined): Unit {
  return (UNITS as readonly string[]).includes(value ?? '') ? (value as Unit) : 'count';
}

function toSeries([id, aggregation, key, keyJson, scheme]: SqlValue[]): SeriesInfo {
  let keyParts: string[];
  try {
    const parsed: unknown = JSON.parse(text(keyJson!));
    keyParts = Array.isArray(parsed) ? parsed.map(String) : [text(key!)];
  } catch {
    keyParts = [text(key!)];
  }
  return {
    id: num(id!),
    aggregation: text(aggregation!),
    key: text(key!),
    keyParts,
    scheme: text(scheme!),
  };
}

function toHealth([t, kind, count, message]: SqlValue[]): HealthRow {
  return {
    t: numOrNull(t!),
    kind: text(kind!) as HealthKind,
    count: num(count!),
    message: text(message!),
  };
}

/**
 * Counts rows of a query selecting (t, series_id, counts), fetched as one JSON text built by
 * SQLite: one call into WebAssembly and one JSON.parse instead of three calls per row and
 * column, which is several times faster on a cold engine. Rows come back in time order, checked
 * (counts-rows.ts).
 */
export function countsRows(
  db: Database,
  inner: string,
  params: SqlValue[],
  name: string,
  negative: (n: NegativeCount) => void = () => undefined,
): CountsRow[] {
  const sql = `SELECT '[' || group_concat('[' || t || ',' || series_id || ',' || counts || ']', ',') || ']' FROM (${inner})`;
  const text = [...query(db, sql, params)][0]?.[0];
  if (typeof text !== 'string') return [];
  const rows = parseCountsRows(
    text,
    name,
    () =>
      all(db, `SELECT t, series_id, counts FROM (${inner})`, params) as [
        unknown,
        unknown,
        unknown,
      ][],
    negative,
  );
  if (!rows.every((r, i) => i === 0 || rows[i - 1]!.t <= r.t)) rows.sort((a, b) => a.t - b.t);
  return rows;
}

/** "(?, ?, ?)" for n parameters. */
function placeholders(n: number): string {
  return `(${new Array(n).fill('?').join(', ')})`;
}

export class SqlJsSource implements RecordingSource {
  readonly detailArrived = new Emitter();
  readonly readFailed = new Emitter<unknown>();
  /** Once, for the first negative count read (it is read as zero: not heat). */
  readonly negativeFound = new Emitter<NegativeCount>();
  private negativeSeen = false;

  /**
   * @param name the file's name, for messages
   * @param pages the file the database reads in parts; null when sql.js holds it whole
   */
  constructor(
    readonly db: Database,
    readonly name: string,
    private readonly pages: PagedFile | null = null,
  ) {
    pages?.fetched.subscribe(() => this.detailArrived.emit());
    pages?.fetchFailed.subscribe((err) => this.readFailed.emit(err));
  }

  /** Bytes of the file held in memory when it is read in parts (undefined: sql.js holds it whole). */
  get heldBytes(): number | undefined {
    return this.pages?.heldBytes;
  }

  allSeriesRows(through: number): Iterable<CountsRow> {
    return this.read(
      () => [
        ...this.countsRows(
          'SELECT t, series_id, counts FROM rollup WHERE level = 1 AND series_id = ? AND t < ? ORDER BY t',
          [ALL_SERIES, through],
        ),
        ...this.countsRows('SELECT t, series_id, counts FROM hist WHERE t >= ? ORDER BY t', [
          through,
        ]),
      ],
      [],
    );
  }

  seriesRows(ids: readonly number[]): Iterable<CountsRow> {
    if (ids.length === 0) return [];
    return this.read(
      () =>
        this.countsRows(
          `SELECT t, series_id, counts FROM hist WHERE series_id IN ${placeholders(ids.length)} ORDER BY t`,
          [...ids],
        ),
      [],
    );
  }

  levelRows(
    level: number,
    from: number,
    to: number,
    ids: readonly number[] | null,
  ): Iterable<CountsRow> {
    if (ids && ids.length === 0) return [];
    const params: SqlValue[] = [from, to, ...(ids ?? [])];
    if (level === 1) {
      const only = ids ? ` AND series_id IN ${placeholders(ids.length)}` : '';
      return this.read(
        () =>
          this.countsRows(
            `SELECT t, series_id, counts FROM hist WHERE t >= ? AND t < ?${only}`,
            params,
          ),
        [],
      );
    }
    // Every key by name, never `series_id <> 0`: one seek per key where a level's rows are kept
    // key by key (schemas/recording.sql), where `<>` would read the whole level.
    const keys = ids ? placeholders(ids.length) : '(SELECT id FROM series)';
    return this.read(
      () =>
        this.countsRows(
          `SELECT t, series_id, counts FROM rollup WHERE level = ? AND t >= ? AND t < ? AND series_id IN ${keys}`,
          [level, ...params],
        ),
      [],
    );
  }

  windowRows(level: number, from: number, to: number, ids: readonly number[] | null): CountsRow[] {
    if (ids === null)
      return this.read(
        () =>
          this.countsRows(
            'SELECT t, series_id, counts FROM rollup WHERE level = ? AND series_id = ? AND t >= ? AND t < ? ORDER BY t',
            [level, ALL_SERIES, from, to],
          ),
        [],
      );
    if (ids.length === 0) return [];
    const table = level === 1 ? 'hist WHERE' : 'rollup WHERE level = ? AND';
    const params: SqlValue[] = [...(level === 1 ? [] : [level]), from, to, ...ids];
    return this.read(
      () =>
        this.countsRows(
          `SELECT t, series_id, counts FROM ${table} t >= ? AND t < ? AND series_id IN ${placeholders(ids.length)} ORDER BY t`,
          params,
        ),
      [],
    );
  }

  stackRows(from: number, to: number, ids: readonly number[] | null): StackHistRow[] {
    if (ids && ids.length === 0) return [];
    return this.read(() => readStackRows(this.db, from, to, ids, this.name), []);
  }

  stackFrames(ids: readonly number[]): Map<number, string[]> {
    if (ids.length === 0) return new Map();
    return this.read(() => readStackFrames(this.db, ids, this.name), new Map());
  }

  clip(from: number, to: number, note: ClipNote): Promise<Uint8Array | null> {
    const pages = this.pages;
    return clipDatabase(this.db, from, to, note, pages ? (copy) => pages.settle(copy) : undefined);
  }

  private countsRows(inner: string, params: SqlValue[]): CountsRow[] {
    return countsRows(this.db, inner, params, this.name, (n) => {
      if (!this.negativeSeen) this.negativeFound.emit(n);
      this.negativeSeen = true;
    });
  }

  /**
   * Runs a read; one of a file read in parts may throw DetailPending (see PagedFile.attempt).
   * Rows that are damaged are reported (readFailed: the banner) and read as none, so a frame
   * still draws everything else.
   */
  private read<T>(query: () => T, otherwise: T): T {
    try {
      return this.pages ? this.pages.attempt(query) : query();
    } catch (err) {
      if (err instanceof DetailPending) throw err;
      const problem = asRecordingError(err, this.name);
      if (problem.problem !== 'damaged' && problem.problem !== 'truncated') throw err; // a bug, not the file
      this.readFailed.emit(problem);
      return otherwise;
    }
  }

  append(second: AppendedSecond): void {
    if (this.pages)
      throw new Error('a recording read in parts cannot grow: live recordings are read whole');
    let events = 0;
    this.db.run('BEGIN');
    try {
      for (const s of second.newSeries ?? []) {
        this.db.run(
          'INSERT OR IGNORE INTO series (id, aggregation, key, key_json, scheme) VALUES (?, ?, ?, ?, ?)',
          [s.id, s.aggregation, s.key, JSON.stringify(s.keyParts), s.scheme],
        );
      }
      for (const b of second.newBuckets ?? [])
        this.db.run('INSERT OR IGNORE INTO bucket (id, lo, hi) VALUES (?, ?, ?)', [
          b.id,
          b.lo,
          b.hi,
        ]);
      for (const s of second.series) {
        const ids = Object.keys(s.counts)
          .map(Number)
          .sort((a, b) => a - b);
        events += ids.reduce((sum, id) => sum + heatOf(s.counts[id]!), 0); // hist keeps them signed
        const json = countsJson((add) => ids.forEach((id) => add(id, s.counts[id]!)));
        this.db.run('INSERT INTO hist (t, series_id, counts) VALUES (?, ?, ?)', [
          second.t,
          s.seriesId,
          json,
        ]);
      }
      if (second.stacks) appendStacks(this.db, second.t, second.stacks);
      this.db.run('INSERT INTO second (t, wall_ms, events, partial) VALUES (?, ?, ?, ?)', [
        second.t,
        second.wallMs,
        events,
        second.partial ? 1 : 0,
      ]);
      addToRollups(this.db, second.t, second.series);
      this.db.run('COMMIT');
    } catch (err) {
      this.db.run('ROLLBACK');
      throw err;
    }
  }
}
