// A finished recording is rewritten table by table (VACUUM INTO a hidden file beside it, then
// renamed over it), so each table's pages lie together in key order. While recording, SQLite
// interleaves the pages of hist, rollup and second as the seconds arrive; the viewer can then
// read a day-long file's coarse rollups and its runs of seconds in a few large reads instead
// of thousands of scattered ones, and never load the per-second counts it does not show.
// It also drops the slack of pages filled out of order (about a tenth of the file).
// Compacting is an optimisation: on any failure (a full disk) the recording stays as it was.
// A kill -9 during it leaves the hidden copy (as big as the recording): the next recording
// written into that folder removes copies whose process is gone.

import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './sqlite.js';

/**
 * Writes a compacted copy of `db` (the open recording at `path`) beside it. Returns the copy's
 * path, or null when it could not be written (nothing is left behind then).
 */
export function writeCompactCopy(db: Db, path: string): string | null {
  const copy = join(dirname(path), compactCopyName(basename(path), process.pid));
  try {
    rmSync(copy, { force: true });
    db.prepare('VACUUM INTO ?').run(copy);
    const fd = openSync(copy, 'r+');
    try {
      fsyncSync(fd); // VACUUM INTO does not sync its output; the rename must not expose a torn file
    } finally {
      closeSync(fd);
    }
    return copy;
  } catch {
    rmSync(copy, { force: true });
    return null;
  }
}

/** ".run.db.compact-1234": the copy of run.db that process 1234 is writing. */
function compactCopyName(recording: string, pid: number): string {
  return `.${recording}.compact-${pid}`;
}

const COMPACT_COPY = /^\..+\.compact-(\d+)$/;

/** Removes the compacted copies left in the folder of `path` by processes that are gone. */
export function removeStaleCompactCopies(path: string): void {
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(COMPACT_COPY.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !processExists(pid))
      rmSync(join(dir, name), { force: true });
  }
}

/** Whether a live process is writing a compacted copy of `path` (it will be renamed over `path`). */
export function isBeingCompacted(path: string): boolean {
  const prefix = `.${basename(path)}.compact-`;
  try {
    return readdirSync(dirname(path)).some(
      (name) => name.startsWith(prefix) && processExists(Number(name.slice(prefix.length))),
    );
  } catch {
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Puts the compacted copy in place of the recording (atomic on one file system). */
export function replaceWithCompactCopy(copy: string, path: string): void {
  try {
    renameSync(copy, path);
    syncDirectory(dirname(path));
  } catch {
    rmSync(copy, { force: true });
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot sync a directory; the rename is still atomic.
  }
}
