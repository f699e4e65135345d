// Writes a recording: the schema and metadata at creation, then one transaction per second,
// so a crash or SIGKILL loses at most the second being written (WAL, synchronous=NORMAL), and
// the WAL folded into the .db about every second (wal-checkpoints.ts), so the .db alone holds
// all but the last second or so.

import { existsSync, rmSync } from 'node:fs';
import { FORMAT_VERSION, type RecordingMeta } from '../../schemas/format.js';
import type { Bucket, HealthEvent, Histogram, Snapshot } from '../model/snapshot.js';
import { RollupAccumulator, type RollupRow } from './rollup-accumulator.js';
import { openDatabase, recordingSchema, type Db } from './sqlite.js';
import { translateWriteError, checkWritableTarget } from './write-errors.js';
import { giveToSudoUser } from './sudo-owner.js';
import {
  removeStaleCompactCopies,
  replaceWithCompactCopy,
  writeCompactCopy,
} from './compact-recording.js';
import { WalCheckpoints } from './wal-checkpoints.js';
import { SeriesCatalog } from './series-catalog.js';
import { StackRows } from './stack-rows.js';
import { BatchInsert } from './batch-insert.js';
import { addCount, countsToJson, toCount, type BucketCounts, type Count } from './bucket-counts.js';
import { assertInt64 } from '../model/int64.js';
import { countsJson } from '../../schemas/counts-json.js';
import type { NewMark } from '../../schemas/marks.js';
import { insertMarks } from './recording-marks.js';
import { isNegativeCountsNote } from '../../schemas/negative-counts.js';
import { NegativeTally } from './negative-tally.js';

/** Rollup rows are written every this many seconds (and at the end). */
const ROLLUP_FLUSH_S = 10;

export interface CreateOptions {
  /** Replace an existing file. @default false */
  force?: boolean;
}

export class RecordingWriter {
  private lastT = -1;
  private readonly rollups = new RollupAccumulator();
  private readonly rollupThrough = new Map<number, number>();
  /** Closed windows not yet written: they go out together every ROLLUP_FLUSH_S seconds. */
  private pendingRollups: RollupRow[] = [];
  private readonly catalog: SeriesCatalog;
  /** Scratch for writeCounts: each histogram's series id, reused every second. */
  private readonly seriesIds: number[] = [];
  private readonly stmts;
  private readonly inTransaction: (work: () => void) => void;
  private readonly histRows: BatchInsert;
  private readonly rollupRows: BatchInsert;
  private readonly checkpoints: WalCheckpoints;
  private readonly stacks: StackRows;
  /** The negative counts of the second being written (its health warning). */
  private readonly negatives = new NegativeTally();

  private constructor(
    readonly path: string,
    private readonly db: Db,
  ) {
    this.checkpoints = new WalCheckpoints(db, path);
    this.catalog = new SeriesCatalog(db);
    this.stacks = new StackRows(db, this.catalog);
    // Made once: better-sqlite3 builds a new wrapper on every db.transaction() call.
    this.inTransaction = db.transaction((work: () => void) => work());
    this.histRows = new BatchInsert(db, 'hist', ['t', 'series_id', 'counts']);
    this.rollupRows = new BatchInsert(db, 'rollup', ['level', 't', 'series_id', 'counts']);
    this.stmts = {
      second: db.prepare(
        'INSERT INTO second (t, wall_ms, events, partial, tick_ns) VALUES (?, ?, ?, ?, ?)',
      ),
      health: db.prepare('INSERT INTO health (t, kind, count, message) VALUES (?, ?, ?, ?)'),
      rollupState: db.prepare('INSERT OR REPLACE INTO rollup_state (level, through) VALUES (?, ?)'),
      meta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    };
  }

  /** Creates a new recording file with its metadata. Refuses an existing file unless force. */
  static create(
    path: string,
    meta: Omit<RecordingMeta, 'format_version'>,
    options: CreateOptions = {},
  ): RecordingWriter {
    checkWritableTarget(path, options.force ?? false);
    if (options.force) removeRecordingFiles(path);
    removeStaleCompactCopies(path);
    let db: Db | null = null;
    try {
      db = openDatabase(path, { create: true });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(recordingSchema());
      const writer = new RecordingWriter(path, db);
      writer.setMeta({ ...meta, format_version: String(FORMAT_VERSION) });
      writer.checkpoints.checkpoint(); // the .db alone has its tables and metadata from the start
      giveToSudoUser(path);
      return writer;
    } catch (err) {
      if (db?.open) db.close();
      if (db) removeRecordingFiles(path); // nothing recorded yet: leave no half-made file
      throw translateWriteError(err, path);
    }
  }

  /** Updates metadata keys (e.g. start_ms once the tracer has attached). */
  setMeta(values: Partial<RecordingMeta>): void {
    this.write(() => {
      for (const [key, value] of Object.entries(values)) this.stmts.meta.run(key, String(value));
    });
  }

  /** Commits one second. Seconds must come in increasing t; a jump is recorded as a gap. */
  append(snapshot: Snapshot): void {
    if (snapshot.t <= this.lastT) throw new Error(`second ${snapshot.t} after ${this.lastT}`);
    this.write(() => {
      this.recordGap(snapshot.t);
      this.pendingRollups.push(...this.rollups.advanceTo(snapshot.t));
      const flushAt = Math.floor(snapshot.t / ROLLUP_FLUSH_S) * ROLLUP_FLUSH_S;
      if (flushAt > (this.rollupThrough.get(1) ?? 0))
        this.writeRollups((level) => Math.floor(flushAt / level) * level, flushAt);
      const events = this.writeCounts(snapshot.t, snapshot.histograms);
      if (snapshot.stacks) this.stacks.write(snapshot.t, snapshot.stacks);
      assertInt64(events, () => `second ${snapshot.t}'s total count`);
      this.stmts.second.run(
        snapshot.t,
        Math.round(snapshot.wallMs),
        events,
        snapshot.partial ? 1 : 0,
        snapshot.tickNs ?? null,
      );
      for (const h of snapshot.health) this.writeHealth(snapshot.t, h);
      this.noteNegatives(snapshot);
    });
    this.lastT = snapshot.t;
    this.checkpoints.afterCommit();
  }

  /** Stores a health event outside any second (start-up warnings, the tracer's exit). */
  addHealth(event: HealthEvent, t: number | null = null): void {
    this.write(() => this.writeHealth(t, event));
  }

  /** Stores marks (schemas/marks.ts), e.g. those a clip or merge carries over from its sources. */
  addMarks(marks: readonly NewMark[]): void {
    if (marks.length > 0) this.write(() => insertMarks(this.db, marks));
  }

  /** Writes the end metadata and the last rollups, and leaves one self-contained file. */
  finish(end: Partial<RecordingMeta>): void {
    this.write(() => {
      this.pendingRollups.push(...this.rollups.flush());
      this.writeRollups(() => this.lastT + 1, Infinity);
      for (const [key, value] of Object.entries(end)) this.stmts.meta.run(key, String(value));
    });
    let copy: string | null = null;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      const mode = this.db.pragma('journal_mode = DELETE', { simple: true });
      // Only a file with no WAL beside it may be replaced: a stale WAL would be applied to the copy.
      if (mode === 'delete') copy = writeCompactCopy(this.db, this.path);
    } catch {
      // Another process (a live viewer) still reads the WAL: the file stays in WAL mode, which is fine.
    }
    if (this.db.open) this.db.close();
    if (copy) replaceWithCompactCopy(copy, this.path);
    this.close();
  }

  /**
   * After a write failure (a full disk): writes the end and a health row as far as the disk
   * allows, folds the WAL into the .db if it can, and closes. Never throws.
   */
  abandon(end: Partial<RecordingMeta>, health: HealthEvent): void {
    try {
      this.inTransaction(() => {
        this.writeHealth(this.lastT >= 0 ? this.lastT : null, health);
        for (const [key, value] of Object.entries(end)) this.stmts.meta.run(key, String(value));
      });
    } catch {
      // The disk refused even that: the seconds committed are still in the file.
    }
    let folded = false;
    try {
      if (this.checkpoints.hasRoomToCheckpoint())
        folded = (this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy === 0;
    } catch {
      // Left in the WAL beside the file.
    }
    if (folded) this.close();
    else this.closeWithoutCheckpoint();
  }

  /**
   * SQLite folds the WAL in when its last connection closes; cut short by a full disk, that
   * would leave pages of the .db pointing at pages never written. A read-only connection held
   * open meanwhile makes this close not the last, and a read-only one never checkpoints.
   */
  private closeWithoutCheckpoint(): void {
    let holder: Db | null = null;
    try {
      holder = openDatabase(this.path, { readonly: true });
      holder.prepare('SELECT 1 FROM meta LIMIT 1').get(); // opens the WAL now
    } catch {
      // Without it, SQLite's own close runs as usual.
    }
    this.close();
    holder?.close();
  }

  /** Closes without writing anything more (after a write failure). */
  close(): void {
    if (this.db.open) this.db.close();
    giveToSudoUser(this.path);
  }

  /** The last second committed, or -1. */
  get lastSecond(): number {
    return this.lastT;
  }

  private write(work: () => void): void {
    try {
      this.inTransaction(work);
    } catch (err) {
      throw translateWriteError(err, this.path);
    }
  }

  private recordGap(t: number): void {
    const missed = t - this.lastT - 1;
    if (this.lastT >= 0 && missed > 0) {
      this.writeHealth(this.lastT + 1, {
        kind: 'gap',
        message: `${missed} second(s) missed: no tick from the tracer (events of a missed second are counted in the next one recorded)`,
        count: missed,
      });
    }
  }

  /**
   * The second's health warning about its negative counts (schemas/negative-counts.ts), unless
   * the snapshot carries one already (a clip or merge of a recording that noted them).
   */
  private noteNegatives(snapshot: Snapshot): void {
    const note = this.negatives.note();
    if (note && !snapshot.health.some((h) => isNegativeCountsNote(h.message)))
      this.writeHealth(snapshot.t, note);
  }

  /**
   * Writes the second's counts as read; its events and rollups sum the positive ones, the heat
   * (schemas/negative-counts.ts), and the negative ones are tallied for the second's warning.
   */
  private writeCounts(t: number, histograms: Histogram[]): Count {
    this.histRows.clear(); // rows of a second whose transaction failed part-way
    this.negatives.clear();
    const events = this.queueCounts(t, histograms);
    this.histRows.flush();
    return events;
  }

  private queueCounts(t: number, histograms: Histogram[]): Count {
    const ids = this.seriesIds;
    ids.length = 0;
    let ascending = true;
    for (const h of histograms) {
      const id = this.catalog.seriesId(h);
      if (ids.length > 0 && id <= ids[ids.length - 1]!) ascending = false;
      ids.push(id);
    }
    let events: Count = 0;
    if (ascending) {
      for (let i = 0; i < histograms.length; i++)
        events = addCount(events, this.writeSeries(t, ids[i]!, histograms[i]!));
      return events;
    }
    // Primary-key order keeps inserts at the B-tree's right edge: full pages, a small file.
    const order = histograms.map((_, i) => i).sort((a, b) => ids[a]! - ids[b]!);
    for (let i = 0; i < order.length; i++) {
      const seriesId = ids[order[i]!]!;
      let j = i;
      while (j + 1 < order.length && ids[order[j + 1]!] === seriesId) j++;
      const sum =
        i === j
          ? this.writeSeries(t, seriesId, histograms[order[i]!]!)
          : this.writeMergedSeries(
              t,
              seriesId,
              order.slice(i, j + 1).map((k) => histograms[k]!),
            );
      events = addCount(events, sum);
      i = j;
    }
    return events;
  }

  /** The usual case, one histogram for the series this second: straight to JSON and rollups. */
  private writeSeries(t: number, seriesId: number, h: Histogram): Count {
    const [all, perSeries] = this.rollups.sumsFor(t, seriesId);
    let events: Count = 0;
    const json = countsJson((add) => {
      for (const b of h.buckets) {
        if (b.count === 0n) continue;
        const id = this.catalog.bucketId(b.lo, b.hi);
        const n = toCount(b.count);
        if (typeof n === 'bigint')
          assertInt64(n, () => `a count of ${h.aggregation} at second ${t}`);
        add(id, n);
        if (n < 0) {
          this.negatives.add(n, h, b.lo, b.hi); // kept in hist, left out of the heat
          continue;
        }
        events = addCount(events, n);
        all!.add(id, n);
        perSeries?.add(id, n);
      }
    });
    if (json !== '{}') this.histRows.add(t, seriesId, json);
    return events;
  }

  /** A series printed twice in one second (a late print merged in): counts are summed. */
  private writeMergedSeries(t: number, seriesId: number, histograms: Histogram[]): Count {
    const counts: BucketCounts = new Map();
    const bounds = new Map<number, Bucket>();
    for (const h of histograms) {
      for (const b of h.buckets) {
        if (b.count === 0n) continue;
        const id = this.catalog.bucketId(b.lo, b.hi);
        counts.set(id, addCount(counts.get(id) ?? 0, toCount(b.count)));
        bounds.set(id, b);
      }
    }
    if (counts.size === 0) return 0;
    counts.forEach((n) =>
      assertInt64(n, () => `a count of ${histograms[0]!.aggregation} summed over second ${t}`),
    );
    this.histRows.add(t, seriesId, countsToJson(counts));
    // The heat of the summed count, as hist holds it: what a reader of the file sums.
    let events: Count = 0;
    const sums = this.rollups.sumsFor(t, seriesId);
    counts.forEach((n, id) => {
      const b = bounds.get(id)!;
      if (n < 0) this.negatives.add(n, histograms[0]!, b.lo, b.hi);
      if (n <= 0) return;
      events = addCount(events, n);
      for (const sum of sums) sum.add(id, n);
    });
    return events;
  }

  /**
   * Writes the closed windows that start before `before` and moves each level's `through` mark
   * (see rollup_state in recording.sql). Batched: touching the rollup tables every second would
   * double the pages each one-second commit writes.
   */
  private writeRollups(through: (level: number) => number, before: number): void {
    const due = this.pendingRollups.filter((r) => r.t < before);
    this.pendingRollups = this.pendingRollups.filter((r) => r.t >= before);
    for (const r of due) this.rollupRows.add(r.level, r.t, r.seriesId, r.counts);
    this.rollupRows.flush();
    for (const level of this.rollups.levels) {
      const mark = through(level);
      if (this.rollupThrough.get(level) === mark) continue;
      this.stmts.rollupState.run(level, mark);
      this.rollupThrough.set(level, mark);
    }
  }

  private writeHealth(t: number | null, h: HealthEvent): void {
    this.stmts.health.run(t, h.kind, h.count, h.message);
  }
}

/** Deletes a recording and its WAL side files (for --force). */
export function removeRecordingFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(p)) rmSync(p);
  }
}
