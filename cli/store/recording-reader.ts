// Reads a recording back (info, export, clip, merge, serve), after checking it really is one
// of a version we understand. Typed row readers: no `any` leaves this file.

import { existsSync, statSync } from 'node:fs';
import { APPLICATION_ID, FORMAT_VERSION, type RecordingMeta } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import { countsFromJson } from './bucket-counts.js';
import { readFileHeader } from './file-header.js';
import { openDatabase, type Db } from './sqlite.js';

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
}

export interface CountRow {
  t: number;
  seriesId: number;
  bucketId: number;
  n: bigint;
}

export interface HealthRow {
  t: number | null;
  kind: string;
  count: number;
  message: string;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export class RecordingReader {
  private constructor(readonly path: string, readonly db: Db) {}

  /** Opens a recording read-only; a HeatError says why a file is not a readable recording. */
  static open(path: string, flag = 'file'): RecordingReader {
    checkSqliteFile(path, flag);
    let db: Db | null = null;
    try {
      db = openDatabase(path, { readonly: true });
      checkRecording(db, path);
      return new RecordingReader(path, db);
    } catch (err) {
      db?.close();
      if (err instanceof HeatError) throw err;
      throw new HeatError(`${path} is damaged or truncated (${(err as Error).message})`, 'it cannot be read as a recording; if the recorder was killed, keep the -wal file beside it');
    }
  }

  close(): void {
    this.db.close();
  }

  meta(): RecordingMeta {
    const rows = this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value])) as unknown as RecordingMeta;
  }

  series(): SeriesRow[] {
    const rows = this.db.prepare('SELECT id, aggregation, key, key_json, scheme FROM series ORDER BY id').all() as
      { id: number; aggregation: string; key: string; key_json: string; scheme: string }[];
    return rows.map((r) => ({ id: r.id, aggregation: r.aggregation, key: r.key, keyParts: JSON.parse(r.key_json) as string[], scheme: r.scheme }));
  }

  /** Buckets in ascending order: open-below first, then by lower bound. */
  buckets(): BucketRow[] {
    const rows = this.db.prepare('SELECT id, lo, hi FROM bucket').safeIntegers(true).all() as { id: bigint; lo: bigint | null; hi: bigint | null }[];
    return rows.map((r) => ({ id: Number(r.id), lo: r.lo, hi: r.hi })).sort(compareBuckets);
  }

  seconds(): SecondRow[] {
    const rows = this.db.prepare('SELECT t, wall_ms, events, partial FROM second ORDER BY t').safeIntegers(true).all() as
      { t: bigint; wall_ms: bigint; events: bigint; partial: bigint }[];
    return rows.map((r) => ({ t: Number(r.t), wallMs: Number(r.wall_ms), events: r.events, partial: r.partial === 1n }));
  }

  /** Counts of seconds from..to (inclusive), in (t, series, bucket) order. */
  *counts(from = 0, to = Number.MAX_SAFE_INTEGER): Generator<CountRow> {
    const stmt = this.db.prepare('SELECT t, series_id, counts FROM hist WHERE t BETWEEN ? AND ? ORDER BY t, series_id');
    for (const r of stmt.iterate(from, to) as Iterable<{ t: number; series_id: number; counts: string }>) {
      for (const [bucketId, n] of countsFromJson(r.counts)) yield { t: r.t, seriesId: r.series_id, bucketId, n };
    }
  }

  /** Total count per series and bucket over seconds from..to. */
  totals(from = 0, to = Number.MAX_SAFE_INTEGER): CountRow[] {
    const rows = this.db.prepare(`SELECT h.series_id, CAST(j.key AS INTEGER) AS bucket_id, sum(j.value) AS n
       FROM hist h, json_each(h.counts) j WHERE h.t BETWEEN ? AND ? GROUP BY h.series_id, j.key`).safeIntegers(true)
      .all(BigInt(from), BigInt(to)) as { series_id: bigint; bucket_id: bigint; n: bigint }[];
    return rows.map((r) => ({ t: from, seriesId: Number(r.series_id), bucketId: Number(r.bucket_id), n: r.n }));
  }

  health(): HealthRow[] {
    return this.db.prepare('SELECT t, kind, count, message FROM health ORDER BY id').all() as HealthRow[];
  }
}

/** Open-below buckets first, then by lower bound, then by upper bound (open-above last). */
export function compareBuckets(a: { lo: bigint | null; hi: bigint | null }, b: { lo: bigint | null; hi: bigint | null }): number {
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

function checkSqliteFile(path: string, flag: string): void {
  if (!existsSync(path)) throw new HeatError(`${flag} ${path} does not exist`, 'check the path');
  if (statSync(path).isDirectory()) throw new HeatError(`${flag} ${path} is a directory`, 'give the recording file, e.g. run.db');
  if (statSync(path).size === 0) throw new HeatError(`${path} is empty`, 'it holds no recording; was the copy cut short?');
  if (readFileHeader(path, 16).toString('latin1') !== SQLITE_MAGIC) throw new HeatError(`${path} is not a SQLite file`, 'a recording is the .db file written by heat-record -o');
}

function checkRecording(db: Db, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) throw new HeatError(`${path} is a SQLite file but not a Heat Tracer recording`, 'a recording is the .db file written by heat-record -o');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > FORMAT_VERSION) {
    throw new HeatError(`${path} uses recording format ${version}, newer than this heat-record understands (${FORMAT_VERSION})`, 'upgrade heat-tracer to read it');
  }
  db.prepare('SELECT count(*) FROM second').get();
}
