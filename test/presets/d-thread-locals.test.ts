// Every D script of every preset frees the thread-locals it sets: a `self->x` left set holds
// dynamic-variable space for the life of dtrace (for every thread that ever fired the probe, exited
// ones included), and when that space runs out DTrace drops the variables, so events are lost.

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
});
