// Real bpftrace, as root (CI runs as root on the same kind of machine): records the default
// preset while a known workload sleeps 3 ms per call, and compares the recording with the
// workload's own measurements.

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { finished, firstSecondRecorded, startCli } from '../helpers/cli.js';
import { compileWorkload, runSleepLoop, type SleepWorkload } from '../helpers/sleep-workload.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const SLEEP_US = 3000;
const WORKLOAD_S = 5;
/** The workload's own syscall: clock_nanosleep is made by others too (esbuild, sleep), which inflated a second by 14 %. */
const KEY = 'rt_sigtimedwait';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('bpftrace tracer (real, root)', () => {
  let db: Database.Database;
  let workload: SleepWorkload;
  let recorder: Awaited<ReturnType<typeof finished>>;

  beforeAll(async () => {
    const exe = compileWorkload('sleep-loop', tmp('sleep-loop'));
    const path = tmp('sleep.db');
    const child = startCli(['-o', path, '--duration', String(WORKLOAD_S + 5), '--quiet']);
    const done = finished(child);
    await firstSecondRecorded(path); // bpftrace is attached: start the workload
    workload = await runSleepLoop(exe, SLEEP_US, WORKLOAD_S, { syscall: KEY });
    recorder = await done;
    db = new Database(path, { readonly: true });
  }, 120_000);

  it('exits 0 and records complete metadata', () => {
    expect(recorder.code).toBe(0);
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
    expect(meta).toMatchObject({
      tracer: 'bpftrace',
      preset: 'syscall-latency',
      unit: 'us',
      status: 'complete',
      end_reason: 'duration',
    });
    expect(meta.tracer_version).toMatch(/^v0\.\d+/);
    expect(meta.script).toContain('tracepoint:raw_syscalls:sys_exit');
  });

  it('puts the sleeps in the bucket that holds their measured latency', () => {
    const measured = median(workload.latenciesUs);
    const rows = db
      .prepare('SELECT lo, hi, sum(n) AS n FROM counts WHERE key = ? GROUP BY lo, hi')
      .all(KEY) as { lo: number; hi: number; n: number }[];
    const total = rows.reduce((s, r) => s + r.n, 0);
    const home = rows.find((r) => r.lo <= measured && measured <= r.hi);
    expect(home, `a bucket holding ${measured} µs`).toBeDefined();
    expect(home!.lo).toBe(2048);
    // As many sleeps land there as the workload itself measured in that range (a loaded machine
    // oversleeps now and then; the workload's own clock sees the same outliers).
    const ownShare =
      workload.latenciesUs.filter((us) => us >= home!.lo && us <= home!.hi).length /
      workload.latenciesUs.length;
    expect(home!.n / total).toBeGreaterThan(Math.min(0.9, ownShare - 0.05));
    expect(total).toBeGreaterThanOrEqual(workload.latenciesUs.length * 0.97);
  });

  it("counts per second match the workload's own count of that second", () => {
    // A full second's tick_ns is the end of kernel second S: tick_ns = (S + 1) * 1e9.
    const rows = db
      .prepare(
        'SELECT s.tick_ns AS tickNs, sum(c.n) AS n FROM counts c JOIN second s USING (t) WHERE c.key = ? AND s.partial = 0 GROUP BY c.t',
      )
      .all(KEY) as { tickNs: number; n: number }[];
    // The workload's first and last kernel seconds are cut short by its start and end: compare the ones between.
    const workloadSeconds = [...workload.perKernelSecond.keys()].sort((a, b) => a - b).slice(1, -1);
    const compared = rows
      .map((r) => ({ second: r.tickNs / 1e9 - 1, recorded: r.n }))
      .filter((r) => workloadSeconds.includes(r.second))
      .map((r) => ({ ...r, workload: workload.perKernelSecond.get(r.second)! }));
    expect(compared.length).toBeGreaterThanOrEqual(WORKLOAD_S - 2);
    // Within a few percent, as the issue asks: a call returning within microseconds of a boundary
    // can fall either side of it, and on a loaded machine the kernel skips a BPF program that fires
    // while another runs on that CPU. (Quiet runs match within 1 %.)
    // Every compared second in the message: a failure says whether a neighbour lost what this one
    // gained (a second booked wrong) or another process made the same syscall (counts added).
    for (const r of compared)
      expect(Math.abs(r.recorded - r.workload), JSON.stringify(compared)).toBeLessThanOrEqual(
        Math.max(2, r.workload * 0.05),
      );
  });

  it("closes every full second after exactly one second of the tracer's clock", () => {
    const lengths = (
      db
        .prepare(
          'SELECT tick_ns - lag(tick_ns) OVER (ORDER BY t) AS ns FROM second WHERE partial = 0',
        )
        .all() as { ns: number | null }[]
    )
      .map((r) => r.ns)
      .filter((ns) => ns !== null);
    expect(lengths.length).toBeGreaterThan(3);
    for (const ns of lengths) expect(ns).toBe(1_000_000_000);
  });

  it('numbers seconds without gaps and records exactly the whole seconds --duration asked for', () => {
    const seconds = db.prepare('SELECT t, partial FROM second ORDER BY t').all() as {
      t: number;
      partial: number;
    }[];
    expect(seconds.map((s) => s.t)).toEqual(seconds.map((_, i) => i));
    // Second 0 starts after the probes are live, and what the tracer printed past the duration is not kept.
    expect(seconds.map((s) => s.partial)).toEqual(seconds.map(() => 0));
    expect(seconds.length).toBe(WORKLOAD_S + 5);
    expect(db.prepare('SELECT count(*) AS n FROM gaps').get()).toEqual({ n: 0 });
  });
});
