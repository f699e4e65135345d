// The runqueue-latency preset with real bpftrace and real dtrace (Linux DTrace 2.0), as root: busy
// loops, twice as many as CPUs, wait for a CPU over and over. The kernel's own per-task accounting
// (/proc/PID/schedstat: time waiting on a run queue, times run) says how often and how long they
// waited; the recording must have seen every one of those waits, by CPU, and at least that much.

import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { finished, firstSecondRecorded, startCli, type CliResult } from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const WORKLOAD_S = 3;
const CPUS = availableParallelism();

/** [ns waited on a run queue, times switched in] of one task (Documentation/scheduler/sched-stats.rst). */
function schedstat(pid: number): [number, number] {
  const [, waitNs, slices] = readFileSync(`/proc/${pid}/schedstat`, 'utf8')
    .trim()
    .split(' ')
    .map(Number);
  return [waitNs!, slices!];
}

/** Runs 2 x CPUs busy loops for WORKLOAD_S; returns their total wait (µs) and switch-ins in that time. */
async function busyLoops(): Promise<{ waitUs: number; switchIns: number }> {
  const loops: ChildProcess[] = Array.from({ length: 2 * CPUS }, () =>
    spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }),
  );
  const start = loops.map((p) => schedstat(p.pid!));
  await new Promise((r) => setTimeout(r, WORKLOAD_S * 1000));
  const end = loops.map((p) => schedstat(p.pid!));
  for (const p of loops) p.kill('SIGKILL');
  await Promise.all(
    loops.map(
      (p) =>
        new Promise((r) =>
          p.exitCode !== null || p.signalCode !== null ? r(null) : p.on('exit', r),
        ),
    ),
  );
  return {
    waitUs: end.reduce((s, [ns], i) => s + (ns - start[i]![0]) / 1000, 0),
    switchIns: end.reduce((s, [, n], i) => s + (n - start[i]![1]), 0),
  };
}

/** The preset's checks with one tracer (dtrace: skipped, saying why, where `dtrace -V` fails; failing in CI). */
function suite(tracer: 'bpftrace' | 'dtrace'): void {
  let recorder: CliResult;
  let workload: { waitUs: number; switchIns: number };
  let db: Database.Database;

  beforeAll(async () => {
    const path = tmp(`runqueue-${tracer}.db`);
    const done = finished(
      startCli([
        '-o',
        path,
        '--tracer',
        tracer,
        '--preset',
        'runqueue-latency',
        '--duration',
        String(WORKLOAD_S + 4),
        '--quiet',
      ]),
    );
    await firstSecondRecorded(path);
    workload = await busyLoops();
    recorder = await done;
    db = new Database(path, { readonly: true });
  }, 120_000);

  it('keys the waits by CPU, one key for each CPU and no other', () => {
    expect(recorder.code, recorder.stderr).toBe(0);
    const keys = (db.prepare('SELECT key FROM series ORDER BY key').all() as { key: string }[]).map(
      (r) => r.key,
    );
    expect(keys.sort()).toEqual(Array.from({ length: CPUS }, (_, i) => `cpu${i}`).sort());
  });

  it('sees every wait the kernel counted for the busy loops, and at least as much waiting', () => {
    const { n, upperUs } = db
      .prepare('SELECT sum(n) AS n, sum(n * (hi + 1)) AS upperUs FROM counts')
      .get() as { n: number; upperUs: number };
    expect(workload.switchIns).toBeGreaterThan(10 * CPUS);
    // Each switch-in of a busy loop ends a wait (it was preempted, so still runnable). Other tasks
    // add their own waits; a few may go unseen when bpftrace tests run side by side (the kernel
    // skips a BPF program that fires while another runs on that CPU).
    expect(n).toBeGreaterThanOrEqual(Math.floor(workload.switchIns * 0.97));
    // A bucket's upper end bounds each wait in it (µs, rounded down when booked), so their sum
    // bounds all waiting recorded: it must cover the busy loops' own waiting.
    expect(upperUs, `busy loops waited ${Math.round(workload.waitUs)} µs`).toBeGreaterThanOrEqual(
      workload.waitUs,
    );
  });
}

describe('runqueue-latency preset (real bpftrace, root)', () => suite('bpftrace'));
describeWithDtrace('runqueue-latency preset (real dtrace, root)', () => suite('dtrace'));
