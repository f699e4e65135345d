// The runqueue-latency preset with real bpftrace and real dtrace (Linux DTrace 2.0), as root: busy
// loops, twice as many as CPUs, wait for a CPU over and over. The kernel's own per-task accounting
// (/proc/PID/schedstat: time waiting on a run queue, times run) says how often and how long they
// waited; the recording must have seen every one of those waits, by CPU, and at least that much.

import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { runqueueLatency } from '../../cli/presets/runqueue-latency.js';
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

interface LoopWaits {
  /** µs waited on a run queue, all loops. */
  waitUs: number;
  /** Switch-ins, all loops. */
  switchIns: number;
  /** Switch-ins of each loop, by pid. */
  switchInsByPid: Map<number, number>;
}

/** Runs 2 x CPUs busy loops for WORKLOAD_S; returns their waiting and switch-ins in that time. */
async function busyLoops(): Promise<LoopWaits> {
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
  const slices = end.map(([, n], i) => n - start[i]![1]);
  return {
    waitUs: end.reduce((s, [ns], i) => s + (ns - start[i]![0]) / 1000, 0),
    switchIns: slices.reduce((s, n) => s + n, 0),
    switchInsByPid: new Map(loops.map((p, i) => [p.pid!, slices[i]!])),
  };
}

/** The preset's checks with one tracer (dtrace: skipped, saying why, where `dtrace -V` fails; failing in CI). */
function suite(tracer: 'bpftrace' | 'dtrace'): void {
  let recorder: CliResult;
  let workload: LoopWaits;
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

  it('records no wait longer than the recording itself', () => {
    // A wait read against another task's timestamp shows up as hours (Linux DTrace 2.0 did this
    // when the preset deleted associative array elements: see runqueue-latency.ts).
    const { longest } = db.prepare('SELECT max(lo) AS longest FROM counts').get() as {
      longest: number;
    };
    expect(longest).toBeLessThan((WORKLOAD_S + 4) * 1e6);
  });
}

describe('runqueue-latency preset (real bpftrace, root)', () => suite('bpftrace'));
describeWithDtrace('runqueue-latency preset (real dtrace, root)', () => suite('dtrace'));

/** The preset's Linux D with each busy loop's waits also counted by pid, then printed at the end. */
function byPidScript(): string {
  const d = runqueueLatency.dtraceLinux.replace(
    '@rq_us[cpu] = ',
    '@waits[this->next_pid] = count();\n  @rq_us[cpu] = ',
  );
  expect(d).not.toBe(runqueueLatency.dtraceLinux);
  return `${d}BEGIN { printf("live\\n"); }\nEND { printa("%d %@d\\n", @waits); }\n`;
}

describeWithDtrace('runqueue-latency Linux D (real dtrace, root)', () => {
  it("sees every switch-in of every busy loop, each against that loop's own timestamp", async () => {
    const script = tmp('runqueue-by-pid.d');
    writeFileSync(script, byPidScript());
    const dtrace = spawn('dtrace', ['-q', '-s', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    dtrace.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((r) => dtrace.on('close', r));
    await new Promise<void>((resolve, reject) => {
      dtrace.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('live\n')) resolve();
      });
      void exited.then(() => reject(new Error(`dtrace ended before its BEGIN: ${err}`)));
    });
    const workload = await busyLoops();
    dtrace.kill('SIGINT');
    expect(await exited, err).toBe(0);
    const seen = new Map(
      out
        .split('\n')
        .map((l) => l.trim().split(/\s+/).map(Number))
        .filter((f) => f.length === 2)
        .map(([pid, n]) => [pid!, n!]),
    );
    // The kernel's count is over a window inside the traced one, so the trace mostly sees a few
    // more (+0 to +6 a loop here, busy or not), yet now and then one or a few fewer (-1 here, -4
    // once in CI). Deleting elements instead of marking them (see runqueue-latency.ts) saw 86 %.
    const loops = [...workload.switchInsByPid];
    const kernel = loops.reduce((sum, [, n]) => sum + n, 0);
    const traced = loops.reduce((sum, [pid]) => sum + (seen.get(pid) ?? 0), 0);
    const byLoop = loops.map(([pid, n]) => `${pid}: ${seen.get(pid) ?? 0} of ${n}`).join(', ');
    expect(traced, byLoop).toBeGreaterThanOrEqual(kernel * 0.98);
    for (const [pid, switchIns] of loops)
      expect(seen.get(pid) ?? 0, `busy loop ${pid} (${byLoop})`).toBeGreaterThanOrEqual(
        switchIns * 0.95,
      );
  }, 120_000);
});
