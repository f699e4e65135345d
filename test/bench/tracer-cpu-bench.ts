// Recorder CPU by tracer on the same load: libdtrace (in-process, typed snapshots) against dtrace(1)
// (a child process printing text that the recorder parses) and bpftrace, each recording the
// syscall-latency preset while dd makes ~10^5 syscalls a second. CPU is the whole process tree:
// heat-record plus its tracer child, from the scheduler's own counters.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../cli/package-root.js';
import { findExecutable } from '../../cli/tracers/find-executable.js';
import { ADDON_PATH } from '../../cli/tracers/libdtrace-prerequisites.js';
import type { BenchRow } from './bench-row.js';

/** Attach (dtrace(1) compiles, libdtrace loads) and the JIT warming up are left out. */
const WARM_UP_S = 15;
const WINDOW_S = 20;
type Tracer = 'libdtrace' | 'dtrace' | 'bpftrace';

/** CPU ms of a process and its children (the tracer), all threads. */
function treeCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    // no children: libdtrace
  }
  return [pid, ...children].reduce((ms, p) => ms + threadsCpuMs(p), 0);
}

function threadsCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`))
    ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  return ns / 1e6;
}

async function recorderCpuPct(tracer: Tracer, dir: string): Promise<number> {
  const args = [
    packagePath('dist/cli/bin/heat-record.js'),
    '-o',
    join(dir, `${tracer}.db`),
    '--tracer',
    tracer,
    '-d',
    `${WARM_UP_S + WINDOW_S + 3}s`,
    '--quiet',
    '--force',
  ];
  const recorder = spawn(process.execPath, args, { stdio: 'ignore' });
  const load = spawn(
    'sh',
    ['-c', 'while :; do dd if=/dev/zero of=/dev/null bs=64 count=200000 2>/dev/null; done'],
    { stdio: 'ignore', detached: true },
  );
  try {
    await sleep(WARM_UP_S * 1000);
    const c0 = treeCpuMs(recorder.pid!);
    await sleep(WINDOW_S * 1000);
    return ((treeCpuMs(recorder.pid!) - c0) / 1000 / WINDOW_S) * 100;
  } finally {
    process.kill(-load.pid!, 'SIGKILL'); // never leave the load running, whatever happened
    await new Promise((r) => recorder.on('close', r));
  }
}

/** One row per tracer; libdtrace's baseline is the dtrace(1) text path. Needs root and all three. */
export async function benchTracerCpu(): Promise<BenchRow[]> {
  const missing = ['dtrace', 'bpftrace'].filter((c) => !findExecutable(c));
  if (process.geteuid?.() !== 0 || missing.length > 0 || !existsSync(ADDON_PATH)) {
    return [
      {
        name: `recorder CPU by tracer (skipped: needs root, dtrace, bpftrace and the libdtrace binding)`,
        value: NaN,
        unit: '',
      },
    ];
  }
  const dir = mkdtempSync(join(tmpdir(), 'heat-bench-tracers-'));
  try {
    const pct: Partial<Record<Tracer, number>> = {};
    for (const tracer of ['libdtrace', 'dtrace', 'bpftrace'] as const)
      pct[tracer] = await recorderCpuPct(tracer, dir);
    return [
      {
        name: 'heat-record + tracer CPU, --tracer libdtrace, syscall-latency under dd load',
        value: pct.libdtrace!,
        unit: '% of a core',
        baseline: pct.dtrace!,
        baselineName: 'dtrace(1) text path',
        target: '<= dtrace(1)',
        met: pct.libdtrace! <= pct.dtrace!,
      },
      { name: '  the same with --tracer bpftrace', value: pct.bpftrace!, unit: '% of a core' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
