// Sends a recording to the browser as one consistent SQLite image. A finished recording is a
// plain file and is streamed; one still being written (WAL mode) is sent as a snapshot made off
// the main thread (live-snapshot.ts), so the viewer never sees a half-committed second. A
// finished file also answers single byte-range requests (with an ETag to send back in
// If-Range), so the viewer can read a day-long recording's few pages it shows instead of all of it.
// Many requests at once cost one copy: an in-memory image is shared while the file is unchanged,
// and snapshot files are made one at a time (live-snapshot.ts).

import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileHeader } from '../store/file-header.js';
import { fileStamp } from './file-stamp.js';
import { snapshotRecording } from '../store/recording-image.js';
import { removeLiveSnapshot, writeLiveSnapshot } from './live-snapshot.js';

/** True when the file uses a write-ahead log (header byte 18 = 2) or has one beside it. */
export function isWalRecording(path: string): boolean {
  if (existsSync(`${path}-wal`)) return true;
  return readFileHeader(path, 20)[18] === 2;
}

/** Sends the recording; a recording still being written is sent asynchronously (the promise). */
export function sendRecording(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void | Promise<void> {
  const headOnly = req.method === 'HEAD';
  res.setHeader('Content-Type', 'application/vnd.sqlite3');
  res.setHeader('Content-Disposition', 'inline; filename="recording.db"');
  if (isWalRecording(path)) return sendLiveRecording(res, path, headOnly);
  const stat = statSync(path);
  const etag = `"${stat.ino.toString(36)}-${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  const ifRange = req.headers['if-range'];
  const range =
    ifRange === undefined || ifRange === etag ? byteRange(req.headers.range, stat.size) : null;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${stat.size}` });
    res.end();
    return;
  }
  if (range) {
    res.writeHead(206, {
      'Content-Length': range.end - range.start + 1,
      'Content-Range': `bytes ${range.start}-${range.end}/${stat.size}`,
    });
  } else {
    res.setHeader('Content-Length', stat.size);
  }
  if (headOnly) {
    res.end();
    return;
  }
  sendFile(res, path, range ?? {});
}

/**
 * Below this (the file and its WAL), a copy is made in memory on the spot: about 60 ms, sooner
 * than starting a worker; above it, by a worker into a file.
 */
export const SNAPSHOT_FILE_FROM = 8 * 1024 * 1024;

async function sendLiveRecording(
  res: ServerResponse,
  path: string,
  headOnly: boolean,
): Promise<void> {
  const bytes = recordingBytes(path);
  const snapshot = bytes >= SNAPSHOT_FILE_FROM ? await writeLiveSnapshot(path, bytes) : null;
  if (!snapshot) {
    // Small, or nowhere to write a copy (no room, no write access): a copy in memory.
    const image = sharedImage(path);
    res.setHeader('Content-Length', image.length);
    res.end(headOnly ? undefined : image);
    return;
  }
  if (res.destroyed) return removeLiveSnapshot(snapshot); // the viewer went away while it was made
  res.once('close', () => removeLiveSnapshot(snapshot));
  res.setHeader('Content-Length', statSync(snapshot).size);
  if (headOnly) return void res.end();
  sendFile(res, snapshot);
}

/** The last in-memory image, for as long as a response still holds it (a WeakRef: no cache to expire). */
let lastImage: { path: string; stamp: string; image: WeakRef<Buffer> } | null = null;

/** An image of the recording as it is now; requests that come before it changes share one. */
function sharedImage(path: string): Buffer {
  const stamp = fileStamp(path);
  const shared =
    lastImage?.path === path && lastImage.stamp === stamp ? lastImage.image.deref() : undefined;
  if (shared) return shared;
  const image = snapshotRecording(path);
  lastImage = { path, stamp, image: new WeakRef(image) };
  return image;
}

/** Streams a file; a read error (the file went away) ends the response instead of the process. */
function sendFile(
  res: ServerResponse,
  path: string,
  range: { start?: number; end?: number } = {},
): void {
  createReadStream(path, range)
    .on('error', () => res.destroy())
    .pipe(res);
}

function recordingBytes(path: string): number {
  return [path, `${path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
}

/**
 * One range of a Range header ("bytes=a-b", "bytes=a-", "bytes=-n"), inclusive; null when there
 * is none or it is not one this server answers (several ranges: the whole file is sent).
 */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}
