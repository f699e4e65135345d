// Real bpftrace and dtrace(1), as root: heat-record --stacks --stacks-above 1ms on the C++ workload
// (test/fixtures/workloads/cxx-two-path.cpp: ns::Worker::slow_path(int) sleeps 5 ms, fast_path
// ~10 µs; at SCHED_FIFO). Its symbol table holds the methods mangled (_ZN2ns6Worker9slow_pathEi);
// the recording's stack table, the viewer's flame graph and the folded export must read them as
// the source does. Both tracers: the recorder names bpftrace's frames itself, and Linux DTrace 2.0
// prints ustack() frames mangled.

import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldedLines } from '../../viewer/src/model/folded-stacks.js';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  startCli,
  waitFor,
} from '../helpers/cli.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { boxShare } from '../helpers/stack-boxes.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { bpftraceSleepScript, dtraceSleepScript } from '../helpers/sleep-scripts.js';

const tmp = useTempDir();
const WORKLOAD_S = 3;
/** The workload's own name (its comm): others' two-path runs beside it stay out. */
const NAME = 'cxx-two-path';
const SLOW = 'ns::Worker::slow_path(int)';
const SCRIPTS = {
  bpftrace: bpftraceSleepScript(NAME),
  dtrace: dtraceSleepScript(NAME),
};

const gxx = (() => {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Run {
  db: Database.Database;
  slowCalls: number;
  codes: (number | null)[];
}

/**
 * Records one run of the workload. Both tracers name a process's user frames only while it lives,
 * so the workload stays (stdin open) until two more seconds are committed, past its last second.
 */
async function recordWorkload(tracer: keyof typeof SCRIPTS, path: string): Promise<Run> {
  const exe = compileWorkload('cxx-two-path.cpp', tmp(NAME), ['-O1', '-fno-omit-frame-pointer']);
  const flags = ['--tracer', tracer, '--quiet', '--stacks', '--stacks-above', '1ms'];
  const recorder = startCli(['-o', path, ...flags, '-e', SCRIPTS[tracer]]);
  const done = finished(recorder);
  await firstSecondRecorded(path);
  const workload = spawn('chrt', ['-f', '50', exe, String(WORKLOAD_S)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(workload.stdout.setEncoding('utf8'), 'data')) as [string];
  const now = committedSeconds(path);
  await waitFor(() => committedSeconds(path) >= now + 2, 60_000, `two more seconds of ${path}`);
  recorder.kill('SIGINT');
  const { code } = await done;
  workload.stdin.end();
  const [workloadCode] = (await once(workload, 'close')) as [number | null];
  return {
    db: new Database(path, { readonly: true }),
    slowCalls: Number(line.trim().split(' ')[0]),
    codes: [code, workloadCode],
  };
}

/** The checks, the same for both tracers. */
function demangledStacks(tracer: keyof typeof SCRIPTS): void {
  let run: Run;

  beforeAll(async () => {
    run = await recordWorkload(tracer, tmp(`${tracer}.db`));
  }, 120_000);

  afterAll(() => run?.db.close());

  it('records the workload, which ends on its own', () => {
    expect(run.codes).toEqual([0, 0]);
    expect(run.slowCalls).toBeGreaterThan(100);
  });

  it(`a box over the slow band holds its stack mass under ${SLOW}`, () => {
    const box = boxShare(run.db, 4096, 8191, SLOW);
    expect(box.share, box.rows).toBeGreaterThanOrEqual(0.9);
    expect(box.total).toBeGreaterThan(run.slowCalls / 2);
  });

  it('no frame in the stack table is left mangled', () => {
    const rows = run.db.prepare('SELECT frames FROM stack').all() as { frames: string }[];
    const frames = rows.flatMap((r) => JSON.parse(r.frames) as string[]);
    expect(frames).toContain(SLOW);
    expect(frames.filter((f) => f.startsWith('_Z'))).toEqual([]);
  });

  it('the folded export of the box names the method as the source does, under main', () => {
    const rows = run.db
      .prepare(
        'SELECT frames, sum(n) AS n FROM stack_counts WHERE lo >= 4096 AND hi <= 8191 GROUP BY frames',
      )
      .all() as { frames: string; n: number }[];
    const lines = foldedLines(
      rows.map((r) => ({ frames: JSON.parse(r.frames) as string[], count: r.n })),
    );
    const underMain = lines.filter((l) => (';' + l).includes(`;main;${SLOW};`));
    expect(underMain.length, lines.join('\n')).toBeGreaterThan(0);
  });
}

// g++ is beside cc here and in CI; a machine without it skips these, saying so (CI fails).
describe.skipIf(!gxx && !process.env.CI)('C++ frames demangled (g++ workload)', () => {
  describe('bpftrace --stacks (real, root)', () => demangledStacks('bpftrace'));
  describeWithDtrace('dtrace --stacks (real Linux DTrace, root)', () => demangledStacks('dtrace'));
});
