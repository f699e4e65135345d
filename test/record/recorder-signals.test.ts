// The recorder's guarantees around its end, on live recordings: Ctrl-C / SIGTERM end cleanly
// with the partial last second kept; SIGKILL loses nothing committed; a dying tracer leaves a
// marked recording and a non-zero exit with the tracer's message.

import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { committedSeconds, finished, runCli, startCli, waitFor } from '../helpers/cli.js';
import { childPids, isRunning } from '../helpers/processes.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

function readRecording(path: string) {
  const db = new Database(path, { readonly: true });
  const meta = Object.fromEntries(
    (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
      (r) => [r.key, r.value],
    ),
  );
  const seconds = db.prepare('SELECT t, partial FROM second ORDER BY t').all() as {
    t: number;
    partial: number;
  }[];
  const integrity = db.pragma('integrity_check', { simple: true });
  const health = db.prepare('SELECT kind, message FROM health').all() as {
    kind: string;
    message: string;
  }[];
  db.close();
  return { meta, seconds, integrity, health };
}

describe.each([
  ['synthetic', 'SIGINT', ['--tracer', 'synthetic']],
  ['bpftrace', 'SIGINT', []],
  ['bpftrace', 'SIGTERM', []],
] as const)('%s recording stopped with %s', (tracer, signal, args) => {
  it('exits 0, keeps the partial last second and writes the end', async () => {
    const path = tmp(`${tracer}-${signal}.db`);
    const child = startCli(['-o', path, '--quiet', ...args]);
    const done = finished(child);
    await waitFor(() => committedSeconds(path) >= 3, 60_000, '3 committed seconds');
    await new Promise((r) => setTimeout(r, 400)); // part-way into the next second
    child.kill(signal);
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    const { meta, seconds, integrity } = readRecording(path);
    expect(integrity).toBe('ok');
    expect(meta).toMatchObject({ status: 'complete', end_reason: 'interrupted' });
    expect(Number(meta.end_ms)).toBeGreaterThan(Number(meta.start_ms));
    expect(seconds.map((s) => s.t)).toEqual(seconds.map((_, i) => i));
    expect(seconds.at(-1)!.partial).toBe(1);
    expect(seconds.slice(1, -1).filter((s) => s.partial)).toEqual([]); // only the cut ends (second 0 starts mid-second with bpftrace)
    expect(existsSync(`${path}-wal`)).toBe(false); // one self-contained file to share
  }, 90_000);
});

describe('SIGKILL', () => {
  it('keeps every second committed before the kill, and takes bpftrace down with it', async () => {
    const path = tmp('killed.db');
    const child = startCli(['-o', path, '--quiet']);
    const done = finished(child);
    await waitFor(() => committedSeconds(path) >= 3, 60_000, '3 committed seconds');
    const bpftrace = await waitFor(
      () => childPids(child.pid!, 'bpftrace')[0],
      5_000,
      'the bpftrace child',
    );
    const before = committedSeconds(path);
    child.kill('SIGKILL');
    await done;
    const { meta, seconds, integrity } = readRecording(path);
    expect(integrity).toBe('ok');
    expect(seconds.length).toBeGreaterThanOrEqual(before);
    expect(seconds.map((s) => s.t)).toEqual(seconds.map((_, i) => i));
    expect(meta.status).toBe('recording'); // honest: it never finished
    const info = await runCli(['info', path, '--json']);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout).seconds).toBe(seconds.length);
    // bpftrace is killed with heat-record (die-with-parent.ts); recorder-kill.test.ts has more.
    await waitFor(() => !isRunning(bpftrace), 10_000, 'bpftrace to exit');
  }, 90_000);
});

describe('tracer dies', () => {
  it("keeps the recording, marks it, and exits non-zero with the tracer's message", async () => {
    const path = tmp('tracer-died.db');
    const child = startCli(['-o', path, '--quiet']);
    const done = finished(child);
    await waitFor(() => committedSeconds(path) >= 2, 60_000, '2 committed seconds');
    const bpftrace = await waitFor(
      () => childPids(child.pid!, 'bpftrace')[0],
      5_000,
      'the bpftrace child',
    );
    process.kill(bpftrace, 'SIGKILL');
    const result = await done;
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^heat-record: bpftrace died after \d+ s: .*SIGKILL.* \(the \d+ seconds recorded are kept in /,
    );
    const { meta, seconds, health, integrity } = readRecording(path);
    expect(integrity).toBe('ok');
    expect(seconds.length).toBeGreaterThanOrEqual(2);
    expect(meta).toMatchObject({ status: 'tracer-failed', end_reason: 'tracer-failed' });
    expect(health.some((h) => h.kind === 'exit' && /SIGKILL/.test(h.message))).toBe(true);
  }, 90_000);
});
