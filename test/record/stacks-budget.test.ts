// Real bpftrace, as root: heat-record --stacks bounds what a second of stacks costs. The
// many-stacks workload (test/fixtures/workloads/many-stacks.c) makes getppid() under 2048
// different stacks, over and over: no second may take more than STACK_KEYS_PER_SECOND new stack
// keys, the events past them are counted in health, and every event is either in a stack or in
// that count. Its frames are named by the recorder (process-frames.ts), not by bpftrace.

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_KEYS_PER_SECOND } from '../../cli/parse/bpftrace-stacks.js';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  startCli,
  waitFor,
  type CliResult,
} from '../helpers/cli.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const WORKLOAD_S = 3;
const SCRIPT = `tracepoint:syscalls:sys_enter_getppid /comm == "many-stacks"/ { @ts[tid] = nsecs; }
tracepoint:syscalls:sys_exit_getppid /@ts[tid]/ { @lat_us[comm] = hist((nsecs - @ts[tid]) / 1000); delete(@ts[tid]); }`;

describe('the stack budget (real bpftrace, root)', () => {
  let db: Database.Database;
  let result: CliResult;

  beforeAll(async () => {
    const exe = compileWorkload('many-stacks', tmp('many-stacks'), [
      '-O1',
      '-fno-omit-frame-pointer',
    ]);
    const path = tmp('budget.db');
    const recorder = startCli(['-o', path, '--quiet', '--stacks', '-e', SCRIPT]);
    const done = finished(recorder);
    await firstSecondRecorded(path);
    const workload = spawn(exe, [String(WORKLOAD_S)], { stdio: ['pipe', 'pipe', 'inherit'] });
    await once(workload.stdout, 'data'); // its loop is done; it lives until stdin closes
    const now = committedSeconds(path);
    await waitFor(() => committedSeconds(path) >= now + 2, 60_000, 'two more seconds');
    recorder.kill('SIGINT');
    result = await done;
    workload.stdin.end();
    await once(workload, 'close');
    db = new Database(path, { readonly: true });
  }, 120_000);

  afterAll(() => db?.close());

  const total = (sql: string) => Number((db.prepare(sql).get() as { n: number | null }).n ?? 0);

  it('ends complete', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(
      total("SELECT count(*) AS n FROM meta WHERE key = 'status' AND value = 'complete'"),
    ).toBe(1);
  });

  it('takes no more new stack keys in a second than the budget, and says how many events it left', () => {
    const perSecond = db.prepare('SELECT t, count(*) AS n FROM stack_hist GROUP BY t').all() as {
      t: number;
      n: number;
    }[];
    expect(Math.max(...perSecond.map((s) => s.n))).toBeLessThanOrEqual(STACK_KEYS_PER_SECOND);
    expect(Math.max(...perSecond.map((s) => s.n))).toBeGreaterThan(STACK_KEYS_PER_SECOND / 2);
    expect(
      total("SELECT sum(count) AS n FROM health WHERE message LIKE 'stacks not taken%'"),
    ).toBeGreaterThan(0);
  });

  it('every event is in a stack or in the count of those past the budget', () => {
    const events = total('SELECT sum(n) AS n FROM counts');
    const stacked = total('SELECT sum(n) AS n FROM stack_counts');
    const over = total("SELECT sum(count) AS n FROM health WHERE message LIKE 'stacks not taken%'");
    expect(events).toBeGreaterThan(10_000);
    expect(stacked + over).toBe(events);
  });

  it("names the workload's frames itself", () => {
    const frames = (db.prepare('SELECT frames FROM stack').all() as { frames: string }[]).map(
      (r) => JSON.parse(r.frames) as string[],
    );
    const named = frames.filter(
      (f) => f.includes('main') && f.includes('walk') && f.includes('left'),
    );
    expect(named.length).toBeGreaterThan(frames.length / 2);
  });
});
