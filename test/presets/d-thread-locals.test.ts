// Every D script of every preset frees the thread-locals it sets: a `self->x` left set holds
// dynamic-variable space for the life of dtrace (for every thread that ever fired the probe, exited
// ones included), and when that space runs out DTrace drops the variables, so events are lost.
// The Linux D must also free them when the thread exits (a thread's last syscall never returns),
// and does only that: it overwrites them at each entry instead of zeroing them at each exit, as
// deleting and re-creating them on every syscall was the most costly part of its probes.

import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../cli/presets/presets.js';

/** The thread-locals a script assigns something other than 0 to, and those it zeroes. */
function threadLocals(script: string): { set: Set<string>; zeroed: Set<string> } {
  const set = new Set<string>();
  const zeroed = new Set<string>();
  for (const m of script.matchAll(/self->(\w+)\s*=(?!=)\s*([^;]+);/g))
    (m[2]!.trim() === '0' ? zeroed : set).add(m[1]!);
  return { set, zeroed };
}

/** The thread-locals zeroed in the clause that runs when a thread exits. */
function zeroedAtThreadExit(script: string): Set<string> {
  const clause = /rawtp:sched::sched_process_exit\s*\{([^}]*)\}/.exec(script)?.[1] ?? '';
  return threadLocals(clause).zeroed;
}

describe('preset D scripts and their thread-locals', () => {
  it.each(
    PRESETS.flatMap((p) => [
      [`${p.name} (Linux DTrace)`, p.dtraceLinux],
      [`${p.name} (illumos, macOS, FreeBSD)`, p.dtrace],
    ]),
  )('%s zeroes every thread-local it sets', (_name, script) => {
    const { set, zeroed } = threadLocals(script);
    expect([...set].filter((name) => !zeroed.has(name))).toEqual([]);
  });

  it.each(PRESETS.map((p) => [p.name, p.dtraceLinux]))(
    '%s (Linux DTrace) zeroes them when the thread exits, and only then',
    (_name, script) => {
      const { set, zeroed } = threadLocals(script);
      expect([...set].filter((name) => !zeroedAtThreadExit(script).has(name))).toEqual([]);
      // Zeroed nowhere else: each zeroing outside the exit clause deletes and re-creates it.
      const elsewhere = script.replace(/rawtp:sched::sched_process_exit\s*\{[^}]*\}/, '');
      expect([...threadLocals(elsewhere).zeroed]).toEqual([]);
      expect(zeroed.size).toBe(set.size);
    },
  );
});
