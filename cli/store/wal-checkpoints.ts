// When a recording's WAL is copied into the .db, and when the disk is too full to go on.
// Left to SQLite, the WAL is checkpointed only once it holds 1000 pages (4 MB): until then every
// committed second lives only in run.db-wal, and a .db copied away alone is an empty 4 KB file.
// Here the WAL is checkpointed after a commit once CHECKPOINT_MIN_MS have passed, or
// CHECKPOINT_MAX_SECONDS seconds were committed (--fast, import, clip): recording in real time,
// that is after every second, so the .db alone holds all but the last second or so. It also
// bounds the WAL: each commit rewrites the few pages it touched (~16 KB for 1 KB of counts), so
// 4 MB of WAL held only ~250 seconds, and filled a small disk long before the data did.
// Before each checkpoint, the free space is checked: the checkpoint grows the .db by up to the
// WAL's size, and a checkpoint cut short by a full disk leaves the .db alone inconsistent. So the
// recording stops while a reserve is still free, enough to write its end and fold the WAL in.

import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HeatError } from '../model/heat-error.js';
import type { Db } from './sqlite.js';

/** The least wall time between two checkpoints: one per second recorded in real time. */
const CHECKPOINT_MIN_MS = 500;
/** The most seconds committed between two checkpoints when they come faster than real time. */
const CHECKPOINT_MAX_SECONDS = 16;
/** The least free space kept, in bytes; more when checkpoints are bigger (see reserveBytes). */
const MIN_RESERVE_BYTES = 256 * 1024;

export class WalCheckpoints {
  private lastMs = Date.now();
  private secondsSince = 0;
  /** The most the .db has grown by between two checkpoints, in bytes. */
  private largestGrowth = 0;
  private pages: number;
  private readonly pageBytes: number;

  constructor(private readonly db: Db, private readonly path: string) {
    this.pageBytes = db.pragma('page_size', { simple: true }) as number;
    this.pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0'); // this class decides, after checking the free space
    db.pragma(`journal_size_limit = ${MIN_RESERVE_BYTES * 4}`); // a WAL grown by a reader shrinks back
  }

  /** Call after each committed second: checkpoints when due. Throws HeatError when the disk is nearly full. */
  afterCommit(): void {
    this.secondsSince++;
    if (this.secondsSince < CHECKPOINT_MAX_SECONDS && Date.now() - this.lastMs < CHECKPOINT_MIN_MS) return;
    this.checkpoint();
  }

  /** Copies every committed page into the .db now (PASSIVE: live readers are never waited for). */
  checkpoint(): void {
    const free = freeBytes(this.path);
    if (free !== null && free < this.reserveBytes()) {
      // The same words as SQLITE_FULL (write-errors.ts): for the user it is the same event.
      throw new HeatError(`cannot write ${this.path}: the disk is full`, 'free some space; every second committed so far is kept in the file');
    }
    this.db.pragma('wal_checkpoint(PASSIVE)');
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    this.largestGrowth = Math.max(this.largestGrowth, (pages - this.pages) * this.pageBytes);
    this.pages = pages;
    this.lastMs = Date.now();
    this.secondsSince = 0;
  }

  /** Whether the disk has room for the pages committed since the last checkpoint (so one would not be cut short). */
  hasRoomToCheckpoint(): boolean {
    const free = freeBytes(this.path);
    const pending = ((this.db.pragma('page_count', { simple: true }) as number) - this.pages) * this.pageBytes;
    return free === null || free >= pending + MIN_RESERVE_BYTES / 4;
  }

  /** Room for the next checkpoint's growth (as big as the largest yet, twice over) and the end. */
  private reserveBytes(): number {
    return Math.max(MIN_RESERVE_BYTES, 3 * this.largestGrowth);
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
