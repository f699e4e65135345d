import { describe, expect, it } from 'vitest';
import { completeBpftraceProgram, histogramMaps, keyBySecond } from '../../cli/tracers/bpftrace-program.js';
import { syscallLatency } from '../../cli/presets/syscall-latency.js';

describe('completeBpftraceProgram', () => {
  it('keys every histogram by the kernel second, keyed or not', () => {
    expect(keyBySecond('k { @a[comm, pid] = hist(1); @ = lhist(2, 0, 10, 1); @b=hist(3); }')).toBe(
      'k { @a[nsecs / 1000000000, comm, pid] = hist(1); @[nsecs / 1000000000] = lhist(2, 0, 10, 1); @b[nsecs / 1000000000]=hist(3); }');
  });

  it('drains every histogram once a second and clears helper maps at exit', () => {
    const text = completeBpftraceProgram(syscallLatency.bpftrace);
    expect(histogramMaps(syscallLatency.bpftrace)).toEqual(['@lat_us']);
    expect(text).toContain('@lat_us[nsecs / 1000000000, args->id] = hist(');
    expect(text).toMatch(/interval:s:1 \{ print\(@lat_us\); clear\(@lat_us\); printf\("heat-tracer:tick %lld\\n", nsecs\);/);
    expect(text).toMatch(/END \{ print\(@lat_us\); clear\(@lat_us\); clear\(@start\); clear\(@heat_tracer_next_tick_ns\); printf\("heat-tracer:end/);
    expect(text).toMatch(/BEGIN \{ printf\("heat-tracer:start %lld\\n", nsecs\);/);
  });

  it('ignores maps mentioned only in comments', () => {
    expect(histogramMaps('// @old = hist(1)\nk { @new = hist(2); }')).toEqual(['@new']);
  });
});
