// A recording still being written is sent as a snapshot file: a compact, consistent copy made by
// a worker thread (snapshot-worker.ts), streamed, and removed once sent. Serializing it in memory
// instead held a whole copy in the server (hundreds of MB for a day-long recording, for every
// viewer that opened it) and stopped the event loop while it was made (130 ms for 18 MB), which
// in heat-record --serve is the recorder's own loop.

import { rmSync } from 'node:fs';
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
 * Writes a snapshot of the recording at `path` beside it (the recording's file system has room
 * for it), else in the OS temp folder; resolves its path, or null when neither could be written.
 */
export async function writeLiveSnapshot(path: string): Promise<string | null> {
  const name = `.${basename(path)}.snapshot-${process.pid}-${++made}`;
  for (const to of [join(dirname(path), name), join(tmpdir(), name)]) {
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
    const worker = new Worker(packagePath('dist/cli/serve/snapshot-worker.js'), { workerData: job });
    worker.once('message', (r: SnapshotResult) => resolve(r));
    worker.once('error', (err) => resolve({ ok: false, message: err.message }));
    worker.once('exit', (code) => resolve({ ok: false, message: `snapshot worker exited ${code}` }));
  });
}
