// The bpftrace rewrite behind --stacks: a stack companion per histogram, booked and drained with it.

import { describe, expect, it } from 'vitest';
import { completeBpftraceProgram } from '../../cli/tracers/bpftrace-program.js';
import { addStackHistograms } from '../../cli/tracers/bpftrace-stack-maps.js';
import { stackKindsFromScript } from '../../cli/parse/bpftrace-keys.js';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';
import { runqueueLatency } from '../../cli/presets/runqueue-latency.js';
import { buildProgram } from '../../cli/record/program-source.js';

describe('addStackHistograms', () => {
  it('adds a stack companion per histogram, filled at or above the threshold from the same value', () => {
    expect(
      addStackHistograms('k { @a[comm] = hist(f(1, "x)")); @b = lhist(y, 0, 100, 10) }', {
        which: 'user',
        above: 1000n,
      }),
    ).toBe(
      'k { $heat_v0 = f(1, "x)"); @a[comm] = hist($heat_v0); if ($heat_v0 >= 1000) { @a__heat_stk[comm, ustack(perf)] = hist($heat_v0); } ' +
        '$heat_v1 = y; @b = lhist($heat_v1, 0, 100, 10); if ($heat_v1 >= 1000) { @b__heat_stk[ustack(perf)] = lhist($heat_v1, 0, 100, 10); } }',
    );
    expect(addStackHistograms('k { @a = hist(x); }', { which: 'user+kernel', above: 0n })).toBe(
      'k { $heat_v0 = x; @a = hist($heat_v0); @a__heat_stk[ustack(perf), kstack(perf)] = hist($heat_v0); }',
    );
  });

  it('books the stack in the second its histogram took, and drains it with the histograms', () => {
    const text = completeBpftraceProgram(syscallLatency.bpftrace, '--preset syscall-latency', {
      which: 'user',
      above: 1000n,
    });
    // One second per event: the companion reuses it.
    expect(text.match(/\$heat_s = \$heat_ns \/ 1000000000; if/g)).toHaveLength(1);
    expect(text.match(/\$heat_s = nsecs \/ 1000000000; if/g)).toHaveLength(2); // the two drains
    expect(text).toContain(
      'if ($heat_v0 >= 1000) { if ($heat_s % 2 == 0) { @lat_us__heat_stk__heat_even[$heat_s, args->id, ustack(perf)] = hist($heat_v0); }',
    );
    expect(text).toContain(
      'print(@lat_us__heat_stk__heat_odd); clear(@lat_us__heat_stk__heat_odd);',
    );
    expect(stackKindsFromScript(text)).toEqual(
      new Map([
        ['@lat_us__heat_stk__heat_even', ['user']],
        ['@lat_us__heat_stk__heat_odd', ['user']],
      ]),
    );
  });

  it('the preset chooses the stacks --stacks takes by default, and --stacks-above goes to its unit', () => {
    const rq = buildProgram('bpftrace', {
      preset: runqueueLatency.name,
      stacks: { above: { value: 1.5, unit: 'ms' } },
    });
    expect(rq.stacks).toEqual({ which: 'kernel', above: 1500n });
    expect(rq.text).toContain('kstack(perf)] = hist($heat_v0)');
    const custom = buildProgram('bpftrace', {
      expression: 'k { @a = hist(1); }',
      unit: 'ns',
      stacks: { above: { value: 2, unit: 'us' } },
    });
    expect(custom.stacks).toEqual({ which: 'user', above: 2000n });
  });
});
