// Follows a recording as seconds are committed to it, by this process's recorder (--serve) or by
// another heat-record (heat-view on a live file; SQLite's WAL lets readers run beside the writer).
// Each check opens a short-lived read-only connection, so the writer can always checkpoint and
// leave one self-contained file when it finishes.

import type { LiveEnd, LiveSecond } from '../../schemas/format.js';
import { LIVE_MESSAGE_VERSION } from '../../schemas/format.js';
import { openDatabase, type Db } from '../store/sqlite.js';
import { fileStamp } from './file-stamp.js';
import { countsFromJson } from '../store/bucket-counts.js';
import { jsonInt } from '../model/json-int.js';

type SeriesDef = LiveSecond['series'][number];
type BucketDef = LiveSecond['buckets'][number];

export interface TailListener {
  second(message: LiveSecond): void;
  end(message: LiveEnd): void;
}

export class RecordingTail {
  private lastT = -1;
  private ended: LiveEnd | null = null;
  private readonly series = new Map<number, SeriesDef>();
  private readonly buckets = new Map<number, BucketDef>();
  private readonly listeners = new Set<TailListener>();
  private timer: NodeJS.Timeout | null = null;
  private fileStamp = '';

  constructor(readonly path: string) {}

  /** Reads what is there now (no messages), then checks every pollMs for more. */
  start(pollMs = 200): void {
    this.check(true);
    this.timer = setInterval(() => this.check(false), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Checks now: call after a commit to skip the polling delay. */
  poke(): void {
    this.check(false);
  }

  subscribe(listener: TailListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get newestSecond(): number {
    return this.lastT;
  }

  get endMessage(): LiveEnd | null {
    return this.ended;
  }

  /**
   * The committed seconds after `afterT` up to the newest announced, at most `limit` of them (-1:
   * all), read from the file: backfill for a client that asks for seconds it missed.
   */
  secondsAfter(afterT: number, limit = -1): LiveSecond[] {
    return this.withDb((db) => this.readSeconds(db, afterT, this.lastT, limit));
  }

  private check(initial: boolean): void {
    if (this.ended || !this.changed()) return;
    let read;
    try {
      read = this.withDb((db) => {
        const newest = (db.prepare('SELECT coalesce(max(t), -1) AS t FROM second').get() as { t: number }).t;
        return { seconds: initial ? [] : this.readSeconds(db, this.lastT, newest), newest, end: readEnd(db, newest) };
      });
    } catch (err) {
      if (initial) throw err; // not a recording at all: the caller says so
      this.fileStamp = ''; // moved away or unreadable for now: look again next time, never crash the server
      return;
    }
    const { seconds, newest, end } = read;
    if (initial) this.lastT = newest;
    for (const s of seconds) {
      this.lastT = s.t;
      for (const l of this.listeners) l.second(s);
    }
    if (end) {
      this.ended = end;
      for (const l of this.listeners) l.end(end);
      this.stop();
    }
  }

  /** True when the file or its WAL changed since the last look. */
  private changed(): boolean {
    const stamp = fileStamp(this.path);
    if (stamp === this.fileStamp) return false;
    this.fileStamp = stamp;
    return true;
  }

  /**
   * The committed seconds after `afterT` through `throughT`, at most `limit` of them (-1: all), each
   * read with three range scans in key order rather than a query per second.
   */
  private readSeconds(db: Db, afterT: number, throughT: number, limit = -1): LiveSecond[] {
    if (throughT <= afterT) return [];
    this.refreshDefinitions(db);
    const rows = db.prepare('SELECT t, wall_ms, events, partial FROM second WHERE t > ? AND t <= ? ORDER BY t LIMIT ?').safeIntegers(true)
      .all(afterT, throughT, limit) as { t: bigint; wall_ms: bigint; events: bigint; partial: bigint }[];
    if (rows.length === 0) return [];
    const lastT = Number(rows[rows.length - 1]!.t);
    const hist = groupByT(db.prepare('SELECT t, series_id, counts FROM hist WHERE t > ? AND t <= ? ORDER BY t, series_id').all(afterT, lastT) as { t: number; series_id: number; counts: string }[]);
    const health = groupByT(db.prepare('SELECT t, kind, count, message FROM health WHERE t > ? AND t <= ? ORDER BY id').all(afterT, lastT) as ({ t: number } & LiveSecond['health'][number])[]);
    return rows.map((row) => {
      const t = Number(row.t);
      const counts: LiveSecond['counts'] = [];
      for (const h of hist.get(t) ?? []) {
        for (const [bucketId, n] of countsFromJson(h.counts)) counts.push([h.series_id, bucketId, jsonInt(n)!]);
      }
      return {
        v: LIVE_MESSAGE_VERSION, type: 'second', t, wallMs: Number(row.wall_ms), events: jsonInt(row.events)!, partial: row.partial === 1n,
        series: [...new Set(counts.map((c) => c[0]))].map((id) => this.series.get(id)!),
        buckets: [...new Set(counts.map((c) => c[1]))].map((id) => this.buckets.get(id)!),
        counts, health: (health.get(t) ?? []).map(({ kind, count, message }) => ({ kind, count, message })),
      };
    });
  }

  private refreshDefinitions(db: Db): void {
    for (const s of db.prepare('SELECT id, aggregation, key_json, scheme FROM series WHERE id > ?').all(maxKey(this.series)) as { id: number; aggregation: string; key_json: string; scheme: string }[]) {
      this.series.set(s.id, { id: s.id, aggregation: s.aggregation, key: JSON.parse(s.key_json) as string[], scheme: s.scheme });
    }
    for (const b of db.prepare('SELECT id, lo, hi FROM bucket WHERE id > ?').safeIntegers(true).all(maxKey(this.buckets)) as { id: bigint; lo: bigint | null; hi: bigint | null }[]) {
      this.buckets.set(Number(b.id), { id: Number(b.id), lo: jsonInt(b.lo), hi: jsonInt(b.hi) });
    }
  }

  private withDb<T>(work: (db: Db) => T): T {
    const db = openDatabase(this.path, { readonly: true });
    try {
      return db.transaction(() => work(db))();
    } finally {
      db.close();
    }
  }
}

function readEnd(db: Db, lastT: number): LiveEnd | null {
  const meta = (key: string) => `(SELECT value FROM meta WHERE key = '${key}')`;
  const row = db.prepare(`SELECT ${meta('end_ms')} AS endMs, ${meta('end_reason')} AS reason, ${meta('status')} AS status`).get() as { endMs: string | null; reason: string | null; status: string | null };
  return row.endMs ? { v: LIVE_MESSAGE_VERSION, type: 'end', lastT, reason: row.reason ?? '', status: row.status ?? '', endMs: Number(row.endMs) } : null;
}

function groupByT<R extends { t: number }>(rows: R[]): Map<number, R[]> {
  const byT = new Map<number, R[]>();
  for (const r of rows) {
    const group = byT.get(r.t);
    if (group) group.push(r);
    else byT.set(r.t, [r]);
  }
  return byT;
}

function maxKey(map: Map<number, unknown>): number {
  let max = 0;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}
