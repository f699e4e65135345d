// A recording still being written is sent as a snapshot file: a compact, consistent copy made by
// a worker thread (snapshot-worker.ts), streamed, and removed once sent. Serializing it in memory
// instead held a whole copy in the server (hundreds of MB for a day-long recording, for every
// viewer that opened it) and stopped the event loop while it was made (130 ms for 18 MB), which
// in heat-record --serve is the recorder's own loop.

import { rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packagePath } from '../package-root.js';
import type { SnapshotJob, SnapshotResult } from './snapshot-worker.js';

/** Snapshots not yet removed: removed at exit too, whatever was sending them. */
const pending = new Set<string>();
let made = 0;

process.on('exit', () => {
  for (const path of pending) rmSync(path, { force: true });
});

/**
 * Space a copy must leave free on its file system: the recording beside it is still growing,
 * and a viewer must never be what fills the disk under a recorder.
 */
const HEADROOM = 256 * 1024 * 1024;

/** Where a copy of `bytes` may go: beside the recording, else the OS temp folder, each only with room to spare. */
export function snapshotFolders(path: string, bytes: number): string[] {
  return [dirname(path), tmpdir()].filter((dir) => {
    try {
      const fs = statfsSync(dir);
      return fs.bavail * fs.bsize >= bytes + HEADROOM;
    } catch {
      return false;
    }
  });
}

/** The snapshot being made: one at a time, so each one's room check sees the copies before it. */
let making: Promise<unknown> = Promise.resolve();

/**
 * Writes a snapshot of the recording at `path` (about `bytes` long) where there is room, after the
 * ones asked for before it; resolves its path, or null when it could be written nowhere.
 */
export function writeLiveSnapshot(path: string, bytes: number): Promise<string | null> {
  const made = making.then(() => writeSnapshotNow(path, bytes));
  making = made.catch(() => {});
  return made;
}

async function writeSnapshotNow(path: string, bytes: number): Promise<string | null> {
  const name = `.${basename(path)}.snapshot-${process.pid}-${++made}`;
  for (const to of snapshotFolders(path, bytes).map((dir) => join(dir, name))) {
    pending.add(to);
    const result = await runWorker({ from: path, to });
    if (result.ok) return to;
    removeLiveSnapshot(to);
  }
  return null;
}

export function removeLiveSnapshot(snapshot: string): void {
  rmSync(snapshot, { force: true });
  pending.delete(snapshot);
}

function runWorker(job: SnapshotJob): Promise<SnapshotResult> {
  return new Promise((resolve) => {
    const worker = new Worker(packagePath('dist/cli/serve/snapshot-worker.js'), {
      workerData: job,
    });
    worker.once('message', (r: SnapshotResult) => resolve(r));
    worker.once('error', (err) => resolve({ ok: false, message: err.message }));
    worker.once('exit', (code) =>
      resolve({ ok: false, message: `snapshot worker exited ${code}` }),
    );
  });
}
