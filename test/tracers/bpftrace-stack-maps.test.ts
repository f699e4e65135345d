// The bpftrace rewrite behind --stacks: a stack companion per histogram, booked and drained with it.

import { describe, expect, it } from 'vitest';
import { completeBpftraceProgram } from '../../cli/tracers/bpftrace-program.js';
import { addStackHistograms, hasUserStacks } from '../../cli/tracers/bpftrace-stack-maps.js';
import { STACK_KEYS_PER_SECOND } from '../../cli/parse/bpftrace-stacks.js';
import { stackKindsFromScript } from '../../cli/parse/bpftrace-keys.js';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';
import { runqueueLatency } from '../../cli/presets/runqueue-latency.js';
import { buildProgram } from '../../cli/record/program-source.js';

describe('addStackHistograms', () => {
  const budget = (seen: string) =>
    `$heat_keep = 1; if (${seen} == 0) { if (@heat_stk_at != $heat_s) { @heat_stk_at = $heat_s; @heat_stk_n = 0; } ` +
    `if (@heat_stk_n < ${STACK_KEYS_PER_SECOND}) { @heat_stk_n = @heat_stk_n + 1; ${seen} = 1; } ` +
    'else { @heat_stk_over = @heat_stk_over + 1; $heat_keep = 0; } }';

  it('adds a stack companion per histogram, filled at or above the threshold from the same value and keys', () => {
    expect(
      addStackHistograms('k { @a[comm] = hist(f(1, "x)")); @b = lhist(y, 0, 100, 10) }', {
        which: 'user',
        above: 1000n,
      }),
    ).toBe(
      'k { $heat_v0 = f(1, "x)"); $heat_a0_0 = comm; @a[$heat_a0_0] = hist($heat_v0); if ($heat_v0 >= 1000) { ' +
        `$heat_u0 = ustack(perf); ${budget('@a__heat_seen[$heat_s, $heat_a0_0, pid, $heat_u0]')} ` +
        'if ($heat_keep) { @a__heat_stk[$heat_a0_0, pid, $heat_u0] = hist($heat_v0); } } ' +
        '$heat_v1 = y; @b = lhist($heat_v1, 0, 100, 10); if ($heat_v1 >= 1000) { ' +
        `$heat_u1 = ustack(perf); ${budget('@b__heat_seen[$heat_s, pid, $heat_u1]')} ` +
        'if ($heat_keep) { @b__heat_stk[pid, $heat_u1] = lhist($heat_v1, 0, 100, 10); } } }',
    );
    expect(addStackHistograms('k { @a = hist(x); }', { which: 'user+kernel', above: 0n })).toBe(
      'k { $heat_v0 = x; @a = hist($heat_v0); $heat_u0 = ustack(perf); $heat_k0 = kstack(perf); ' +
        `${budget('@a__heat_seen[$heat_s, pid, $heat_u0, $heat_k0]')} ` +
        'if ($heat_keep) { @a__heat_stk[pid, $heat_u0, $heat_k0] = hist($heat_v0); } }',
    );
  });

  it('keys user stacks by pid (the recorder names their frames) and kernel stacks alone', () => {
    const user = addStackHistograms('k { @a = hist(x); }', { which: 'user', above: 0n });
    const kernel = addStackHistograms('k { @a = hist(x); }', { which: 'kernel', above: 0n });
    expect(hasUserStacks(user)).toBe(true);
    expect(hasUserStacks(kernel)).toBe(false);
    expect(kernel).toContain('@a__heat_stk[$heat_k0] = hist($heat_v0)');
    expect(stackKindsFromScript(user)).toEqual(new Map([['@a__heat_stk', ['user']]]));
    expect(stackKindsFromScript(kernel)).toEqual(new Map([['@a__heat_stk', ['kernel']]]));
  });

  it('books the stack in the second its histogram took, and drains it with the histograms', () => {
    const text = completeBpftraceProgram(syscallLatency.bpftrace, '--preset syscall-latency', {
      which: 'user',
      above: 1000n,
    });
    // One second per event: the companion reuses it.
    expect(text.match(/\$heat_s = \$heat_ns \/ 1000000000; if/g)).toHaveLength(1);
    expect(text.match(/\$heat_s = nsecs \/ 1000000000; if/g)).toHaveLength(1); // the drain
    expect(text).toContain(
      'if ($heat_keep) { if ($heat_s % 2 == 0) { @lat_us__heat_stk__heat_even[$heat_s, $heat_a0_0, pid, $heat_u0] = hist($heat_v0); }',
    );
    // Each drain empties last second's companion, forgets the keys taken, and says how many
    // events went past the budget so far; END clears the budget's maps.
    const drains = text.split('\n').filter((l) => /^(interval|END)/.test(l));
    expect(drains).toHaveLength(2);
    for (const drain of drains) {
      expect(drain).toContain(
        'print(@lat_us__heat_stk__heat_odd); clear(@lat_us__heat_stk__heat_odd);',
      );
      expect(drain).toContain(
        'clear(@lat_us__heat_seen); if (@heat_stk_over > 0) { printf("heat-tracer:stacks-over %lld\\n", @heat_stk_over); }',
      );
    }
    expect(drains[1]).toContain('clear(@heat_stk_at); clear(@heat_stk_n); clear(@heat_stk_over);');
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
    expect(rq.text).toContain('$heat_k0 = kstack(perf);');
    expect(rq.text).not.toContain('ustack');
    const custom = buildProgram('bpftrace', {
      expression: 'k { @a = hist(1); }',
      unit: 'ns',
      stacks: { above: { value: 2, unit: 'us' } },
    });
    expect(custom.stacks).toEqual({ which: 'user', above: 2000n });
  });
});
