// The recording route answers single byte ranges of a finished file (what lets the viewer read a
// day-long recording in parts), names the file's version so a replaced file is noticed, and
// sends a recording still being written whole, as one consistent image.

import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteRange, SNAPSHOT_FILE_FROM } from '../../cli/serve/recording-bytes.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import { startViewerServer, type RunningServer } from '../../cli/serve/viewer-server.js';
import { hist, openRecording, snapshot, writeSyntheticRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { packagePath } from '../../cli/package-root.js';

const tmp = useTempDir();

function get(
  base: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: '/recording.db', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res
          .on('data', (d: Buffer) => chunks.push(d))
          .on('end', () =>
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
          );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('byteRange', () => {
  it('reads the one-range forms and refuses what is outside the file', () => {
    expect(byteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(byteRange('bytes=1000-1001', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=5-4', 1000)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-1,5-6', 1000)).toBeNull();
    expect(byteRange('items=0-1', 1000)).toBeNull();
    expect(byteRange(undefined, 1000)).toBeNull();
  });
});

describe('GET /recording.db of a finished recording', () => {
  let server: RunningServer;
  const path = tmp('done.db');
  let file: Buffer;
  beforeAll(async () => {
    writeSyntheticRecording(path, 120, { keys: 6 });
    file = readFileSync(path);
    server = await startViewerServer({
      recordingPath: path,
      viewerRoot: packagePath('dist/viewer'),
    });
  });
  afterAll(() => server.close());

  it('answers a range with exactly those bytes', async () => {
    const r = await get(server.url, { Range: 'bytes=4096-8191' });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 4096-8191/${file.length}`);
    expect(r.body.equals(file.subarray(4096, 8192))).toBe(true);
    const tail = await get(server.url, { Range: 'bytes=-100' });
    expect(tail.body.equals(file.subarray(file.length - 100))).toBe(true);
  });

  it('sends the whole file without a range, or when If-Range names another version', async () => {
    const whole = await get(server.url);
    expect([whole.status, whole.headers['accept-ranges']]).toEqual([200, 'bytes']);
    expect(whole.body.equals(file)).toBe(true);
    const etag = whole.headers.etag as string;
    expect((await get(server.url, { Range: 'bytes=0-99', 'If-Range': etag })).status).toBe(206);
    const stale = await get(server.url, { Range: 'bytes=0-99', 'If-Range': '"another-version"' });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(file.length);
  });

  it('refuses a range past the end with 416 and the size', async () => {
    const r = await get(server.url, { Range: `bytes=${file.length}-` });
    expect(r.status).toBe(416);
    expect(r.headers['content-range']).toBe(`bytes */${file.length}`);
  });

  it('answers HEAD with a range without a body', async () => {
    const r = await get(server.url, { Range: 'bytes=0-99' }, 'HEAD');
    expect([r.status, r.headers['content-length'], r.body.length]).toEqual([206, '100', 0]);
  });
});

describe('GET /recording.db of a recording still being written', () => {
  it('sends one consistent image, whole, whatever range is asked', async () => {
    const path = tmp('live.db');
    const writer = openRecording(path);
    for (let t = 0; t < 3; t++) writer.append(snapshot(t, [hist(['read'], [[1, 1, t + 1]])]));
    const server = await startViewerServer({
      recordingPath: path,
      viewerRoot: packagePath('dist/viewer'),
    });
    try {
      const r = await get(server.url, { Range: 'bytes=0-99' });
      expect(r.status).toBe(200);
      expect(r.headers['accept-ranges']).toBeUndefined();
      expect(r.body.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      r.body[18] = r.body[19] = 1; // the live file's pages say WAL; as one image it needs none (the viewer does the same)
      const image = new Database(r.body, { readonly: true });
      expect(image.prepare('SELECT t, events FROM second ORDER BY t').all()).toEqual(
        [0, 1, 2].map((t) => ({ t, events: t + 1 })),
      );
    } finally {
      await server.close();
      writer.finish({ end_reason: 'test', status: 'complete' });
    }
  });

  it('sends a large one from a copy made off the main thread, and keeps no copy', async () => {
    const path = tmp('live-large.db');
    const writer = openRecording(path);
    const generator = new SyntheticGenerator({ keys: 40, seed: 4 });
    const seconds = 3600;
    for (let t = 0; t < seconds; t++) writer.append(snapshot(t, generator.second(t)));
    expect(statSync(path).size + statSync(`${path}-wal`).size).toBeGreaterThanOrEqual(
      SNAPSHOT_FILE_FROM,
    );
    const server = await startViewerServer({
      recordingPath: path,
      viewerRoot: packagePath('dist/viewer'),
    });
    try {
      const r = await get(server.url);
      expect(r.status).toBe(200);
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      const image = new Database(r.body, { readonly: true });
      expect(image.prepare('SELECT count(*) AS n, max(t) AS last FROM second').get()).toEqual({
        n: seconds,
        last: seconds - 1,
      });
      expect(image.pragma('integrity_check', { simple: true })).toBe('ok');
      // Written by VACUUM INTO, not copied from the live file's pages: it needs no WAL.
      expect([r.body[18], r.body[19]]).toEqual([1, 1]);
      const head = await get(server.url, {}, 'HEAD');
      expect([head.status, head.headers['content-length'], head.body.length]).toEqual([
        200,
        String(r.body.length),
        0,
      ]);
      // The copy it was sent from is gone once sent, beside the recording and in the temp folder.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readdirSync(dirname(path)).filter((f) => f.includes('snapshot'))).toEqual([]);
      expect(readdirSync(tmpdir()).filter((f) => f.startsWith('.live-large.db.snapshot'))).toEqual(
        [],
      );
    } finally {
      await server.close();
      writer.finish({ end_reason: 'test', status: 'complete' });
    }
  });

  it('answers 503 with the reason when it cannot be read, and keeps serving', async () => {
    const path = tmp('garbled.db');
    writeFileSync(path, Buffer.alloc(8192, 7));
    writeFileSync(`${path}-wal`, Buffer.alloc(0)); // looks like a recording being written
    const server = await startViewerServer({
      recordingPath: path,
      viewerRoot: packagePath('dist/viewer'),
    });
    try {
      for (let i = 0; i < 2; i++) {
        const r = await get(server.url);
        expect(r.status).toBe(503);
        expect(r.body.toString()).toMatch(/^cannot read the recording: .+\n$/);
      }
    } finally {
      await server.close();
    }
  });
});

describe('GET /recording.db of a recording that is gone', () => {
  it('answers 503 with the reason, and keeps serving', async () => {
    const path = tmp('gone.db');
    writeSyntheticRecording(path, 5, { keys: 2 });
    const server = await startViewerServer({
      recordingPath: path,
      viewerRoot: packagePath('dist/viewer'),
    });
    try {
      expect((await get(server.url)).status).toBe(200);
      rmSync(path);
      const r = await get(server.url);
      expect(r.status).toBe(503);
      expect(r.body.toString()).toMatch(/^cannot read the recording: ENOENT.*gone\.db/);
      expect((await get(server.url)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
