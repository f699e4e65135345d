// heat-record info and export on a recording with known contents.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/package-root.js';
import { runCli } from '../helpers/cli.js';
import { hist, snapshot, START_MS, writeRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const path = tmp('known.db');
// read: 90 events at [1,1] and 10 at [1024,2047] -> p50 [1,1], p99 [1024,2047]; write: 5 underflow events.
writeRecording(path, [
  snapshot(0, [
    hist(
      ['read'],
      [
        [1, 1, 40],
        [1024, 2047, 5],
      ],
    ),
    hist(['write', 'a,b'], [[null, -1, 5]]),
  ]),
  snapshot(1, [
    hist(
      ['read'],
      [
        [1, 1, 50],
        [1024, 2047, 5],
      ],
    ),
  ]),
  snapshot(3, [hist(['read'], [[2147483648, null, 1]])], true),
]);

describe('heat-record info', () => {
  it('reports seconds, keys with totals and percentiles as JSON', async () => {
    const result = await runCli(['info', path, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout);
    // Counts and bounds are JSON numbers while exact.
    expect(info).toMatchObject({
      unit: 'us',
      seconds: 3,
      missedSeconds: 1,
      spanSeconds: 4,
      events: 106,
      start: new Date(START_MS).toISOString(),
    });
    expect(info.keys).toEqual([
      {
        aggregation: '@lat_us',
        key: 'read',
        keyParts: ['read'],
        total: 101,
        p50: { lo: 1, hi: 1 },
        p99: { lo: 1024, hi: 2047 },
      },
      {
        aggregation: '@lat_us',
        key: 'write, a,b',
        keyParts: ['write', 'a,b'],
        total: 5,
        p50: { lo: null, hi: -1 },
        p99: { lo: null, hi: -1 },
      },
    ]);
    expect(info.p50).toEqual({ lo: 1, hi: 1 });
    expect(info.p99).toEqual({ lo: 1024, hi: 2047 });
    expect(info.health).toEqual({ gap: 1 });
    expect(info).toMatchObject({
      endReason: 'duration',
      endedBy: 'ended after the --duration asked for',
    });
  });

  it('gives counts beyond 2^53 as decimal strings, exact', async () => {
    const big = tmp('big.db');
    writeRecording(big, [
      snapshot(0, [
        hist(
          ['read'],
          [
            [1, 1, 2 ** 53],
            [2, 3, 1],
          ],
        ),
      ]),
    ]);
    const info = JSON.parse((await runCli(['info', big, '--json'])).stdout);
    expect(info.events).toBe('9007199254740993');
    expect(info.keys[0].total).toBe('9007199254740993');
  });

  it('prints a readable summary', async () => {
    const result = await runCli(['info', path]);
    expect(result.stdout).toMatch(/seconds\s+3 recorded, 1 missed/);
    expect(result.stdout).toMatch(/events\s+106; p50 <= 1 µs, p99 <= 2047 µs/);
    expect(result.stdout).toMatch(/read\s+101/);
    expect(result.stdout).toMatch(/^end\s+\S+, ended after the --duration asked for$/m);
  });
});

describe('heat-record export', () => {
  it('refuses --from past the last second in one line, instead of a lone header', async () => {
    const result = await runCli(['export', path, '--from', '10']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `heat-record: --from 10 (10 s) is past the end of ${path}, which ends at 3 s (heat-record info shows its seconds)\n`,
    );
  });

  it('treats --html like -o: an existing file is kept unless --force', async () => {
    const html = tmp('page.html');
    expect((await runCli(['export', path, '--html', html])).code).toBe(0);
    const again = await runCli(['export', path, '--html', html]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `heat-record: output ${html} already exists (choose another name, or add --force to replace it)\n`,
    );
    expect((await runCli(['export', path, '--html', html, '--force'])).code).toBe(0);
  });

  it('writes CSV rows t,time,key,lo,hi,count with empty open bounds', async () => {
    const result = await runCli(['export', path, '--format', 'csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      't,time,key,lo,hi,count',
      `0,${new Date(START_MS).toISOString()},read,1,1,40`,
      `0,${new Date(START_MS).toISOString()},read,1024,2047,5`,
      `0,${new Date(START_MS).toISOString()},"write, a,b",,-1,5`,
      `1,${new Date(START_MS + 1000).toISOString()},read,1,1,50`,
      `1,${new Date(START_MS + 1000).toISOString()},read,1024,2047,5`,
      `3,${new Date(START_MS + 3000).toISOString()},read,2147483648,,1`,
    ]);
  });

  it('limits the rows to --from/--to, in seconds or as ISO times', async () => {
    const bySeconds = await runCli(['export', path, '--from', '1', '--to', '2']);
    const byTime = await runCli([
      'export',
      path,
      '--from',
      new Date(START_MS + 1000).toISOString(),
      '--to',
      new Date(START_MS + 2000).toISOString(),
    ]);
    expect(
      bySeconds.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(',')[0]),
    ).toEqual(['t', '1', '1']);
    expect(byTime.stdout).toBe(bySeconds.stdout);
  });

  it('writes JSON with series, exact buckets and sparse seconds', async () => {
    const result = await runCli(['export', path, '--format', 'json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.format).toBe('heat-tracer-export');
    expect(doc.series.map((s: { key: string[] }) => s.key)).toEqual([['read'], ['write', 'a,b']]);
    expect(doc.seconds.map((s: { t: number; events: number }) => [s.t, s.events])).toEqual([
      [0, 50],
      [1, 55],
      [3, 1],
    ]);
    const bucket = (id: number) => doc.buckets.find((b: { id: number }) => b.id === id);
    const [seriesId, bucketId, n] = doc.seconds[2].counts[0];
    expect([seriesId, bucket(bucketId), n]).toEqual([
      1,
      { id: bucketId, lo: 2147483648, hi: null },
      1,
    ]);
  });

  it.each([
    [['export', tmp('missing.db')], /recording .*missing.db does not exist/],
    [['export', path, '--format', 'xml'], /--format "xml" is not supported/],
    [['export', path, '--from', 'yesterday-ish'], /--from "yesterday-ish" is neither seconds/],
    [['info', '/etc/hostname'], /\/etc\/hostname is not a SQLite file/],
  ])('%j fails with one line', async (args, pattern) => {
    const result = await runCli(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// dtrace-utils' tst.lquantrange, a real capture: Hoover's one count is -100 (a D weight) in the
// same >= 10 bucket as Bush's 150. Netted, info said 50 there and gave Hoover a total of -100.
describe('negative counts (D weights) in info and export', () => {
  const capture = join(
    packageRoot(),
    'test/fixtures/dtrace-real/dtrace-utils-aggs-tst.lquantrange.txt',
  );
  const imported = tmp('lquantrange.db');
  beforeAll(async () => {
    const result = await runCli(['import', capture, '-o', imported]);
    if (result.code !== 0) throw new Error(result.stderr);
  });

  it('info counts the heat, positive counts alone, and sums the negative ones apart', async () => {
    const info = JSON.parse((await runCli(['info', imported, '--json'])).stdout);
    expect(info.events).toBe(190); // 25 + 15 + 150
    expect(info.p50).toEqual({ lo: 10, hi: null }); // rank 95 of 190
    expect(info.negative).toEqual({ cells: 1, sum: -100 });
    expect(info.health).toEqual({ warning: 1 });
    expect(
      info.keys.map((k: { key: string; total: number; p50: unknown }) => [k.key, k.total, k.p50]),
    ).toEqual([
      ['Bush', 150, { lo: 10, hi: null }],
      ['Nixon', 25, { lo: null, hi: -11 }],
      ['Harding', 15, { lo: -10, hi: -10 }],
      ['Hoover', 0, null],
    ]);
    expect((await runCli(['info', imported])).stdout).toMatch(
      /^negative {3}1 count summing to -100 \(D weights\): in the file and exports, not in events, totals or percentiles$/m,
    );
  });

  it('export carries every count as read, signed', async () => {
    const csv = (await runCli(['export', imported, '--format', 'csv'])).stdout;
    expect(csv).toMatch(/,Hoover,10,,-100\n/);
    expect(csv).toMatch(/,Bush,10,,150\n/);
  });
});
