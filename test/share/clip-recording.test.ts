// heat-record clip: the clip's counts equal the window's in the original, renumbered from 0.

import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { START_MS, writeSyntheticRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const source = tmp('source.db');
writeSyntheticRecording(source, 300, { keys: 6, seed: 5 });

const countsOf = (path: string, from: number, to: number, shift: number) =>
  new Database(path, { readonly: true })
    .prepare(
      'SELECT t - ? AS t, aggregation, key, lo, hi, n FROM counts WHERE t BETWEEN ? AND ? ORDER BY t, key, lo',
    )
    .all(shift, from, to);

describe('heat-record clip', () => {
  it("keeps exactly the window's counts, renumbered from 0, with its own rollups and the source metadata", async () => {
    const out = tmp('clip.db');
    const result = await runCli(['clip', source, '--from', '100', '--to', '3m', '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wrote 81 second\(s\) \(100 s \.\. 180 s\)/);
    expect(countsOf(out, 0, 80, 0)).toEqual(countsOf(source, 100, 180, 100));
    const db = new Database(out, { readonly: true });
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
    expect(Number(meta.start_ms)).toBe(START_MS + 100_000);
    expect(meta).toMatchObject({ unit: 'us', preset: 'test', status: 'complete' });
    expect(JSON.parse(meta.derived_from!)).toMatchObject({ from: 100, to: 180 });
    const rolled = db
      .prepare(
        'SELECT sum(j.value) AS n FROM rollup r, json_each(r.counts) j WHERE level = 60 AND series_id = 0',
      )
      .get();
    const base = db.prepare('SELECT sum(n) AS n FROM counts').get();
    expect(rolled).toEqual(base);
  });

  it('accepts ISO times and refuses an empty window without leaving a file', async () => {
    const out = tmp('iso.db');
    const ok = await runCli([
      'clip',
      source,
      '--from',
      new Date(START_MS + 10_000).toISOString(),
      '--to',
      new Date(START_MS + 19_000).toISOString(),
      '-o',
      out,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(countsOf(out, 0, 9, 0)).toEqual(countsOf(source, 10, 19, 10));
    const empty = tmp('empty.db');
    const bad = await runCli(['clip', source, '--from', '400', '--to', '500', '-o', empty]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/has no seconds between 400 s and 500 s/);
    expect(existsSync(empty)).toBe(false);
  });
});
