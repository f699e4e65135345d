// The syscall-latency preset with real bpftrace and real dtrace (Linux DTrace 2.0), as root: a
// thread's last syscall (exit_group) never returns, so the start the preset keeps for it must go
// when the thread exits. Otherwise every exited thread holds an entry, the table fills (bpftrace's
// map, DTrace's dynamic-variable space), and no new thread's syscalls are recorded. The table is
// made small here (about 1.5 times the threads now alive), then several times that many processes
// run and exit, and a fresh process's getppid calls must all be in the recording.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';
import { syscallName } from '../../cli/presets/syscall-names.js';
import { finished, firstSecondRecorded, startCli, type CliResult } from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const GETPPID_CALLS = 5000;

/** Threads alive on the machine now: each may sit in a syscall, holding one start. */
function threadsAlive(): number {
  let threads = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      threads += readdirSync(`/proc/${pid}/task`).length;
    } catch {
      // gone meanwhile
    }
  }
  return threads;
}

/** Runs `count` short processes one after another; each exits inside exit_group. */
function churn(count: number): void {
  execFileSync('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do /bin/true; i=$((i+1)); done`]);
}

/** A fresh process making exactly GETPPID_CALLS getppid calls. */
function freshGetppids(): void {
  execFileSync('python3', ['-c', `import os\nfor _ in range(${GETPPID_CALLS}): os.getppid()`]);
}

interface Run {
  recorder: CliResult;
  getppid: number;
  /** The recording's health messages (drops, errors). */
  health: string[];
}

/** Records while `table` entries' worth of processes exit four times over, then the fresh process. */
async function recordAcrossExits(
  tracer: 'bpftrace' | 'dtrace',
  table: number,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  const path = tmp(`syscalls-exits-${tracer}.db`);
  const child = startCli(['-o', path, '--tracer', tracer, '--quiet', ...args], { env });
  const done = finished(child);
  await firstSecondRecorded(path);
  churn(4 * table);
  freshGetppids();
  child.kill('SIGINT');
  const recorder = await done;
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      'SELECT s.key AS key, sum(c.n) AS n FROM counts c JOIN series s ON s.key = c.key GROUP BY s.key',
    )
    .all() as { key: string; n: number }[];
  const health = (db.prepare('SELECT message FROM health').all() as { message: string }[]).map(
    (r) => r.message,
  );
  db.close();
  // The preset names keys; the same script given with -e keeps the raw numbers.
  const getppid = rows
    .filter((r) => r.key === 'getppid' || syscallName(r.key) === 'getppid')
    .reduce((sum, r) => sum + r.n, 0);
  return { recorder, getppid, health };
}

describe('syscall-latency preset (real bpftrace, root), across many exited threads', () => {
  let run: Run;
  beforeAll(async () => {
    const table = Math.ceil(threadsAlive() * 1.5) + 100;
    run = await recordAcrossExits('bpftrace', table, ['--preset', 'syscall-latency'], {
      BPFTRACE_MAP_KEYS_MAX: String(table),
    });
  }, 180_000);

  it("still records a new process's every syscall", () => {
    expect(run.recorder.code, run.recorder.stderr).toBe(0);
    expect(run.getppid).toBeGreaterThanOrEqual(GETPPID_CALLS);
  });
});

describeWithDtrace('syscall-latency preset (real dtrace, root), across many exited threads', () => {
  let run: Run;
  beforeAll(async () => {
    // Each thread holds two 8-byte thread-locals (start, syscall number) while in a syscall.
    const table = 2 * (Math.ceil(threadsAlive() * 1.5) + 100);
    const script = `#pragma D option dynvarsize=${table * 8}\n${syscallLatency.dtraceLinux}`;
    run = await recordAcrossExits('dtrace', table / 2, ['-e', script]);
  }, 180_000);

  it("still records a new process's every syscall, with no dynamic variable dropped", () => {
    expect(run.recorder.code, run.recorder.stderr).toBe(0);
    expect(run.getppid).toBeGreaterThanOrEqual(GETPPID_CALLS);
    expect(run.health.filter((m) => /dynamic variable drop/.test(m))).toEqual([]);
  });
});
