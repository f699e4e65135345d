// heat-record's command line: bad input gets one clear line and a non-zero exit, never a stack
// trace or a stray file; the synthetic tracer records without root.

import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

function expectOneLineError(
  result: { code: number | null; stderr: string },
  pattern: RegExp,
): void {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('heat-record record', () => {
  it('records a fast synthetic hour with the requested keys', async () => {
    const path = tmp('fast.db');
    const result = await runCli([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--fast',
      '--duration',
      '1h',
      '--keys',
      '12',
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n, max(t) AS last FROM second').get()).toEqual({
      n: 3600,
      last: 3599,
    });
    expect(db.prepare('SELECT count(*) AS n FROM series').get()).toEqual({ n: 12 });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'command_line'").get()).toEqual({
      value: JSON.stringify([
        'heat-record',
        '-o',
        path,
        '--tracer',
        'synthetic',
        '--fast',
        '--duration',
        '1h',
        '--keys',
        '12',
        '--quiet',
      ]),
    });
    // Ended by --duration: the end is the end of the last second asked for, not the wall clock
    // when recording at --fast pace finished (that made info say start + 2 s).
    const meta = (key: string) =>
      Number(
        (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value,
      );
    expect(meta('end_ms') - meta('start_ms')).toBe(3_600_000);
  });

  it('is deterministic for a seed', async () => {
    const a = tmp('seed-a.db');
    const b = tmp('seed-b.db');
    for (const p of [a, b])
      await runCli([
        '-o',
        p,
        '--tracer',
        'synthetic',
        '--fast',
        '-d',
        '30s',
        '--seed',
        '42',
        '--quiet',
      ]);
    const dump = (p: string) =>
      new Database(p, { readonly: true })
        .prepare('SELECT t, series_id, counts FROM hist ORDER BY t, series_id')
        .all();
    expect(dump(a)).toEqual(dump(b));
    expect(dump(a).length).toBeGreaterThan(0);
  });

  it.each([
    [['--tracer', 'synthetic'], /no output file \(say where to record with -o/],
    [
      ['-o', 'x.db', '--tracer', 'nope'],
      /unknown tracer "nope" \(--tracer\).*bpftrace, dtrace, libdtrace, synthetic/,
    ],
    [['-o', 'x.db', '--preset', 'nope'], /unknown preset "nope" \(--preset\).*syscall-latency/],
    [
      ['-o', 'x.db', '--tracer', 'synthetic', '--duration', 'soon'],
      /--duration "soon" is not a duration/,
    ],
    [['-o', 'x.db', '--tracer', 'synthetic', '--fast'], /--fast needs --duration/],
    [['-o', 'x.db', '--unit', 'parsecs', '-e', 'x'], /--unit "parsecs" is not a unit/],
    [['-o', 'x.db', '-e', 'a', '-s', 'b'], /-e and -s cannot be used together/],
    [
      ['-o', 'x.db', '-s', '/nonexistent/script.bt'],
      /cannot read script file \/nonexistent\/script.bt \(-s\)/,
    ],
    [
      ['-o', 'x.db', '-e', 'tracepoint:raw_syscalls:sys_enter { @c = count(); }'],
      /defines no histogram/,
    ],
    [['-o', 'x.db', '-e', 'k:f { @h = hist(1); } interval:s:1 { print(@h); }'], /prints @h itself/],
    [
      ['-o', '/nonexistent-dir/x.db', '--tracer', 'synthetic'],
      /cannot write \/nonexistent-dir\/x.db: folder \/nonexistent-dir does not exist/,
    ],
  ])('%j gets one clear line', async (args, pattern) => {
    const result = await runCli(args, { env: { PWD: tmp('') } });
    expectOneLineError(result, pattern);
    expect(existsSync('x.db')).toBe(false);
  });

  it('refuses an existing output without --force and replaces it with', async () => {
    const path = tmp('exists.db');
    writeFileSync(path, 'keep me');
    expectOneLineError(
      await runCli(['-o', path, '--tracer', 'synthetic', '--fast', '-d', '5s']),
      /already exists \(choose another name, or add --force/,
    );
    const forced = await runCli([
      '-o',
      path,
      '--tracer',
      'synthetic',
      '--fast',
      '-d',
      '5s',
      '--force',
      '--quiet',
    ]);
    expect(forced.code).toBe(0);
    expect(
      new Database(path, { readonly: true }).prepare('SELECT count(*) AS n FROM second').get(),
    ).toEqual({ n: 5 });
  });

  it('shows the compile error of a broken script and leaves no file', async () => {
    const path = tmp('broken.db');
    const result = await runCli([
      '-o',
      path,
      '-e',
      'tracepoint:raw_syscalls:sys_exit { @h = hist(args->nosuchfield); }',
    ]);
    expectOneLineError(
      result,
      /^heat-record: bpftrace failed: line 1 of the -e program: .*nosuchfield.* \(nothing was recorded/,
    );
    expect(result.stderr).not.toMatch(/\$heat_s|~~~/); // the user's script, not heat-record's rewrite of it
    expect(existsSync(path)).toBe(false);
  });

  it('explains that bpftrace needs root', async () => {
    const path = tmp('nonroot.db');
    const result = await runCli(['-o', path], { asUser: 'nobody' });
    expectOneLineError(result, /bpftrace needs root.*sudo heat-record/);
  });

  it('explains how to install a missing tracer', async () => {
    // --tracer: without it, a built libdtrace addon (which needs no PATH) would be chosen and record.
    const result = await runCli(['-o', tmp('none.db'), '--tracer', 'bpftrace'], {
      env: { PATH: '/nonexistent' },
    });
    expectOneLineError(result, /bpftrace is not installed.*apt-get install -y bpftrace/);
  });
});
