// Stack companions parsed from real Linux DTrace 2.0 output (test/fixtures/dtrace-linux/stacks-*),
// whole and in small chunks, through the recorder's second-keyed assembler: the frames as stored,
// and each second's stack counts against its histogram's.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { dtraceFrameNames } from '../../cli/parse/dtrace-frames.js';
import { parseStacksMarker, splitStackKey } from '../../cli/parse/dtrace-stack-tables.js';
import { DtraceTextParser } from '../../cli/parse/dtrace-text.js';
import { SecondKeyedAssembler } from '../../cli/parse/second-keyed-assembler.js';
import type { TraceEvent } from '../../cli/parse/trace-event.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/dtrace-linux/${name}`, import.meta.url), 'utf8');

/** The events of a fixture fed in pieces of `chunk` characters, as the dtrace tracer parses it. */
function events(name: string, aggregation: string, chunk: number, stacks = true): TraceEvent[] {
  const parser = new DtraceTextParser({ aggregations: [aggregation], stacks });
  const text = fixture(`${name}.txt`);
  const out: TraceEvent[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...parser.push(text.slice(i, i + chunk)));
  out.push(...parser.end());
  expect(out.filter((e) => e.type === 'skipped')).toEqual([]);
  return out;
}

function seconds(name: string, aggregation: string, chunk: number): Snapshot[] {
  return new SecondKeyedAssembler().push(events(name, aggregation, chunk), 0);
}

const total = (hs: readonly Histogram[], atLeast = 0n) =>
  hs.flatMap((h) => h.buckets).reduce((n, b) => n + (b.lo! >= atLeast ? b.count : 0n), 0n);

describe('dtrace stack companions', () => {
  for (const chunk of [1 << 20, 7]) {
    it(`user then kernel frames, root first, the probe's BPF frames gone (chunks of ${chunk})`, () => {
      const snaps = seconds('stacks-user-kernel', '@lat_us', chunk);
      const stacks = snaps.flatMap((s) => s.stacks ?? []);
      expect(stacks.length).toBeGreaterThanOrEqual(4);
      for (const h of stacks) {
        expect(h).toMatchObject({ aggregation: '@lat_us', key: ['two-path'], scheme: 'log2' });
        expect(h.frames!.slice(1, 4)).toEqual(['main', 'slow_path', 'clock_nanosleep']);
        expect(h.frames![0]).toBe('0x7f2fb0d8324a (libc.so.6)'); // module, no symbol
        expect(h.frames!.slice(4, 7)).toEqual([
          'entry_SYSCALL_64_after_hwframe_[k]',
          'do_syscall_64_[k]',
          'syscall_exit_work_[k]',
        ]);
        expect(h.frames!.slice(7).every((f) => f === '__traceiter_sys_exit_[k]')).toBe(true);
        expect(h.buckets.every((b) => b.lo! >= 4096n)).toBe(true);
      }
    });
  }

  it('in every second, the stack counts at or above 1 ms are the histogram counts there', () => {
    const snaps = seconds('stacks-user-kernel', '@lat_us', 64);
    const withStacks = snaps.filter((s) => s.stacks);
    expect(withStacks.length).toBe(4);
    for (const s of withStacks) {
      expect(total(s.stacks!)).toBe(total(s.histograms, 1024n));
      expect(total(s.stacks!)).toBeGreaterThan(0n);
    }
  });

  it('frames of a process gone before the print are bare addresses', () => {
    const stacks = events('stacks-exited', '@lat_us', 13).flatMap((e) =>
      e.type === 'histogram' && e.histogram.frames ? [e.histogram] : [],
    );
    expect(stacks).toHaveLength(2);
    for (const h of stacks) {
      expect(h.key.slice(1)).toEqual(['two-path']);
      expect(h.frames).toHaveLength(4);
      for (const f of h.frames!) expect(f).toMatch(/^0x[0-9a-f]+$/);
    }
  });

  it("an empty user stack (the idle task) leaves the kernel frames and the key's CPU", () => {
    const stacks = seconds('stacks-kernel-thread', '@sw', 29).flatMap((s) => s.stacks ?? []);
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    for (const h of stacks) {
      expect(['0', '1']).toContain(h.key[0]);
      expect(h.frames!.every((f) => f.endsWith('_[k]'))).toBe(true);
      expect(h.frames!.at(-1)).toBe('__schedule_[k]');
    }
    expect(stacks.map((h) => h.frames![0])).toContain('common_startup_64_[k]');
  });

  it('without `stacks` (heat-record import) the companions are passed over', () => {
    const hs = events('stacks-user-kernel', '@lat_us', 1 << 20, false).flatMap((e) =>
      e.type === 'histogram' ? [e.histogram] : [],
    );
    expect(hs.length).toBe(4);
    expect(hs.every((h) => h.frames === undefined)).toBe(true);
  });
});

describe('dtrace stack keys and frames', () => {
  it('reads the marker line', () => {
    expect(parseStacksMarker('heat-tracer:stacks @lat_us user+kernel')).toEqual({
      aggregation: '@lat_us',
      kinds: ['user', 'kernel'],
    });
    expect(parseStacksMarker('heat-tracer:stacks @ kernel')).toEqual({
      aggregation: '@',
      kinds: ['kernel'],
    });
    expect(parseStacksMarker('heat-tracer:stacks @lat both')).toBeNull();
  });

  it('refuses lines that do not hold the stacks named', () => {
    const key = ['', '  5  sh', '    libc.so.6`read+0xd', ''];
    expect(splitStackKey(key, ['user'])).toEqual({ key: ['5', 'sh'], frames: ['read'] });
    expect(splitStackKey(key, ['user', 'kernel'])).toBeNull(); // one blank line short
    expect(splitStackKey(['', ''], ['user'])).toBeNull(); // no key line
    expect(splitStackKey(['  5', '', ''], ['user', 'kernel'])).toEqual({
      key: ['5'],
      frames: ['[no stack]'],
    });
  });

  it('names frames as the bpftrace path stores them', () => {
    expect(
      dtraceFrameNames(
        ['two-path`fast_path+0xe', 'two-path`main', 'libc.so.6`0x7f85d25b824a', '0x5623611591b1'],
        'user',
      ),
    ).toEqual(['0x5623611591b1', '0x7f85d25b824a (libc.so.6)', 'main', 'fast_path']);
    // Only the leaf's BPF machinery goes; an unnamed frame deeper in stays.
    expect(
      dtraceFrameNames(
        [
          '0xffffffffc0299301',
          'vmlinux`bpf_trace_run4+0x10d',
          'vmlinux`__schedule+0x628',
          '0xffffffffc0001234',
        ],
        'kernel',
      ),
    ).toEqual(['0xffffffffc0001234_[k]', '__schedule_[k]']);
    expect(dtraceFrameNames(['0xffffffffc0299301'], 'kernel')).toEqual(['0xffffffffc0299301_[k]']);
  });
});
