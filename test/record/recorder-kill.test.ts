// kill -9 of heat-record, as root: the tracer dies with it (even one that never prints, so it
// would never notice its broken pipe), nothing is left in the temp folder, and the .db alone,
// copied away without its -wal, holds every second but the last few.

import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { committedSeconds, finished, runCli, startCli, waitFor } from '../helpers/cli.js';
import { childPids, isRunning } from '../helpers/processes.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** The seconds in the .db alone, read from a copy made without its -wal and -shm. */
function secondsInDbAlone(path: string, name: string): number {
  const copy = tmp(name);
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A "bpftrace" on PATH that says its version and then sleeps: it never writes, so never sees EPIPE. */
function silentBpftrace(): string {
  const dir = tmp('silent-bin');
  mkdirSync(dir);
  writeFileSync(
    `${dir}/bpftrace`,
    '#!/bin/sh\n[ "$1" = --version ] && { echo "bpftrace v0.17.0"; exit 0; }\nexec sleep 600\n',
  );
  chmodSync(`${dir}/bpftrace`, 0o755);
  return dir;
}

describe('kill -9 of heat-record', () => {
  it('takes down a tracer that never prints', async () => {
    const bin = silentBpftrace();
    const child = startCli(['-o', tmp('silent.db'), '--quiet'], {
      env: { PATH: `${bin}:${process.env.PATH}` },
    });
    const done = finished(child);
    // setpriv execs the tracer in place, so it is heat-record's own child, by its final name.
    const tracer = await waitFor(
      () => childPids(child.pid!, 'sleep')[0] ?? childPids(child.pid!, 'bpftrace')[0],
      30_000,
      'the tracer child',
    );
    child.kill('SIGKILL');
    await done;
    await waitFor(() => !isRunning(tracer), 30_000, `the orphaned tracer ${tracer} to die`);
    expect(isRunning(tracer)).toBe(false);
  }, 90_000);

  it('takes down bpftrace, leaves nothing in the temp folder, and the .db alone holds all but the last seconds', async () => {
    const tmpdir = tmp('tmpdir');
    mkdirSync(tmpdir);
    const path = tmp('killed.db');
    const child = startCli(['-o', path, '--quiet'], { env: { TMPDIR: tmpdir } });
    const done = finished(child);
    await waitFor(() => committedSeconds(path) >= 6, 60_000, '6 committed seconds');
    const bpftrace = await waitFor(
      () => childPids(child.pid!, 'bpftrace')[0],
      5_000,
      'the bpftrace child',
    );
    child.kill('SIGKILL');
    await done;
    await waitFor(() => !isRunning(bpftrace), 30_000, 'bpftrace to die');
    expect(readdirSync(tmpdir)).toEqual([]);
    const all = committedSeconds(path);
    expect(all).toBeGreaterThanOrEqual(6);
    expect(secondsInDbAlone(path, 'killed-copy.db')).toBeGreaterThanOrEqual(all - 2);
  }, 90_000);
});

describeWithDtrace('dtrace(1) runs', () => {
  it('leave nothing in the temp folder, run to the end or killed', async () => {
    const tmpdir = tmp('dtrace-tmpdir');
    mkdirSync(tmpdir);
    // The run ends at dtrace's end marker while dtrace is still detaching: a program file removed
    // when dtrace exits would outlive heat-record.
    const ended = await runCli(
      ['-o', tmp('dtrace-ended.db'), '--tracer', 'dtrace', '-d', '2s', '--quiet'],
      { env: { TMPDIR: tmpdir } },
    );
    expect(ended.code, ended.stderr).toBe(0);
    expect(readdirSync(tmpdir)).toEqual([]);

    // Killed once dtrace runs (the program is handed over by then); the first dtrace may still be
    // detaching, which can hold the second one's first second back for a minute.
    const child = startCli(['-o', tmp('dtrace-killed.db'), '--tracer', 'dtrace', '--quiet'], {
      env: { TMPDIR: tmpdir },
    });
    const done = finished(child);
    await waitFor(() => childPids(child.pid!, 'dtrace')[0], 30_000, 'the dtrace child');
    child.kill('SIGKILL');
    await done;
    expect(readdirSync(tmpdir)).toEqual([]);
  }, 120_000);
});
