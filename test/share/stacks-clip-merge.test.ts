// Stacks travel with their seconds through clip and merge (the host put first in the key, as for
// the histograms), info says what share of events carry one, and a recording made before stacks
// existed (no stack tables) still goes through info, export, clip and merge.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { runCli } from '../helpers/cli.js';
import { hist, snapshot, writeRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const SLOW = ['main', 'slow_path', 'clock_nanosleep'];

/** Second t: 100 fast events, 10 slow ones that carry the slow stack. */
function second(t: number): Snapshot {
  const s = snapshot(t, [
    hist(
      ['a'],
      [
        [64, 127, 100],
        [4096, 8191, 10],
      ],
    ),
  ]);
  s.stacks = [{ ...hist(['a'], [[4096, 8191, 10]]), frames: SLOW } satisfies Histogram];
  return s;
}

function withStacks(name: string, seconds: number): string {
  const path = tmp(name);
  writeRecording(
    path,
    Array.from({ length: seconds }, (_, t) => second(t)),
  );
  const db = new Database(path);
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('stacks', 'user'), ('stacks_above', '1000')",
  ).run();
  db.close();
  return path;
}

const stackRows = (path: string) => {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT t, key, lo, frames, n FROM stack_counts ORDER BY t, key').all();
  db.close();
  return rows;
};

describe('stacks through clip, merge and info', () => {
  it('clip keeps the stacks of its window, renumbered', async () => {
    const source = withStacks('clip-src.db', 6);
    const out = tmp('clip.db');
    const r = await runCli(['clip', source, '--from', '2', '--to', '3', '-o', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(stackRows(out)).toEqual(
      [0, 1].map((t) => ({ t, key: 'a', lo: 4096, frames: JSON.stringify(SLOW), n: 10 })),
    );
  });

  it('merge keeps every source stack under its host', async () => {
    const a = withStacks('a.db', 2);
    const b = withStacks('b.db', 2);
    const out = tmp('merged.db');
    const r = await runCli(['merge', a, b, '-o', out, '--quiet']);
    expect(r.code).toBe(0);
    const rows = stackRows(out) as { key: string; n: number }[];
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((row) => row.key)).size).toBe(2);
    expect(rows.every((row) => row.n === 10)).toBe(true);
    const info = await runCli(['info', out]);
    expect(info.stdout).toContain(
      'stacks     user, at or above 1000 µs: 9.1 % of events carry one (40)',
    );
  });

  it('info says what share of the events carry a stack', async () => {
    const path = withStacks('info.db', 3);
    const text = await runCli(['info', path]);
    expect(text.stdout).toContain(
      'stacks     user, at or above 1000 µs: 9.1 % of events carry one (30), 1 distinct stacks',
    );
    const json = JSON.parse((await runCli(['info', path, '--json'])).stdout) as {
      stacks: unknown;
    };
    expect(json.stacks).toEqual({ kinds: 'user', above: 1000, distinct: 1, events: 30 });
  });

  it('a recording without the stack tables goes through info, export, clip and merge', async () => {
    const path = tmp('old.db');
    writeRecording(path, [snapshot(0, [hist(['a'], [[1, 1, 5]])]), snapshot(1, [])]);
    const db = new Database(path);
    db.exec('DROP VIEW stack_counts; DROP TABLE stack_hist; DROP TABLE stack;');
    db.close();
    const results = await Promise.all([
      runCli(['info', path]),
      runCli(['export', path, '--format', 'csv']),
      runCli(['clip', path, '--from', '0', '--to', '0', '-o', tmp('old-clip.db'), '--quiet']),
      runCli(['merge', path, path, '-o', tmp('old-merge.db'), '--quiet']),
    ]);
    expect(results.map((r) => [r.code, r.stderr.includes('heat-record: error')])).toEqual(
      results.map(() => [0, false]),
    );
    expect(results[0]!.stdout).not.toContain('stacks');
  });
});
