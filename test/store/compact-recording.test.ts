import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCompactCopy } from '../../cli/store/compact-recording.js';
import { writeSyntheticRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** Per table or index: its pages, and how many separate runs of consecutive page numbers they form. */
function layout(path: string): Map<string, { pages: number; runs: number }> {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT name, count(*) AS pages, count(*) - sum(pageno = prev + 1) AS runs
    FROM (SELECT name, pageno, lag(pageno) OVER (PARTITION BY name ORDER BY pageno) AS prev FROM dbstat) GROUP BY name`,
    )
    .all() as { name: string; pages: number; runs: number }[];
  db.close();
  return new Map(rows.map((r) => [r.name, { pages: r.pages, runs: r.runs }]));
}

describe('a finished recording is compacted', () => {
  it('lays each table out in one run of pages (its root aside), keeps every count, and leaves no copy behind', () => {
    const path = tmp('long.db');
    const snaps = writeSyntheticRecording(path, 1800, { keys: 20, seed: 4 });
    const tables = layout(path);
    // Recorded second by second, hist, rollup and second interleave; compacted, each is its root
    // page (created with the schema) plus one run of pages.
    for (const name of ['hist', 'rollup', 'second']) {
      const t = tables.get(name)!;
      expect(t.pages, name).toBeGreaterThan(8);
      expect(t.runs, name).toBeLessThanOrEqual(2);
    }
    const db = new Database(path, { readonly: true });
    const stored = (db.prepare('SELECT sum(n) AS n FROM counts').get() as { n: number }).n;
    const written = snaps
      .flatMap((s) => s.histograms.flatMap((h) => h.buckets.map((b) => Number(b.count))))
      .reduce((a, b) => a + b, 0);
    expect(stored).toBe(written);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
    expect(readdirSync(dirname(path)).filter((f) => f.includes('compact'))).toEqual([]);
  });
});

describe('compacting on a disk without room for the copy', () => {
  const mount = tmp('small-fs');
  mkdirSync(mount);
  afterAll(() => execFileSync('umount', ['--lazy', mount]));

  it('gives up, leaving the recording exactly as it was and no copy behind', () => {
    const made = tmp('made.db');
    writeSyntheticRecording(made, 600, { keys: 10, seed: 6 });
    const size = statSync(made).size;
    // Room for the recording and a little more, not for a second copy of it.
    execFileSync('mount', [
      '-t',
      'tmpfs',
      '-o',
      `size=${Math.ceil((size * 1.4) / 4096) * 4096}`,
      'tmpfs',
      mount,
    ]);
    const path = `${mount}/run.db`;
    copyFileSync(made, path);
    const before = readFileSync(path);
    const db = new Database(path);
    expect(writeCompactCopy(db, path)).toBeNull();
    db.close();
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(mount)).toEqual(['run.db']);
  });
});
