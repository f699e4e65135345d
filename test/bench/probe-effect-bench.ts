// Probe effect and life cycle of each real tracer, side by side in one run: a getppid loop's
// calls/s alone, under the plain tracer running the syscall-latency preset as written (with a
// per-second print), and under heat-record, beside the BPF time per syscall of each (the kernel's
// bpf_stats counters, which other load does not slow) and the exit program's time per run over the
// entry program's (for dtrace the sum swings by ~100 ns with its thread-local hash on a busy
// machine, and both programs swing alike); the tracer's attach (launch -> BEGIN) and detach
// (signal -> exit) times; heat-record's Ctrl-C -> finalized recording; heat-record's own CPU
// (the node process, not its tracer) while the loop runs, with dtrace beside bpftrace.

import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath } from '../../cli/package-root.js';
import { findPreset } from '../../cli/presets/presets.js';
import { findExecutable } from '../../cli/tracers/find-executable.js';
import { firstSecondRecorded } from '../helpers/cli.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import type { BenchRow } from './bench-row.js';
import { fmt, median } from './bench-stats.js';
import { bpfNsPerEvent, bpfNsSpread, bpfProgramRuns, withBpfStats } from './bpf-program-stats.js';

type TracerName = 'bpftrace' | 'dtrace';
const TRACERS: TracerName[] = ['bpftrace', 'dtrace'];
const LOOP_S = 3;
const ROUNDS = 3;
/** The loop's CPU: the tracer and heat-record do their own work on the other one. */
const LOOP_CPU = '1';
const TRACER_CPU = '0';
const READY = 'heat-bench:ready';

/** The preset as written, printed and cleared once a second, plus a BEGIN line that says attached. */
function plainCommand(
  tracer: TracerName,
  dir: string,
): { command: string; args: string[]; stop: NodeJS.Signals } {
  const preset = findPreset('syscall-latency');
  if (tracer === 'bpftrace') {
    const text = `BEGIN { printf("${READY}\\n"); }\n${preset.bpftrace}interval:s:1 { print(@lat_us); clear(@lat_us); }\n`;
    return { command: 'bpftrace', args: ['-e', text], stop: 'SIGINT' };
  }
  const file = join(dir, 'plain.d');
  execFileSync('sh', ['-c', 'cat > "$0"', file], {
    input: `#pragma D option quiet\nBEGIN { printf("${READY}\\n"); }\n${preset.dtraceLinux}tick-1s { printa(@lat_us); trunc(@lat_us); }\n`,
  });
  return { command: 'dtrace', args: ['-q', '-s', file], stop: 'SIGTERM' };
}

/** The loop's calls per second of its own CPU time (a busy machine only stretches the wall clock). */
export function loopRate(exe: string): number {
  const [, perCpuSecond] = execFileSync('taskset', ['-c', LOOP_CPU, exe, String(LOOP_S)], {
    encoding: 'utf8',
  })
    .trim()
    .split(' ');
  return Number(perCpuSecond);
}

/** The loop's rate, the BPF ns per syscall of the tracer under `pid` meanwhile, and its exit-minus-entry spread. */
export function loopUnder(
  pid: number,
  exe: string,
): { rate: number; bpfNs: number; spreadNs: number } {
  const before = bpfProgramRuns(pid);
  const rate = loopRate(exe);
  const after = bpfProgramRuns(pid);
  return { rate, bpfNs: bpfNsPerEvent(before, after), spreadNs: bpfNsSpread(before, after) };
}

/** Spawns on the tracer's CPU (taskset execs the command, so the pid is the command's). */
export function spawnOnTracerCpu(command: string, args: string[], stdout: 'pipe' | 'ignore') {
  return spawn('taskset', ['-c', TRACER_CPU, command, ...args], {
    stdio: ['ignore', stdout, 'ignore'],
  });
}

export function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve(performance.now())
      : child.on('exit', () => resolve(performance.now())),
  );
}

/** The loop's rate under the plain tracer; attach = launch -> BEGIN's line, detach = signal -> exit. */
async function underPlainTracer(
  tracer: TracerName,
  exe: string,
  dir: string,
): Promise<{
  rate: number;
  bpfNs: number;
  spreadNs: number;
  attachMs: number;
  detachMs: number;
}> {
  const { command, args, stop } = plainCommand(tracer, dir);
  const launched = performance.now();
  const child = spawnOnTracerCpu(command, args, 'pipe');
  const exited = exitOf(child);
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < 4096 && (out += d).includes(READY)) resolve();
    });
  });
  const attachMs = performance.now() - launched;
  const { rate, bpfNs, spreadNs } = loopUnder(child.pid!, exe);
  const signalled = performance.now();
  child.kill(stop);
  return { rate, bpfNs, spreadNs, attachMs, detachMs: (await exited) - signalled };
}

/** CPU ms of one process, all threads, from the scheduler's counters. */
function processCpuMs(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`))
    ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  return ns / 1e6;
}

/** The loop's rate under heat-record; its CPU meanwhile; Ctrl-C -> exit with a complete recording. */
async function underHeatRecord(
  tracer: TracerName,
  exe: string,
  dir: string,
  round: number,
): Promise<{ rate: number; bpfNs: number; spreadNs: number; cpuPct: number; stopMs: number }> {
  const path = join(dir, `${tracer}-${round}.db`);
  const child = spawnOnTracerCpu(
    process.execPath,
    [packagePath('dist/cli/bin/heat-record.js'), '-o', path, '--tracer', tracer, '--quiet'],
    'ignore',
  );
  const exited = exitOf(child);
  await firstSecondRecorded(path);
  const cpu0 = processCpuMs(child.pid!);
  const t0 = performance.now();
  const { rate, bpfNs, spreadNs } = loopUnder(child.pid!, exe);
  const cpuPct = ((processCpuMs(child.pid!) - cpu0) / (performance.now() - t0)) * 100;
  const signalled = performance.now();
  child.kill('SIGINT');
  const stopMs = (await exited) - signalled;
  const db = new Database(path, { readonly: true });
  const status = (
    db.prepare("SELECT value FROM meta WHERE key = 'status'").get() as { value: string } | undefined
  )?.value;
  db.close();
  if (status !== 'complete') throw new Error(`${tracer}: recording status ${status} after Ctrl-C`);
  return { rate, bpfNs, spreadNs, cpuPct, stopMs };
}

interface Samples {
  alone: number[];
  plain: Record<TracerName, number[]>;
  recorded: Record<TracerName, number[]>;
  plainNs: Record<TracerName, number[]>;
  recordedNs: Record<TracerName, number[]>;
  plainSpread: Record<TracerName, number[]>;
  recordedSpread: Record<TracerName, number[]>;
  attach: Record<TracerName, number[]>;
  detach: Record<TracerName, number[]>;
  stop: Record<TracerName, number[]>;
  cpu: Record<TracerName, number[]>;
}

const perTracer = (): Record<TracerName, number[]> => ({ bpftrace: [], dtrace: [] });

/** Rows for both tracers; each figure is the median of ROUNDS rounds, alternated so noise lands alike. */
export async function benchProbeEffect(): Promise<BenchRow[]> {
  const missing = TRACERS.filter((t) => !findExecutable(t));
  if (process.geteuid?.() !== 0 || missing.length > 0)
    return [
      {
        name: `probe effect (skipped: needs root and ${TRACERS.join(', ')}; missing ${missing.join(', ') || 'root'})`,
        value: NaN,
        unit: '',
      },
    ];
  const dir = mkdtempSync(join(tmpdir(), 'heat-bench-probe-'));
  try {
    const exe = compileWorkload('getppid-loop', join(dir, 'getppid-loop'));
    const s: Samples = {
      alone: [],
      plain: perTracer(),
      recorded: perTracer(),
      plainNs: perTracer(),
      recordedNs: perTracer(),
      plainSpread: perTracer(),
      recordedSpread: perTracer(),
      attach: perTracer(),
      detach: perTracer(),
      stop: perTracer(),
      cpu: perTracer(),
    };
    await withBpfStats(async () => {
      for (let round = 0; round < ROUNDS; round++) {
        s.alone.push(loopRate(exe));
        for (const tracer of TRACERS) {
          const plain = await underPlainTracer(tracer, exe, dir);
          s.plain[tracer].push(plain.rate);
          s.plainNs[tracer].push(plain.bpfNs);
          s.plainSpread[tracer].push(plain.spreadNs);
          s.attach[tracer].push(plain.attachMs);
          s.detach[tracer].push(plain.detachMs);
          const recorded = await underHeatRecord(tracer, exe, dir, round);
          s.recorded[tracer].push(recorded.rate);
          s.recordedNs[tracer].push(recorded.bpfNs);
          s.recordedSpread[tracer].push(recorded.spreadNs);
          s.stop[tracer].push(recorded.stopMs);
          s.cpu[tracer].push(recorded.cpuPct);
        }
      }
    });
    return rowsOf(s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rowsOf(s: Samples): BenchRow[] {
  const alone = median(s.alone);
  const rows: BenchRow[] = [
    {
      name: `getppid loop alone, pinned to CPU ${LOOP_CPU}, per second of its CPU time (rounds: ${mcalls(s.alone)})`,
      value: alone / 1e6,
      unit: 'M calls/s',
    },
  ];
  for (const t of TRACERS) rows.push(...probeEffectRows(s, t, alone), ...lifeCycleRows(s, t));
  return rows;
}

/** Calls/s under each, ratio by round; BPF ns per syscall of each, and the extra as a share of a call. */
function probeEffectRows(s: Samples, t: TracerName, alone: number): BenchRow[] {
  const plain = median(s.plain[t]);
  const recorded = median(s.recorded[t]);
  const ratios = s.recorded[t].map((r, i) => (r / s.plain[t][i]!).toFixed(3)).join(', ');
  const plainNs = median(s.plainNs[t]);
  const recordedNs = median(s.recordedNs[t]);
  // A call under the plain tracer takes 1e9 / plain ns; heat-record's programs add the difference.
  const extraShare = ((recordedNs - plainNs) * plain) / 1e9;
  return [
    {
      name: `${t}: loop under the plain tracer (preset as written; rounds: ${mcalls(s.plain[t])})`,
      value: plain / 1e6,
      unit: 'M calls/s',
      baseline: alone / 1e6,
      baselineName: 'alone',
    },
    {
      name: `${t}: loop under heat-record (rounds: ${mcalls(s.recorded[t])}; ratio by round: ${ratios})`,
      value: recorded / 1e6,
      unit: 'M calls/s',
      baseline: plain / 1e6,
      baselineName: 'plain tracer',
      target: 'ratio >= 0.98',
      met: recorded / plain >= 0.98,
    },
    {
      name: `${t}: BPF time per syscall, plain tracer (bpf_stats; rounds: ${s.plainNs[t].map(fmt).join(', ')})`,
      value: plainNs,
      unit: 'ns',
    },
    {
      name: `${t}: BPF time per syscall, heat-record (bpf_stats; rounds: ${s.recordedNs[t].map(fmt).join(', ')})`,
      value: recordedNs,
      unit: 'ns',
      baseline: plainNs,
      baselineName: 'plain tracer',
    },
    {
      name: `${t}: BPF ns per run, exit program minus entry program, plain tracer (noise both pay cancels; rounds: ${s.plainSpread[t].map(fmt).join(', ')})`,
      value: median(s.plainSpread[t]),
      unit: 'ns',
    },
    {
      name: `${t}: BPF ns per run, exit program minus entry program, heat-record (rounds: ${s.recordedSpread[t].map(fmt).join(', ')})`,
      value: median(s.recordedSpread[t]),
      unit: 'ns',
      baseline: median(s.plainSpread[t]),
      baselineName: 'plain tracer',
    },
    {
      name: `${t}: heat-record's extra BPF time, share of a call under the plain tracer`,
      value: extraShare * 100,
      unit: '%',
      target: '<= 2 % (ratio >= 0.98)',
      met: extraShare <= 0.02,
    },
  ];
}

function lifeCycleRows(s: Samples, t: TracerName): BenchRow[] {
  return [
    {
      name: `${t}: attach, launch -> BEGIN (plain tracer)`,
      value: median(s.attach[t]),
      unit: 'ms',
    },
    {
      name: `${t}: detach, ${t === 'dtrace' ? 'SIGTERM' : 'SIGINT'} -> exit (plain tracer)`,
      value: median(s.detach[t]),
      unit: 'ms',
    },
    {
      name: `${t}: heat-record Ctrl-C -> finalized recording (rounds: ${s.stop[t].map(fmt).join(', ')})`,
      value: median(s.stop[t]),
      unit: 'ms',
      target: '<= 2000 ms',
      met: median(s.stop[t]) <= 2000,
    },
    {
      name: `${t}: heat-record's own CPU (node, not the tracer) under the loop`,
      value: median(s.cpu[t]),
      unit: '% of a core',
      ...(t === 'dtrace'
        ? { baseline: median(s.cpu.bpftrace), baselineName: 'with bpftrace' }
        : {}),
    },
  ];
}

function mcalls(rates: number[]): string {
  return rates.map((r) => (r / 1e6).toFixed(2)).join(', ');
}
