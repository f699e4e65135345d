// What heat-record --stacks costs (issue 15): the getppid loop under heat-record (the syscall
// preset's script, kept to the loop's own syscalls) with --stacks --stacks-above 1ms beside the
// same without stacks (alternated rounds, BPF time per syscall from bpf_stats): the price of the
// threshold check on every event; and the bytes a second of stacks adds to the file on the
// two-path workload (each slow call carries a stack; test/fixtures/workloads/two-path.c), with
// its calls per second and BPF time per call under heat-record with and without stacks (alternated
// rounds). For bpftrace also the default preset machine-wide with --stacks (every syscall, no
// threshold): Ctrl-C -> finalized recording and bytes a second, beside the same without stacks.
// The other rows are kept to one process (dtrace grabs every process whose frames it names). Run
// for bpftrace and for dtrace(1), the same scripts in each tracer's language.

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../cli/package-root.js';
import { findExecutable } from '../../cli/tracers/find-executable.js';
import { committedSeconds, firstSecondRecorded, waitFor } from '../helpers/cli.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import type { BenchRow } from './bench-row.js';
import { fmt, median } from './bench-stats.js';
import { bpfNsPerEvent, bpfProgramRuns, withBpfStats } from './bpf-program-stats.js';
import { exitOf, loopUnder, spawnOnTracerCpu } from './probe-effect-bench.js';
import { bpftraceSleepScript, dtraceSleepScript } from '../helpers/sleep-scripts.js';

const ROUNDS = 3;
const STACKS = ['--stacks', '--stacks-above', '1ms'];
const TWO_PATH_S = 5;
type StackTracer = 'bpftrace' | 'dtrace';
/** The loop's syscalls and the workload's sleeps, by tracer (D: the raw_syscalls tracepoints, as the preset; 230 is x86_64 clock_nanosleep). */
const SCRIPTS: Record<StackTracer, { getppid: string; twoPath: string }> = {
  bpftrace: {
    getppid: `tracepoint:raw_syscalls:sys_enter /comm == "getppid-loop"/ { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @lat_us[args->id] = hist((nsecs - @start[tid]) / 1000); delete(@start[tid]); }`,
    twoPath: bpftraceSleepScript('two-path'),
  },
  dtrace: {
    getppid: `rawtp:raw_syscalls::sys_enter /execname == "getppid-loop"/ { self->ts = timestamp; self->nr = arg1; }
rawtp:raw_syscalls::sys_exit /self->ts/ { @lat_us[self->nr] = quantize((timestamp - self->ts) / 1000); self->ts = 0; self->nr = 0; }`,
    twoPath: dtraceSleepScript('two-path'),
  },
};

interface Run {
  rate: number;
  bpfNs: number;
  bytesPerS: number;
}

/** Starts heat-record with args on the tracer's CPU; resolves once its first second is in. */
async function startRecorder(path: string, args: string[]) {
  const child = spawnOnTracerCpu(
    process.execPath,
    [packagePath('dist/cli/bin/heat-record.js'), '-o', path, '--quiet', ...args],
    'ignore',
  );
  const exited = exitOf(child);
  await firstSecondRecorded(path);
  return { child, stop: async () => (child.kill('SIGINT'), await exited) };
}

/** File bytes per recorded second of a finished recording. */
function bytesPerSecond(path: string): number {
  const db = new Database(path, { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM second').get() as { n: number };
  db.close();
  return statSync(path).size / n;
}

async function getppidRun(exe: string, path: string, args: string[]): Promise<Run> {
  const rec = await startRecorder(path, args);
  const { rate, bpfNs } = loopUnder(rec.child.pid!, exe);
  await rec.stop();
  return { rate, bpfNs, bytesPerS: bytesPerSecond(path) };
}

/** The two-path workload's calls per second under heat-record, and the BPF ns per call meanwhile. */
async function twoPathRun(exe: string, path: string, args: string[]): Promise<Run> {
  const rec = await startRecorder(path, args);
  const before = bpfProgramRuns(rec.child.pid!);
  // SCHED_FIFO, as in the tests: a busy machine would otherwise stretch its sleeps more than tracing does.
  const workload = spawn('chrt', ['-f', '50', exe, String(TWO_PATH_S)], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const [line] = (await once(workload.stdout.setEncoding('utf8'), 'data')) as [string];
  const bpfNs = bpfNsPerEvent(before, bpfProgramRuns(rec.child.pid!));
  const [slow, fast] = line.trim().split(' ').map(Number) as [number, number];
  await rec.stop();
  workload.stdin.end();
  return { rate: (slow + fast) / TWO_PATH_S, bpfNs, bytesPerS: bytesPerSecond(path) };
}

/** Ctrl-C -> exit of heat-record on the default preset (the whole machine), 3 s in; its bytes a second. */
async function machineRun(
  path: string,
  args: string[],
): Promise<{ stopMs: number; bytesPerS: number }> {
  const rec = await startRecorder(path, args);
  const from = committedSeconds(path);
  await waitFor(() => committedSeconds(path) >= from + 3, 60_000, `3 seconds of ${path}`);
  const signalled = performance.now();
  const stopMs = (await rec.stop()) - signalled;
  const db = new Database(path, { readonly: true });
  const status = db.prepare("SELECT value FROM meta WHERE key = 'status'").get() as {
    value: string;
  };
  db.close();
  if (status.value !== 'complete') throw new Error(`${path}: status ${status.value} after Ctrl-C`);
  return { stopMs, bytesPerS: bytesPerSecond(path) };
}

/** Bytes per second of the two-path workload recorded with and without stacks at once. */
async function twoPathBytes(
  dir: string,
  tracer: StackTracer,
): Promise<{ with: number; without: number }> {
  const exe = compileWorkload('two-path', join(dir, 'two-path'), [
    '-O1',
    '-fno-omit-frame-pointer',
  ]);
  const paths = { with: join(dir, 'two-with.db'), without: join(dir, 'two-without.db') };
  const recorders = await Promise.all([
    startRecorder(paths.with, ['--tracer', tracer, ...STACKS, '-e', SCRIPTS[tracer].twoPath]),
    startRecorder(paths.without, ['--tracer', tracer, '-e', SCRIPTS[tracer].twoPath]),
  ]);
  const workload = spawn(exe, [String(TWO_PATH_S)], { stdio: ['pipe', 'pipe', 'ignore'] });
  await once(workload.stdout, 'data'); // its loop is done; it lives until stdin closes
  // Two more seconds in each, so its last second is printed (and named) while it lives.
  const now = Object.values(paths).map((p) => committedSeconds(p));
  await Promise.all(
    Object.values(paths).map((p, i) =>
      waitFor(() => committedSeconds(p) >= now[i]! + 2, 60_000, `two more seconds of ${p}`),
    ),
  );
  for (const r of recorders) await r.stop();
  workload.stdin.end();
  return { with: bytesPerSecond(paths.with), without: bytesPerSecond(paths.without) };
}

/** @param tracer the tracer heat-record drives @default "bpftrace" */
export async function benchStackProbeEffect(tracer: StackTracer = 'bpftrace'): Promise<BenchRow[]> {
  if (process.geteuid?.() !== 0 || !findExecutable(tracer))
    return [{ name: `stacks (skipped: needs root and ${tracer})`, value: NaN, unit: '' }];
  const getppid = ['--tracer', tracer, '-e', SCRIPTS[tracer].getppid];
  const dir = mkdtempSync(join(tmpdir(), 'heat-bench-stacks-'));
  try {
    const exe = compileWorkload('getppid-loop', join(dir, 'getppid-loop'));
    const twoPathExe = compileWorkload('two-path', join(dir, 'two-path'), [
      '-O1',
      '-fno-omit-frame-pointer',
    ]);
    const twoPath = ['--tracer', tracer, '-e', SCRIPTS[tracer].twoPath];
    const plain: Run[] = [];
    const stacks: Run[] = [];
    const twoPlain: Run[] = [];
    const twoStacks: Run[] = [];
    await withBpfStats(async () => {
      for (let round = 0; round < ROUNDS; round++) {
        plain.push(await getppidRun(exe, join(dir, `plain-${round}.db`), getppid));
        stacks.push(
          await getppidRun(exe, join(dir, `stacks-${round}.db`), [...STACKS, ...getppid]),
        );
        twoPlain.push(await twoPathRun(twoPathExe, join(dir, `two-plain-${round}.db`), twoPath));
        twoStacks.push(
          await twoPathRun(twoPathExe, join(dir, `two-stacks-${round}.db`), [
            ...STACKS,
            ...twoPath,
          ]),
        );
      }
    });
    return [
      ...getppidRows(plain, stacks),
      ...twoPathRateRows(twoPlain, twoStacks),
      ...twoPathRows(await twoPathBytes(dir, tracer)),
      ...(tracer === 'bpftrace' ? await machineRows(dir) : []),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of one figure over the rounds. */
const m = (runs: Run[], pick: (r: Run) => number) => median(runs.map(pick));
/** One figure of every round, for a row's name. */
const rounds = (runs: Run[], pick: (r: Run) => number) => runs.map((r) => fmt(pick(r))).join(', ');

function getppidRows(plain: Run[], stacks: Run[]): BenchRow[] {
  const ratio = stacks.map((r, i) => (r.rate / plain[i]!.rate).toFixed(3)).join(', ');
  return [
    {
      name: `getppid loop under heat-record --stacks --stacks-above 1ms (M calls/s by round: ${rounds(stacks, (r) => r.rate / 1e6)}; ratio by round: ${ratio})`,
      value: m(stacks, (r) => r.rate) / 1e6,
      unit: 'M calls/s',
      baseline: m(plain, (r) => r.rate) / 1e6,
      baselineName: 'heat-record without stacks',
      target: 'ratio >= 0.98',
      met: m(stacks, (r) => r.rate) / m(plain, (r) => r.rate) >= 0.98,
    },
    {
      name: `BPF time per syscall with --stacks --stacks-above 1ms (bpf_stats; rounds: ${rounds(stacks, (r) => r.bpfNs)})`,
      value: m(stacks, (r) => r.bpfNs),
      unit: 'ns',
      baseline: m(plain, (r) => r.bpfNs),
      baselineName: 'without stacks',
    },
    {
      name: `file bytes per second, getppid loop (no call reaches 1 ms; rounds: ${rounds(stacks, (r) => r.bytesPerS)})`,
      value: m(stacks, (r) => r.bytesPerS),
      unit: 'B/s',
      baseline: m(plain, (r) => r.bytesPerS),
      baselineName: 'without stacks',
    },
  ];
}

function twoPathRateRows(plain: Run[], stacks: Run[]): BenchRow[] {
  const ratio = stacks.map((r, i) => (r.rate / plain[i]!.rate).toFixed(3)).join(', ');
  return [
    {
      name: `two-path workload under heat-record --stacks --stacks-above 1ms (calls/s by round: ${rounds(stacks, (r) => r.rate)}; ratio by round: ${ratio})`,
      value: m(stacks, (r) => r.rate),
      unit: 'calls/s',
      baseline: m(plain, (r) => r.rate),
      baselineName: 'heat-record without stacks',
      target: 'ratio >= 0.98',
      met: m(stacks, (r) => r.rate) / m(plain, (r) => r.rate) >= 0.98,
    },
    {
      name: `BPF time per clock_nanosleep, two-path, with --stacks --stacks-above 1ms (one in five walks its stack; rounds: ${rounds(stacks, (r) => r.bpfNs)})`,
      value: m(stacks, (r) => r.bpfNs),
      unit: 'ns',
      baseline: m(plain, (r) => r.bpfNs),
      baselineName: 'without stacks',
    },
  ];
}

/** The default preset machine-wide, with --stacks (no threshold) and without, alternated. */
async function machineRows(dir: string): Promise<BenchRow[]> {
  const plain: { stopMs: number; bytesPerS: number }[] = [];
  const stacks: typeof plain = [];
  for (let round = 0; round < ROUNDS; round++) {
    plain.push(await machineRun(join(dir, `machine-plain-${round}.db`), []));
    stacks.push(await machineRun(join(dir, `machine-stacks-${round}.db`), ['--stacks']));
  }
  const stop = (runs: typeof plain) => median(runs.map((r) => r.stopMs));
  const rounds = (runs: typeof plain, pick: (r: (typeof plain)[number]) => number) =>
    runs.map((r) => fmt(pick(r))).join(', ');
  return [
    {
      name: `Ctrl-C -> finalized recording, default preset with --stacks on the whole machine (every syscall, no threshold; rounds: ${rounds(stacks, (r) => r.stopMs)})`,
      value: stop(stacks),
      unit: 'ms',
      baseline: stop(plain),
      baselineName: 'without stacks',
      target: '<= 2000 ms',
      met: Math.max(...stacks.map((r) => r.stopMs)) <= 2000,
    },
    {
      name: `file bytes per second, default preset with --stacks on the whole machine (rounds: ${rounds(stacks, (r) => r.bytesPerS)})`,
      value: median(stacks.map((r) => r.bytesPerS)),
      unit: 'B/s',
      baseline: median(plain.map((r) => r.bytesPerS)),
      baselineName: 'without stacks',
    },
  ];
}

function twoPathRows(bytes: { with: number; without: number }): BenchRow[] {
  return [
    {
      name: `file bytes per second, two-path workload (each slow call carries a stack), ${TWO_PATH_S} s`,
      value: bytes.with,
      unit: 'B/s',
      baseline: bytes.without,
      baselineName: 'without stacks',
    },
  ];
}
