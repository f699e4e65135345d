// What a tracer's BPF programs cost per event, from the kernel's own counters
// (kernel.bpf_stats_enabled: run time and run count of every program). Measured inside the kernel,
// it holds steady on a busy shared machine where a loop's wall-clock rate swings with other load.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const STATS_SWITCH = '/proc/sys/kernel/bpf_stats_enabled';

/** A program's total run time (ns) and run count. */
interface Runs {
  ns: number;
  count: number;
}

/** Runs `work` with the kernel counting BPF programs' run time, then sets the switch back. */
export async function withBpfStats<T>(work: () => Promise<T>): Promise<T> {
  const before = readFileSync(STATS_SWITCH, 'utf8').trim();
  writeFileSync(STATS_SWITCH, '1');
  try {
    return await work();
  } finally {
    writeFileSync(STATS_SWITCH, before);
  }
}

/** Every BPF program held open by pid or a descendant (its tracer), by program id. */
export function bpfProgramRuns(pid: number): Map<number, Runs> {
  const runs = new Map<number, Runs>();
  for (const p of [pid, ...descendants(pid)])
    for (const info of fdInfos(p)) {
      const id = /^prog_id:\s*(\d+)/m.exec(info)?.[1];
      const ns = /^run_time_ns:\s*(\d+)/m.exec(info)?.[1];
      const count = /^run_cnt:\s*(\d+)/m.exec(info)?.[1];
      if (id && ns && count) runs.set(Number(id), { ns: Number(ns), count: Number(count) });
    }
  return runs;
}

/**
 * BPF ns per event between two readings: every program's time over the busiest program's count.
 * Each syscall runs the enter and the exit probe once, so this is their cost per syscall, with
 * the once-a-second drains (a few µs a second) spread over it.
 */
export function bpfNsPerEvent(before: Map<number, Runs>, after: Map<number, Runs>): number {
  let ns = 0;
  let events = 0;
  for (const [id, a] of after) {
    const b = before.get(id) ?? { ns: 0, count: 0 };
    ns += a.ns - b.ns;
    events = Math.max(events, a.count - b.count);
  }
  return events > 0 ? ns / events : NaN;
}

/**
 * ns per run of the costliest program minus the cheapest, among those that ran at least half as
 * often as the busiest: for the syscall presets, the exit program minus the entry one. What both
 * pay alike (the probe trampoline, the thread-local hash that a busy machine makes slow or fast)
 * cancels, so a change to the exit clauses shows in it steadier than in the sum.
 */
export function bpfNsSpread(before: Map<number, Runs>, after: Map<number, Runs>): number {
  const runs = [...after].map(([id, a]) => {
    const b = before.get(id) ?? { ns: 0, count: 0 };
    return { ns: a.ns - b.ns, count: a.count - b.count };
  });
  const busiest = Math.max(0, ...runs.map((r) => r.count));
  const perRun = runs
    .filter((r) => r.count > 0 && r.count >= busiest / 2)
    .map((r) => r.ns / r.count);
  return perRun.length >= 2 ? Math.max(...perRun) - Math.min(...perRun) : NaN;
}

function fdInfos(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fdinfo`).flatMap((fd) => {
      try {
        return [readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8')];
      } catch {
        return []; // closed meanwhile
      }
    });
  } catch {
    return []; // exited meanwhile
  }
}

function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      children.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
          .split(' ')
          .filter(Boolean)
          .map(Number),
      );
  } catch {
    // exited meanwhile: the children read so far
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}
