// Sends a recording to the browser as one consistent SQLite image. A finished recording is a
// plain file and is streamed; one still being written (WAL mode) is serialized through a read
// transaction, so the viewer never sees a half-committed second.

import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { readFileHeader } from '../store/file-header.js';
import { openDatabase } from '../store/sqlite.js';

/** True when the file uses a write-ahead log (header byte 18 = 2) or has one beside it. */
export function isWalRecording(path: string): boolean {
  if (existsSync(`${path}-wal`)) return true;
  return readFileHeader(path, 20)[18] === 2;
}

/** A consistent in-memory image of a recording. */
export function snapshotRecording(path: string): Buffer {
  const db = openDatabase(path, { readonly: true });
  try {
    return db.serialize();
  } finally {
    db.close();
  }
}

export function sendRecording(res: ServerResponse, path: string, headOnly: boolean): void {
  res.setHeader('Content-Type', 'application/vnd.sqlite3');
  res.setHeader('Content-Disposition', 'inline; filename="recording.db"');
  if (isWalRecording(path)) {
    const bytes = snapshotRecording(path);
    res.setHeader('Content-Length', bytes.length);
    res.end(headOnly ? undefined : bytes);
    return;
  }
  res.setHeader('Content-Length', statSync(path).size);
  if (headOnly) {
    res.end();
    return;
  }
  createReadStream(path).pipe(res);
}
