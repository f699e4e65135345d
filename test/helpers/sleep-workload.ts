// The known workload of the real-tracer tests: test/fixtures/workloads/sleep-loop.c, compiled and
// run; its own record of every call (when it returned, how long it took) is the truth the
// recordings are checked against.

import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../cli/package-root.js';

export interface SleepWorkload {
  /** Each call's latency as the workload measured it (µs). */
  latenciesUs: number[];
  /** Calls per kernel second (CLOCK_MONOTONIC, as bpftrace's nsecs and D's timestamp), by when each returned. */
  perKernelSecond: Map<number, number>;
}

/**
 * Compiles a workload from test/fixtures/workloads to `exe`; returns exe. A C workload by its
 * name ("sleep-loop": cc), a C++ one with its extension ("cxx-two-path.cpp": g++).
 * @param flags compiler flags @default ["-O2"]
 */
export function compileWorkload(name: string, exe: string, flags = ['-O2']): string {
  const cxx = name.endsWith('.cpp');
  execFileSync(cxx ? 'g++' : 'cc', [
    ...flags,
    '-o',
    exe,
    join(packageRoot(), `test/fixtures/workloads/${cxx ? name : `${name}.c`}`),
  ]);
  return exe;
}

export interface SleepLoopOptions {
  /** Run at SCHED_FIFO priority (chrt), so a busy machine does not make it oversleep. @default false */
  realtime?: boolean;
  /**
   * The syscall that sleeps (the recording's key). "select" (with no descriptors) and
   * "rt_sigtimedwait" (on an empty set), which nothing else here makes, keep it apart from another
   * test's loop running beside it. @default "clock_nanosleep"
   */
  syscall?: 'clock_nanosleep' | 'select' | 'rt_sigtimedwait';
}

/** Runs the compiled sleep loop: `sleepUs` per call for `seconds`. */
export function runSleepLoop(
  exe: string,
  sleepUs: number,
  seconds: number,
  options: SleepLoopOptions = {},
): Promise<SleepWorkload> {
  const argv = [
    ...(options.realtime ? ['chrt', '-f', '50'] : []),
    exe,
    String(sleepUs),
    String(seconds),
    ...(options.syscall === 'select'
      ? ['select']
      : options.syscall === 'rt_sigtimedwait'
        ? ['sigtimedwait']
        : []),
  ];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve) =>
    child.on('close', () => {
      const calls = out
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number) as [number, number]);
      const perKernelSecond = new Map<number, number>();
      for (const [endNs] of calls)
        perKernelSecond.set(
          Math.floor(endNs / 1e9),
          (perKernelSecond.get(Math.floor(endNs / 1e9)) ?? 0) + 1,
        );
      resolve({ latenciesUs: calls.map(([, us]) => us), perKernelSecond });
    }),
  );
}
