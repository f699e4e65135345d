// A disk that fills up while recording, on a 2 MB tmpfs: the recording is marked as ended by it
// (status, end, a health row) in the .db itself, heat-record says so in one line and exits
// non-zero, and the data, not the WAL, is what filled the disk.

import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { committedSeconds, finished, runCli, startCli, waitFor } from '../helpers/cli.js';
import { useSmallDisk } from '../helpers/small-disk.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const DISK_BYTES = 2 * 1024 * 1024;

describe('a 2 MB disk filled by a recording', () => {
  const mount = useSmallDisk(tmp('small-fs'), DISK_BYTES);

  it('marks the .db alone as ended by the full disk, and exits non-zero with one line', async () => {
    const path = `${mount}/full.db`;
    const result = await runCli([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--fast',
      '-d',
      '24h',
      '--quiet',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^heat-record: cannot write .*full\.db: the disk is full \(/);
    expect(existsSync(`${path}-wal`)).toBe(false);

    const alone = tmp('full-copy.db'); // the .db as someone would copy it to share it
    copyFileSync(path, alone);
    const db = new Database(alone, { readonly: true });
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
    expect(meta).toMatchObject({ status: 'write-failed', end_reason: 'write-failed' });
    expect(Number(meta.end_ms)).toBeGreaterThanOrEqual(Number(meta.start_ms));
    const health = db.prepare("SELECT message FROM health WHERE kind = 'error'").all() as {
      message: string;
    }[];
    expect(health.map((h) => h.message)).toEqual([expect.stringMatching(/the disk is full/)]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const seconds = db.prepare('SELECT count(*) AS n, max(t) AS last FROM second').get() as {
      n: number;
      last: number;
    };
    expect(seconds.last).toBe(seconds.n - 1);
    db.close();
    // The seconds, not a WAL of rewritten pages, took the disk: at least half of it is recording.
    expect(statSync(path).size).toBeGreaterThan(DISK_BYTES / 2);
  }, 120_000);
});

describe('a disk filled by another program while recording', () => {
  const mount = useSmallDisk(tmp('filled-fs'), DISK_BYTES);

  it('stops with one line and leaves a file that reads whole, alone or with its WAL', async () => {
    const path = `${mount}/filled.db`;
    const child = startCli(['-o', path, '--tracer', 'synthetic', '--quiet']);
    const done = finished(child);
    await waitFor(() => committedSeconds(path) >= 2, 60_000, '2 committed seconds');
    fillDisk(`${mount}/filler`);
    const result = await done;
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^heat-record: cannot write .*filled\.db: the disk is full \(/);

    const withWal = readRecording(path);
    expect(withWal.integrity).toBe('ok');
    expect(withWal.seconds).toBeGreaterThanOrEqual(2);
    expect(withWal.status).toBe('write-failed'); // the end fits in the WAL's room left by earlier commits
    const alone = tmp('filled-copy.db');
    copyFileSync(path, alone);
    const aloneRead = readRecording(alone);
    expect(aloneRead.integrity).toBe('ok'); // never a checkpoint cut short by the full disk
    expect(aloneRead.seconds).toBeGreaterThanOrEqual(withWal.seconds - 2);
  }, 120_000);
});

function readRecording(path: string): { integrity: unknown; seconds: number; status: string } {
  const db = new Database(path, { readonly: true });
  try {
    const seconds = (db.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n;
    const status = (
      db.prepare("SELECT value FROM meta WHERE key = 'status'").get() as { value: string }
    ).value;
    return { integrity: db.pragma('integrity_check', { simple: true }), seconds, status };
  } finally {
    db.close();
  }
}

/** Writes zeros to file until the file system refuses more. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}
