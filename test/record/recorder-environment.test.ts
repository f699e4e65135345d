// The recorder against its environment, as root: files handed to the sudo user, tracefs mounted
// when missing (in a private mount namespace, so other tests keep theirs), and a full disk.

import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEAT_RECORD, runCli } from '../helpers/cli.js';
import { useSmallDisk } from '../helpers/small-disk.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('under sudo', () => {
  it('gives the finished recording to the user who ran sudo', async () => {
    const path = tmp('sudo.db');
    const result = await runCli(
      ['-o', path, '--tracer', 'synthetic', '--fast', '-d', '10s', '--quiet'],
      { env: { SUDO_UID: '65534', SUDO_GID: '65534', SUDO_USER: 'nobody' } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(path).uid).toBe(65534);
    expect(statSync(path).gid).toBe(65534);
  });
});

describe('tracefs not mounted', () => {
  it('mounts it, says so, and records', () => {
    const path = tmp('tracefs.db');
    // A private mount namespace: unmounting here does not touch the machine's tracefs.
    const script = `umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null;
      test -e /sys/kernel/tracing/events && { echo "still mounted"; exit 9; }
      exec "${process.execPath}" "${HEAT_RECORD}" -o "${path}" -d 3s --quiet`;
    const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toMatch(/heat-record: mounted tracefs at \/sys\/kernel\/tracing/);
    expect(
      (
        new Database(path, { readonly: true })
          .prepare('SELECT count(*) AS n FROM second')
          .get() as { n: number }
      ).n,
    ).toBeGreaterThanOrEqual(3);
  });
});

describe('a full disk', () => {
  // 2 MB: room for many seconds beside the reserve the recorder keeps free (2 x the WAL limit +
  // 256 KB), so "more than 10" says every second went in, not how the reserve fell.
  const mount = useSmallDisk(tmp('small-fs'), 2 * 1024 * 1024);

  it('stops with one line, keeping every second committed before', async () => {
    const path = `${mount}/full.db`;
    const result = await runCli([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--fast',
      '--keys',
      '40',
      '-d',
      '1h',
      '--quiet',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^heat-record: cannot write .*full\.db: the disk is full \(free some space; every second committed so far is kept in the file\)/,
    );
    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const seconds = db.prepare('SELECT count(*) AS n, max(t) AS last FROM second').get() as {
      n: number;
      last: number;
    };
    expect(seconds.n).toBeGreaterThan(10);
    expect(seconds.last).toBe(seconds.n - 1);
    db.close();
  });
});
