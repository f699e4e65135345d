// Which script a tracer gets: the Linux D of a preset for DTrace on Linux with its key names, and
// a one-line refusal of what Linux DTrace cannot run.

import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/record/program-source.js';
import { PRESETS } from '../../cli/presets/presets.js';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';
import { linuxDtraceWarnings } from '../../cli/tracers/dtrace-program.js';

describe.runIf(process.platform === 'linux')('buildProgram on Linux', () => {
  it('gives dtrace the raw_syscalls D script keyed by second and split by its parity, and names syscall numbers', () => {
    const program = buildProgram('dtrace', { preset: 'syscall-latency' });
    expect(program.text).toContain('rawtp:raw_syscalls::sys_exit');
    expect(program.text).toContain(
      '@lat_us__heat_even[this->heat_s, self->nr] = quantize((this->heat_t - self->ts) / 1000);',
    );
    expect(program.mapKey?.(['0'])).toEqual(['read']);
    expect(syscallLatency.dtrace).toContain('syscall:::entry'); // the illumos/macOS script is kept
  });

  it('refuses vtimestamp in a D script, naming the flag', () => {
    const script =
      'syscall::read:entry { self->ts = vtimestamp; } syscall::read:return /self->ts/ { @a = quantize(vtimestamp - self->ts); }';
    expect(() => buildProgram('dtrace', { expression: script })).toThrow(
      'the D script given with -e uses vtimestamp, which Linux DTrace 2.0 does not implement',
    );
    expect(() =>
      buildProgram('dtrace', {
        expression: '/* vtimestamp */ syscall::read:entry { @a = quantize(timestamp); }',
      }),
    ).not.toThrow();
  });

  it('warns, once per array, about a D script that deletes associative array elements', () => {
    const script = `syscall::read:entry { ts[pid] = timestamp; self->k[tid] = 1; }
syscall::read:return /ts[pid]/ { @a = quantize(timestamp - ts[pid]); ts[pid] = 0; self->k[tid] = 0 }
syscall::write:return /ts[pid] == 0/ { ts[pid] =0; self->ts = 0; m[1] = 0x10; /* n[1] = 0; */ }`;
    const warnings = buildProgram('dtrace', { expression: script }).warnings;
    expect(warnings).toHaveLength(2);
    expect(warnings![0]).toMatch(
      /^the D script given with -e deletes elements of ts\[\] \(sets them to 0\)/,
    );
    expect(warnings![1]).toContain('deletes elements of self->k[]');
    expect(
      buildProgram('bpftrace', {
        expression: 'tracepoint:raw_syscalls:sys_exit { @a[1] = 0; @h = hist(1); }',
      }).warnings,
    ).toBeUndefined();
  });

  it("warns about none of the presets' Linux D (they mark finished elements with 1)", () => {
    for (const preset of PRESETS)
      expect(linuxDtraceWarnings(preset.dtraceLinux, preset.name)).toEqual([]);
    expect(linuxDtraceWarnings('io:::done { start[arg0] = 0; }', 'x')).toHaveLength(1);
  });

  it("--stacks: dtrace takes the preset's stacks above the threshold in its unit; libdtrace refuses in one line", () => {
    const program = buildProgram('dtrace', {
      preset: 'block-io-latency',
      stacks: { above: { value: 1, unit: 'ms' } },
    });
    expect(program.stacks).toEqual({ which: 'kernel', above: 1000n });
    expect(program.text).toMatch(/__heat_stk__heat_even\[[^\]]*, stack\(\)\] = quantize/);
    expect(program.text).toContain('>= 1000/');
    expect(() =>
      buildProgram('libdtrace', {
        preset: 'syscall-latency',
        stacks: { above: { value: 0, unit: null } },
      }),
    ).toThrow('--stacks is not available with --tracer libdtrace');
  });
});
