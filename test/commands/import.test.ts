// heat-record import: saved tracer output (real captures) -> a recording with the same counts.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/package-root.js';
import { runCli } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const fixture = (p: string) => join(packageRoot(), 'test/fixtures', p);

describe('heat-record import', () => {
  it('imports per-second bpftrace JSON (time lines, exit dump) as one second per print', async () => {
    const out = tmp('bt-json.db');
    const result = await runCli([
      'import',
      fixture('bpftrace-0.17/06-interval-print.json'),
      '-o',
      out,
      '--syscall-names',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/imported 4 interval\(s\) of bpftrace-json .*\(unit us\)/);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM second').get()).toEqual({ n: 4 });
    // syscall 232 = epoll_wait: the first print has 10 events in [65536, 131071] µs.
    expect(
      db.prepare("SELECT n FROM counts WHERE t = 0 AND key = 'epoll_wait' AND lo = 65536").get(),
    ).toEqual({ n: 10 });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'tracer'").get()).toEqual({
      value: 'import:bpftrace-json',
    });
  });

  it('gives the same counts for the text and JSON captures of one run', async () => {
    const fromJson = tmp('edges-json.db');
    const fromText = tmp('edges-text.db');
    await runCli([
      'import',
      fixture('bpftrace-0.17/09-hist-edges.json'),
      '-o',
      fromJson,
      '--unit',
      'count',
    ]);
    const text = await runCli([
      'import',
      fixture('bpftrace-0.17/09-hist-edges.txt'),
      '-o',
      fromText,
      '--unit',
      'count',
    ]);
    expect(text.code, text.stderr).toBe(0);
    const rows = (p: string) =>
      new Database(p, { readonly: true })
        .prepare('SELECT aggregation, key, lo, hi, n FROM counts ORDER BY aggregation, key, lo')
        .all();
    expect(rows(fromText)).toEqual(rows(fromJson));
    expect(rows(fromJson).length).toBeGreaterThan(3);
  });

  it('imports DTrace printa text, one table set per second', async () => {
    const out = tmp('dtrace.db');
    const result = await runCli([
      'import',
      fixture('dtrace-layout/quantize-by-string.printa-per-second.txt'),
      '-o',
      out,
      '--unit',
      'ns',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const db = new Database(out, { readonly: true });
    const seconds = (db.prepare('SELECT count(*) AS n FROM second').get() as { n: number }).n;
    expect(seconds).toBeGreaterThan(1);
    expect(db.prepare("SELECT count(*) AS n FROM series WHERE scheme = 'log2'").get()).not.toEqual({
      n: 0,
    });
  });

  it('says so when the input is no tracer output', async () => {
    const result = await runCli([
      'import',
      join(packageRoot(), 'package.json'),
      '-o',
      tmp('nope.db'),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(
      /package.json is not bpftrace \(JSON or text\) or DTrace printa output \(name the format with --format/,
    );
  });
});

describe('heat-record import on input it cannot take whole', () => {
  const leftovers = (out: string) =>
    readdirSync(dirname(out)).filter((f) => f.includes(out.split('/').pop()!));

  // Its positive counts, the second's events, add up past 64 bits (the negative ones are no events).
  it('refuses tst.negquant (a second adding up past 64 bits) in one line and leaves nothing behind', async () => {
    const out = tmp('negquant.db');
    const result = await runCli([
      'import',
      fixture('dtrace-real/dtrace-utils-aggs-tst.negquant.txt'),
      '-o',
      out,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^heat-record: .*dtrace-utils-aggs-tst.negquant.txt: second 0's total count is 43811017175060585691, beyond the signed 64-bit range/,
      ),
    ]);
    expect(leftovers(out)).toEqual([]); // no recording marked `recording`, no -wal/-shm, no hidden temp
  });

  it('keeps the existing output untouched when a forced import fails', async () => {
    const out = tmp('kept.db');
    expect((await runCli(['import', fixture('bpftrace-0.17/02-hist.json'), '-o', out])).code).toBe(
      0,
    );
    const before = readFileSync(out);
    const result = await runCli([
      'import',
      fixture('dtrace-real/dtrace-utils-aggs-tst.neglquant.txt'),
      '-o',
      out,
      '--force',
    ]);
    expect(result.code).toBe(1);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(leftovers(out)).toEqual(['kept.db']);
  });

  it('counts and names a bpftrace JSON line that is not JSON instead of dropping it silently', async () => {
    const trace = tmp('broken.json');
    const lines = readFileSync(fixture('bpftrace-0.17/06-interval-print.json'), 'utf8').split('\n');
    lines.splice(
      3,
      0,
      '{"type": "hist", "data": {"@lat_us": {"1": [{"min": 1, "max": 1, "count": 1}]}',
    ); // one brace short
    writeFileSync(trace, lines.join('\n'));
    const out = tmp('broken.db');
    const result = await runCli(['import', trace, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${trace} line 4 skipped: not a bpftrace JSON object`);
    const db = new Database(out, { readonly: true });
    expect(
      db.prepare("SELECT t, kind, count FROM health WHERE message LIKE '%skipped%'").all(),
    ).toEqual([{ t: 0, kind: 'warning', count: 1 }]);
  });

  it('keeps all 40 rows of a DTrace table when one count is garbled, and says which line it skipped', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) =>
        `${String(i * 10).padStart(16)} |${'@'.repeat(1).padEnd(40)} ${i === 8 ? '1O' : '1'}`,
    );
    const trace = tmp('forty.txt');
    writeFileSync(
      trace,
      [
        '',
        '  read',
        '           value  ------------- Distribution ------------- count    ',
        ...rows,
        '',
        '',
      ].join('\n'),
    );
    const out = tmp('forty.db');
    const result = await runCli(['import', trace, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`${trace} line 12 skipped: not a distribution row`);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n, sum(n) AS events FROM counts').get()).toEqual({
      n: 39,
      events: 39,
    });
    expect(db.prepare('SELECT count FROM health').pluck().all()).toEqual([1]);
  });

  it('makes three seconds of three prints that share no key, with no time line between them', async () => {
    const print = (key: number) =>
      `{"type": "hist", "data": {"@lat_us": {"${key}": [{"min": 1, "max": 1, "count": ${key}}]}}}`;
    const trace = tmp('three.json');
    writeFileSync(trace, `${[print(1), print(2), print(3)].join('\n')}\n`);
    const out = tmp('three.db');
    expect((await runCli(['import', trace, '-o', out])).code).toBe(0);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT t, events FROM second ORDER BY t').all()).toEqual([
      { t: 0, events: 1 },
      { t: 1, events: 2 },
      { t: 2, events: 3 },
    ]);
  });

  it('real bpftrace 0.17, three prints sharing no key: three seconds from JSON; text cannot show where a print ends', async () => {
    const seconds = async (file: string) => {
      const out = tmp(`${file}.db`);
      expect((await runCli(['import', fixture(`bpftrace-0.17/${file}`), '-o', out])).code).toBe(0);
      return new Database(out, { readonly: true })
        .prepare('SELECT t, events FROM second ORDER BY t')
        .all();
    };
    expect(await seconds('15-prints-without-time.json')).toEqual([
      { t: 0, events: 1 },
      { t: 1, events: 1 },
      { t: 2, events: 2 },
    ]);
    expect(await seconds('15-prints-without-time.txt')).toEqual([{ t: 0, events: 4 }]); // reads as one print of four keys
  });

  it('on a full disk: one line naming the output, and nothing left on the disk', async () => {
    const mount = tmp('tiny-fs');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mount]);
    try {
      const result = await runCli([
        'import',
        fixture('dtrace-linux/out-quantize.txt'),
        '-o',
        join(mount, 'q.db'),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `heat-record: cannot write ${join(mount, 'q.db')}: the disk is full (no recording was written)\n`,
      );
      expect(readdirSync(mount)).toEqual([]);
    } finally {
      execFileSync('umount', ['--lazy', mount]);
    }
  });

  it('removes what a killed import into the same output left behind', async () => {
    const out = tmp('killed.db');
    const abandoned = join(dirname(out), '.killed.db.import-999999999');
    copyFileSync(fixture('bpftrace-0.17/02-hist.json'), abandoned); // any bytes: the name is what counts
    writeFileSync(`${abandoned}-wal`, '');
    expect((await runCli(['import', fixture('bpftrace-0.17/02-hist.json'), '-o', out])).code).toBe(
      0,
    );
    expect(leftovers(out)).toEqual(['killed.db']);
  });
});
