// heat-record import: saved tracer output (real captures) -> a recording with the same counts.

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/package-root.js';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const fixture = (p: string) => join(packageRoot(), 'test/fixtures', p);

describe('heat-record import', () => {
  it('imports per-second bpftrace JSON (time lines, exit dump) as one second per print', async () => {
    const out = tmp('bt-json.db');
    const result = await runCli(['import', fixture('bpftrace-0.17/06-interval-print.json'), '-o', out, '--syscall-names']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/imported 4 interval\(s\) of bpftrace-json .*\(unit us\)/);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM second').get()).toEqual({ n: 4 });
    // syscall 232 = epoll_wait: the first print has 10 events in [65536, 131071] µs.
    expect(db.prepare("SELECT n FROM counts WHERE t = 0 AND key = 'epoll_wait' AND lo = 65536").get()).toEqual({ n: 10 });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'tracer'").get()).toEqual({ value: 'import:bpftrace-json' });
  });

  it('gives the same counts for the text and JSON captures of one run', async () => {
    const fromJson = tmp('edges-json.db');
    const fromText = tmp('edges-text.db');
    await runCli(['import', fixture('bpftrace-0.17/09-hist-edges.json'), '-o', fromJson, '--unit', 'count']);
    const text = await runCli(['import', fixture('bpftrace-0.17/09-hist-edges.txt'), '-o', fromText, '--unit', 'count']);
    expect(text.code, text.stderr).toBe(0);
    const rows = (p: string) => new Database(p, { readonly: true }).prepare('SELECT aggregation, key, lo, hi, n FROM counts ORDER BY aggregation, key, lo').all();
    expect(rows(fromText)).toEqual(rows(fromJson));
    expect(rows(fromJson).length).toBeGreaterThan(3);
  });

  it('imports DTrace printa text, one table set per second', async () => {
    const out = tmp('dtrace.db');
    const result = await runCli(['import', fixture('dtrace-layout/quantize-by-string.printa-per-second.txt'), '-o', out, '--unit', 'ns']);
    expect(result.code, result.stderr).toBe(0);
    const db = new Database(out, { readonly: true });
    const seconds = (db.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n;
    expect(seconds).toBeGreaterThan(1);
    expect(db.prepare("SELECT count(*) AS n FROM series WHERE scheme = 'log2'").get()).not.toEqual({ n: 0 });
  });

  it('says so when the input is no tracer output', async () => {
    const result = await runCli(['import', join(packageRoot(), 'package.json'), '-o', tmp('nope.db')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/package.json is not bpftrace \(JSON or text\) or DTrace printa output \(name the format with --format/);
  });
});
