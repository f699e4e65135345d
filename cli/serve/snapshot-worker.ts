// Worker thread: writes a consistent, compact copy of a recording that is still being written
// (VACUUM INTO reads it in one read transaction). Off the main thread, because a day-long
// recording takes seconds to copy and the main thread of heat-record --serve is recording.

import { parentPort, workerData } from 'node:worker_threads';
import { vacuumRecordingInto } from '../store/recording-image.js';

export interface SnapshotJob {
  from: string;
  to: string;
}

export type SnapshotResult = { ok: true } | { ok: false; message: string };

const { from, to } = workerData as SnapshotJob;
let result: SnapshotResult;
try {
  vacuumRecordingInto(from, to);
  result = { ok: true };
} catch (err) {
  result = { ok: false, message: err instanceof Error ? err.message : String(err) };
}
parentPort!.postMessage(result);
