import { describe, expect, it } from 'vitest';
import { completeBpftraceProgram, histogramMaps } from '../../cli/tracers/bpftrace-program.js';
import { baseAggregation, splitBySecond } from '../../cli/tracers/bpftrace-second-maps.js';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';

describe('completeBpftraceProgram', () => {
  it('keys every histogram by the kernel second and splits it by parity, keyed or not', () => {
    const split = (keys: string) =>
      `$heat_ns = nsecs; $heat_s = $heat_ns / 1000000000; if ($heat_s % 2 == 0) { @a__heat_even[${keys}] = hist(f(1, "x)")); } else { @a__heat_odd[${keys}] = hist(f(1, "x)")); }`;
    expect(splitBySecond('k { @a[comm, pid] = hist(f(1, "x)")); @c = count(); }')).toBe(
      `k { ${split('$heat_s, comm, pid')} @c = count(); }`,
    );
    expect(splitBySecond('k { @a = hist(f(1, "x)")) }')).toBe(`k { ${split('$heat_s')} }`);
    expect(splitBySecond('k { @l = lhist(x, 0, 100, 10); }')).toContain(
      '@l__heat_odd[$heat_s] = lhist(x, 0, 100, 10);',
    );
    expect(baseAggregation('@a__heat_even')).toBe('@a');
    expect(baseAggregation('@a__heat_odd')).toBe('@a');
    expect(baseAggregation('@plain')).toBe('@plain');
  });

  it("reads the clock once per statement: the user's nsecs is the one the second comes from", () => {
    const split = splitBySecond(
      'k { @a[nsecs / 1000000] = hist(nsecs - @s[tid] + $nsecs_x + @nsecs, "nsecs", my_nsecs); }',
    );
    expect(split).toContain(
      '@a__heat_even[$heat_s, $heat_ns / 1000000] = hist($heat_ns - @s[tid] + $nsecs_x + @nsecs, "nsecs", my_nsecs);',
    );
    const code = split.replace(/"[^"]*"/g, '""');
    expect(code.match(/(?<![\w$@])nsecs(?!\w)/g)).toHaveLength(1); // $heat_ns = nsecs
  });

  it('drains every histogram once a second, early in the second, and clears helper maps at exit', () => {
    const text = completeBpftraceProgram(syscallLatency.bpftrace);
    expect(histogramMaps(syscallLatency.bpftrace)).toEqual(['@lat_us']);
    expect(text).toContain(
      '@lat_us__heat_odd[$heat_s, args->id] = hist(($heat_ns - @start[tid]) / 1000);',
    );
    expect(text).toContain(
      'interval:ms:10 /nsecs / 1000000000 != @heat_tracer_drained_s && nsecs % 1000000000 >= 20000000/ { ' +
        '$heat_s = nsecs / 1000000000; if ($heat_s % 2 == 0) { print(@lat_us__heat_odd); clear(@lat_us__heat_odd); } else { print(@lat_us__heat_even); clear(@lat_us__heat_even); } ' +
        'printf("heat-tracer:tick %lld\\n", nsecs); @heat_tracer_drained_s = nsecs / 1000000000; }',
    );
    expect(text).toContain(
      'END { print(@lat_us__heat_even); clear(@lat_us__heat_even); print(@lat_us__heat_odd); clear(@lat_us__heat_odd); clear(@start); clear(@heat_tracer_drained_s); printf("heat-tracer:end',
    );
    expect(text).toMatch(/BEGIN \{ printf\("heat-tracer:start %lld\\n", nsecs\);/);
    expect(text.match(/^interval:/gm)).toHaveLength(1); // one drain probe: no second to race it
  });

  it('ignores maps mentioned only in comments', () => {
    expect(histogramMaps('// @old = hist(1)\nk { @new = hist(2); }')).toEqual(['@new']);
  });
});
