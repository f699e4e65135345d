// When a recording's WAL is copied into the .db, and when the disk is too full to go on.
// Left to SQLite, the WAL is checkpointed only once it holds 1000 pages (4 MB): until then every
// committed second lives only in run.db-wal, and a .db copied away alone is an empty 4 KB file.
// Here it is also checkpointed after a commit once CHECKPOINT_EVERY_MS have passed: recording in
// real time, that is after every second, so the .db alone holds all but the last second. Faster
// than real time (--fast, import, clip) SQLite's page-count trigger does most of them; each costs
// two fsyncs, so that bound stays at 1000 pages unless the disk is small (see walPagesFor).
// After every commit the free space is checked (one statfs): a checkpoint grows the .db by up to
// the WAL's size, and one cut short by a full disk leaves the .db alone inconsistent. So the
// recording stops while twice the WAL bound is still free, room to write its end and fold the
// WAL in.

import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HeatError } from '../model/heat-error.js';
import type { Db } from './sqlite.js';

/** The least wall time between two checkpoints of our own: one per second recorded in real time. */
const CHECKPOINT_EVERY_MS = 500;
/** SQLite's default WAL bound, in pages: the most, as each checkpoint costs two fsyncs. */
const MAX_WAL_PAGES = 1000;
const MIN_WAL_PAGES = 16;
/** The WAL may take this share of the free space: on a 2 MB disk, the data fills it, not the WAL. */
const WAL_SHARE_OF_FREE = 1 / 16;
/** Kept free beyond twice the WAL bound, for the end of the recording, in bytes. */
const END_RESERVE_BYTES = 256 * 1024;

export class WalCheckpoints {
  private lastMs = Date.now();
  private walPages = MAX_WAL_PAGES;
  private readonly pageBytes: number;

  constructor(
    private readonly db: Db,
    private readonly path: string,
  ) {
    this.pageBytes = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`journal_size_limit = ${MAX_WAL_PAGES * this.pageBytes}`); // a WAL grown by a reader shrinks back
    this.boundWal(freeBytes(path));
  }

  /** Call after each committed second: checkpoints when due. Throws HeatError when the disk is nearly full. */
  afterCommit(): void {
    const free = freeBytes(this.path);
    this.refuseWhenFull(free);
    if (Date.now() - this.lastMs >= CHECKPOINT_EVERY_MS) this.checkpoint(free);
  }

  /** Copies every committed page into the .db now (PASSIVE: live readers are never waited for). */
  checkpoint(free = freeBytes(this.path)): void {
    this.refuseWhenFull(free);
    this.db.pragma('wal_checkpoint(PASSIVE)');
    this.lastMs = Date.now();
    this.boundWal(free);
  }

  /** Whether the disk has room to fold the whole WAL in (so a checkpoint would not be cut short). */
  hasRoomToCheckpoint(): boolean {
    const free = freeBytes(this.path);
    return free === null || free >= this.walPages * this.pageBytes + END_RESERVE_BYTES / 4;
  }

  private refuseWhenFull(free: number | null): void {
    if (free === null || free >= 2 * this.walPages * this.pageBytes + END_RESERVE_BYTES) return;
    // The same words as SQLITE_FULL (write-errors.ts): for the user it is the same event.
    throw new HeatError(
      `cannot write ${this.path}: the disk is full`,
      'free some space; every second committed so far is kept in the file',
    );
  }

  /** SQLite checkpoints by itself once the WAL holds this many pages: its share of the free space. */
  private boundWal(free: number | null): void {
    const pages =
      free === null ? MAX_WAL_PAGES : Math.floor((free * WAL_SHARE_OF_FREE) / this.pageBytes);
    const bounded = Math.min(MAX_WAL_PAGES, Math.max(MIN_WAL_PAGES, pages));
    if (bounded === this.walPages) return;
    this.walPages = bounded;
    this.db.pragma(`wal_autocheckpoint = ${bounded}`);
  }
}

/** Bytes this process may still write on the file system holding `path` (root may use the root reserve). */
function freeBytes(path: string): number | null {
  try {
    const fs = statfsSync(dirname(resolve(path)));
    return (process.geteuid?.() === 0 ? fs.bfree : fs.bavail) * fs.bsize;
  } catch {
    return null; // a file system that cannot say: SQLite's own SQLITE_FULL remains
  }
}
