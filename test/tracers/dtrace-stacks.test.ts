// Real dtrace(1) (Oracle Linux DTrace 2.0), as root: heat-record --tracer dtrace --stacks on the
// two-path workload (test/fixtures/workloads/two-path.c: slow_path() sleeps 5 ms, fast_path()
// ~10 µs; at SCHED_FIFO), recorded twice: --stacks-above 1ms (user stacks), and --stacks both with
// no threshold, through the two raw_syscalls tracepoints the syscall preset uses (attached and gone
// in about a second). A box on the map (seconds x latency buckets) must hold the stacks of the path
// that made its events, and the stack counts must be the histogram's, exactly. Skipped (saying why)
// where `dtrace -V` fails, failing in CI.

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { beforeAll, afterAll, expect, it } from 'vitest';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  runCli,
  startCli,
  waitFor,
} from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { boxShare, cells, sortedCells } from '../helpers/stack-boxes.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { dtraceSleepScript } from '../helpers/sleep-scripts.js';

const tmp = useTempDir();
const WORKLOAD_S = 4;
/** The workload's own name (15 characters: all of it is the comm): others run two-path beside. */
const NAME = 'two-path-dtrace';
/** x86_64 clock_nanosleep: the workload's sleeps, not its start-up or its last read of stdin. */
const SCRIPT = dtraceSleepScript(NAME);

interface Run {
  db: Database.Database;
  path: string;
  /** The workload's own count of its calls. */
  calls: { slow: number; fast: number };
  recorderCode: number | null;
  workloadCode: number | null;
}

/**
 * Records one run of the workload with these flags. dtrace names a process's user frames only while
 * it lives, so the workload stays (stdin open) until two more seconds are committed, past the
 * drain of its last second.
 */
async function recordTwoPath(exe: string, path: string, flags: string[]): Promise<Run> {
  const recorder = startCli(['-o', path, '--tracer', 'dtrace', '--quiet', ...flags, '-e', SCRIPT]);
  const done = finished(recorder);
  await firstSecondRecorded(path);
  const workload = spawn('chrt', ['-f', '50', exe, String(WORKLOAD_S)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(workload.stdout.setEncoding('utf8'), 'data')) as [string];
  const [slow, fast] = line.trim().split(' ').map(Number);
  const now = committedSeconds(path);
  await waitFor(() => committedSeconds(path) >= now + 2, 60_000, `two more seconds of ${path}`);
  recorder.kill('SIGINT');
  const { code } = await done;
  workload.stdin.end();
  const [workloadCode] = (await once(workload, 'close')) as [number | null];
  return {
    db: new Database(path, { readonly: true }),
    path,
    calls: { slow: slow!, fast: fast! },
    recorderCode: code,
    workloadCode,
  };
}

describeWithDtrace('dtrace --stacks (real Linux DTrace, root)', () => {
  let above: Run;
  let all: Run;

  // One after the other: dtrace grabs the process whose frames it names, and a second dtrace on
  // it at the same time named none of them (bare addresses, in three runs).
  beforeAll(async () => {
    const exe = compileWorkload('two-path', tmp(NAME), ['-O1', '-fno-omit-frame-pointer']);
    above = await recordTwoPath(exe, tmp('above.db'), ['--stacks', '--stacks-above', '1ms']);
    all = await recordTwoPath(exe, tmp('all.db'), ['--stacks', 'both']);
  }, 120_000);

  afterAll(() => {
    above?.db.close();
    all?.db.close();
  });

  it('records the stacks, says so in the metadata, and leaves the workload unharmed', () => {
    expect([above.recorderCode, all.recorderCode]).toEqual([0, 0]);
    // dtrace grabs a process to name its frames: the workload must still end on its own.
    expect([above.workloadCode, all.workloadCode]).toEqual([0, 0]);
    const meta = (db: Database.Database) =>
      Object.fromEntries(
        (
          db
            .prepare("SELECT key, value FROM meta WHERE key LIKE 'stacks%' OR key = 'tracer'")
            .all() as {
            key: string;
            value: string;
          }[]
        ).map((r) => [r.key, r.value]),
      );
    expect(meta(above.db)).toEqual({ tracer: 'dtrace', stacks: 'user', stacks_above: '1000' });
    expect(meta(all.db)).toEqual({ tracer: 'dtrace', stacks: 'user+kernel', stacks_above: '0' });
    expect(above.calls.slow).toBeGreaterThan(100);
  });

  it('a box over the slow band holds >= 90 % of its stack mass under slow_path', () => {
    const box = boxShare(above.db, 4096, 8191, 'slow_path');
    console.log(
      `dtrace slow box: ${box.under} of ${box.total} under slow_path (${above.calls.slow} slow calls)`,
    );
    expect(box.share, box.rows).toBeGreaterThanOrEqual(0.9);
    expect(box.total).toBeGreaterThan(above.calls.slow / 2); // most slow calls are in it
  });

  it('a box over the fast band, recorded without a threshold, holds >= 90 % under fast_path', () => {
    const box = boxShare(all.db, 0, 1023, 'fast_path');
    console.log(
      `dtrace fast box: ${box.under} of ${box.total} under fast_path (${all.calls.fast} fast calls)`,
    );
    expect(box.share, box.rows).toBeGreaterThanOrEqual(0.9);
    expect(box.total).toBeGreaterThan(all.calls.fast / 2);
  });

  it('stack counts equal the histogram counts in every cell at or above the threshold, none below, and info reports the events without one', async () => {
    const hist = cells(above.db, 'counts');
    const stacks = cells(above.db, 'stack_counts');
    let checked = 0;
    let events = 0;
    let carried = 0;
    for (const [cell, h] of hist) {
      const s = stacks.get(cell)?.n ?? 0;
      if (h.lo >= 1000) expect(s, cell).toBe(h.n);
      else if (h.hi < 1000) expect(s, cell).toBe(0);
      else expect(s, cell).toBeLessThanOrEqual(h.n); // [512, 1023]: only 1000 and up carry one
      if (h.lo >= 1000) checked++;
      events += h.n;
      carried += s;
    }
    expect(checked).toBeGreaterThan(WORKLOAD_S);
    for (const cell of stacks.keys()) expect(hist.has(cell), cell).toBe(true);
    const info = await runCli(['info', above.path, '--json']);
    expect(info.code, info.stderr).toBe(0);
    const summary = JSON.parse(info.stdout) as { events: number; stacks: { events: number } };
    expect(summary.events).toBe(events);
    expect(summary.stacks.events).toBe(carried);
    console.log(
      `dtrace --stacks-above 1ms: ${carried} of ${events} events carry a stack, ${events - carried} below (${above.calls.slow} slow calls)`,
    );
  });

  it("--stacks both: user frames then the kernel frames from the syscall entry, without the probe's own BPF frames", () => {
    const rows = all.db.prepare('SELECT frames FROM stack').all() as { frames: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const { frames } of rows) {
      const f = JSON.parse(frames) as string[];
      const k = f.findIndex((name) => name.endsWith('_[k]'));
      expect(f.slice(0, k), frames).toContain('main');
      expect(f.slice(k), frames).toContain('do_syscall_64_[k]');
      expect(
        f.slice(k).every((name) => name.endsWith('_[k]')),
        frames,
      ).toBe(true);
      expect(
        f.some((name) => /^(bpf_trace_run|__bpf_trace_|0x[0-9a-f]+_\[k\])/.test(name)),
        frames,
      ).toBe(false);
    }
  });

  it('without a threshold every event carries a stack: the counts are equal cell by cell', () => {
    const hist = cells(all.db, 'counts');
    expect(hist.size).toBeGreaterThan(WORKLOAD_S);
    expect(sortedCells(cells(all.db, 'stack_counts'))).toEqual(sortedCells(hist));
  });
});

describeWithDtrace('dtrace --stacks on a kernel-stack preset (real Linux DTrace, root)', () => {
  let db: Database.Database;
  let code: number | null;

  // Run-queue waits of the whole machine, each at or above 100 µs with the kernel stack of the
  // task leaving the CPU: no process is grabbed for kernel frames.
  beforeAll(async () => {
    const path = tmp('runqueue.db');
    const result = await runCli([
      '-o',
      path,
      '--tracer',
      'dtrace',
      '--preset',
      'runqueue-latency',
      '--stacks',
      '--stacks-above',
      '100us',
      '--duration',
      '3s',
      '--quiet',
    ]);
    code = result.code;
    db = new Database(path, { readonly: true });
  }, 120_000);

  afterAll(() => db?.close());

  it("takes the preset's kernel stacks, named per CPU, whose counts are the histogram's cell by cell", () => {
    expect(code).toBe(0);
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'stacks'").get();
    expect(meta).toEqual({ value: 'kernel' });
    const hist = cells(db, 'counts');
    const stacks = cells(db, 'stack_counts');
    let checked = 0;
    for (const [cell, h] of hist) {
      const n = stacks.get(cell)?.n ?? 0;
      if (h.lo >= 128)
        expect(n, cell).toBe(h.n); // [64, 127] holds 100 µs
      else if (h.hi < 100) expect(n, cell).toBe(0);
      if (h.lo >= 128) checked++;
    }
    expect(checked).toBeGreaterThan(0);
    const keys = db.prepare('SELECT DISTINCT key FROM stack_counts').all() as { key: string }[];
    for (const { key } of keys) expect(key).toMatch(/^cpu\d+$/);
    const frames = db.prepare('SELECT frames FROM stack').all() as { frames: string }[];
    for (const { frames: f } of frames) {
      const names = JSON.parse(f) as string[];
      expect(
        names.every((n) => n.endsWith('_[k]')),
        f,
      ).toBe(true);
      expect(names.at(-1), f).toBe('__schedule_[k]'); // the switch, under the BPF frames dropped
    }
  });
});
