// The block-io-latency preset with real bpftrace and real dtrace (Linux DTrace 2.0), as root (CI
// runs as root on the same kind of machine): O_DIRECT writes of a known workload must show up
// under the disk's own name, no fewer than the writes made, no more than the disk itself
// completed, and no slower than the writes that waited for them.

import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../cli/package-root.js';
import { finished, firstSecondRecorded, startCli, type CliResult } from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const WORKLOAD_S = 3;

/** The whole disk under a folder ("vda" for /dev/vda1): block tracepoints name the disk, not the partition. */
function diskOf(folder: string): string {
  const source = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '--target', folder], {
    encoding: 'utf8',
  }).trim();
  const name = basename(source);
  if (!existsSync(`/sys/class/block/${name}`))
    throw new Error(`${folder} is not on a block device (${source}): the test needs a disk`);
  return existsSync(`/sys/class/block/${name}/partition`)
    ? basename(dirname(realpathSync(`/sys/class/block/${name}`)))
    : name;
}

/** Requests the disk has completed so far: reads, writes, discards and flushes (Documentation/block/stat.rst). */
function completedRequests(disk: string): number {
  const f = readFileSync(`/sys/block/${disk}/stat`, 'utf8').trim().split(/\s+/).map(Number);
  return f[0]! + f[4]! + (f[11] ?? 0) + (f[14] ?? 0);
}

function runWorkload(exe: string, file: string): Promise<number[]> {
  const child = spawn(exe, [file, String(WORKLOAD_S)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').map(Number))
        : reject(new Error(`direct-write-loop exited ${code}`)),
    ),
  );
}

/** The preset's checks with one tracer (dtrace: skipped, saying why, where `dtrace -V` fails; failing in CI). */
function suite(tracer: 'bpftrace' | 'dtrace'): void {
  let ioDir: string;
  let disk: string;
  let recorder: CliResult;
  let writesUs: number[];
  let diskCompleted: number;
  let db: Database.Database;

  afterAll(() => rmSync(ioDir, { recursive: true, force: true }));
  beforeAll(async () => {
    // On the checkout's disk: the OS temp folder may be a tmpfs, which has no disk and no O_DIRECT.
    ioDir = mkdtempSync(join(packageRoot(), '.test-io-'));
    disk = diskOf(ioDir);
    const exe = tmp('direct-write-loop');
    execFileSync('cc', [
      '-O2',
      '-o',
      exe,
      join(packageRoot(), 'test/fixtures/workloads/direct-write-loop.c'),
    ]);
    const path = tmp(`block-io-${tracer}.db`);
    const before = completedRequests(disk);
    const done = finished(
      startCli([
        '-o',
        path,
        '--tracer',
        tracer,
        '--preset',
        'block-io-latency',
        '--duration',
        String(WORKLOAD_S + 4),
        '--quiet',
      ]),
    );
    await firstSecondRecorded(path);
    writesUs = await runWorkload(exe, join(ioDir, 'target'));
    recorder = await done;
    diskCompleted = completedRequests(disk) - before; // over a window holding the whole recording
    db = new Database(path, { readonly: true });
  }, 120_000);

  it("records every direct write under the disk's name, and no more requests than the disk completed", () => {
    expect(recorder.code, recorder.stderr).toBe(0);
    const keys = db
      .prepare('SELECT key, (SELECT sum(n) FROM counts c WHERE c.key = s.key) AS n FROM series s')
      .all() as { key: string; n: number }[];
    const onDisk = keys.find((k) => k.key === disk);
    expect(onDisk, `a key named ${disk} among ${JSON.stringify(keys)}`).toBeDefined();
    expect(writesUs.length).toBeGreaterThan(100);
    // Each 64 KiB O_DIRECT write is at least one request. A few may go unseen when bpftrace tests
    // run side by side: the kernel skips a BPF program that fires (here from the disk's interrupt)
    // while another runs on that CPU. Alone, every write is seen (28,519 writes -> 28,583 requests).
    expect(onDisk!.n).toBeGreaterThanOrEqual(Math.floor(writesUs.length * 0.97));
    expect(onDisk!.n).toBeLessThanOrEqual(diskCompleted);
  });

  it('puts the typical request no slower than the typical write that waited for it', () => {
    const sortedWrites = [...writesUs].sort((a, b) => a - b);
    const medianWrite = sortedWrites[Math.floor(sortedWrites.length / 2)]!;
    const rows = db
      .prepare('SELECT lo, hi, sum(n) AS n FROM counts WHERE key = ? GROUP BY lo, hi ORDER BY lo')
      .all(disk) as { lo: number; hi: number; n: number }[];
    const total = rows.reduce((s, r) => s + r.n, 0);
    let seen = 0;
    const medianBucket = rows.find((r) => (seen += r.n) >= total / 2)!;
    expect(
      medianBucket.lo,
      `median request bucket [${medianBucket.lo}, ${medianBucket.hi}] µs vs median write ${medianWrite} µs`,
    ).toBeLessThanOrEqual(medianWrite);
  });
}

describe('block-io-latency preset (real bpftrace, root)', () => suite('bpftrace'));
describeWithDtrace('block-io-latency preset (real dtrace, root)', () => suite('dtrace'));
