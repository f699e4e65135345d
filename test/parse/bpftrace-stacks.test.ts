// Stack keys parsed from real bpftrace 0.17 output (test/fixtures/bpftrace-0.17/16-stacks-*),
// whole and in small chunks, and the frame names as stored.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Histogram } from '../../cli/model/snapshot.js';
import { BpftraceJsonParser } from '../../cli/parse/bpftrace-json.js';
import {
  keyArityFromScript,
  schemeHintsFromScript,
  stackKindsFromScript,
} from '../../cli/parse/bpftrace-keys.js';
import { frameName, splitStackKey, type UserFrameNamer } from '../../cli/parse/bpftrace-stacks.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/bpftrace-0.17/${name}`, import.meta.url), 'utf8');

/** The histograms of a fixture, fed in pieces of `chunk` characters, parsed as the recorder would. */
function stackHistograms(name: string, chunk: number, nameUser?: UserFrameNamer): Histogram[] {
  const script = fixture(`${name}.bt`);
  const parser = new BpftraceJsonParser(
    keyArityFromScript(script),
    schemeHintsFromScript(script),
    stackKindsFromScript(script),
    nameUser,
  );
  const text = fixture(`${name}.json`);
  const events = [];
  for (let i = 0; i < text.length; i += chunk)
    events.push(...parser.push(text.slice(i, i + chunk)));
  events.push(...parser.end());
  expect(events.filter((e) => e.type === 'skipped')).toEqual([]);
  return events.flatMap((e) => (e.type === 'histogram' ? [e.histogram] : []));
}

const byFrame = (hs: Histogram[], frame: string) => hs.filter((h) => h.frames?.includes(frame));

describe('bpftrace stack keys', () => {
  for (const chunk of [1 << 20, 7]) {
    it(`user then kernel frames, root first, offsets dropped (chunks of ${chunk})`, () => {
      const hs = stackHistograms('16-stacks-user-kernel', chunk);
      const slow = byFrame(hs, 'slow_path');
      expect(slow).toHaveLength(1);
      expect(slow[0]).toMatchObject({ aggregation: '@lat_us', key: ['two-path'], scheme: 'log2' });
      expect(slow[0]!.frames).toEqual([
        '__libc_start_call_main',
        'main',
        'slow_path',
        'clock_nanosleep',
        'entry_SYSCALL_64_after_hwframe_[k]',
        'do_syscall_64_[k]',
        'syscall_exit_work_[k]',
        '__traceiter_sys_exit_[k]',
      ]);
      // The slow path's 5 ms sleeps: every one in [4096, 8191] µs or above.
      expect(slow[0]!.buckets.every((b) => b.lo! >= 4096n)).toBe(true);
      expect(byFrame(hs, 'fast_path')[0]!.buckets.some((b) => b.hi! < 1024n)).toBe(true);
    });
  }

  it('an empty user stack (a kernel thread) leaves the kernel frames and the key', () => {
    const [idle] = stackHistograms('16-stacks-user-kernel', 64).filter(
      (h) => h.aggregation === '@idle',
    );
    expect(idle!.key).toEqual(['0']);
    expect(idle!.frames![0]).toBe('common_startup_64_[k]');
    expect(idle!.frames!.at(-1)).toBe('__schedule_[k]');
    expect(idle!.frames!.every((f) => f.endsWith('_[k]'))).toBe(true);
  });

  it("frames of a process gone before the print are addresses with bpftrace's unknown module", () => {
    const hs = stackHistograms('16-stacks-exited', 13);
    expect(hs).toHaveLength(2);
    for (const h of hs) {
      expect(h.key).toEqual(['two-path']);
      expect(h.frames).toHaveLength(4);
      for (const f of h.frames!) expect(f).toMatch(/^0x[0-9a-f]+ \(\[unknown\]\)$/);
    }
  });

  for (const chunk of [1 << 20, 5]) {
    it(`a pid-keyed key: the pid leaves the key and names the user frames bpftrace left as addresses (chunks of ${chunk})`, () => {
      const asked: [number, string][] = [];
      const hs = stackHistograms('16-stacks-pid', chunk, (pid, address) => {
        asked.push([pid, address]);
        return address.startsWith('7f') ? null : `fn_${address.slice(-3)}`;
      });
      const two = hs.filter((h) => h.aggregation === '@lat_us');
      expect(two).toHaveLength(2);
      // Every user frame of the two stacks was asked about, with the workload's pid.
      expect(new Set(asked.map(([pid]) => pid))).toEqual(new Set([4194]));
      expect(asked).toHaveLength(8);
      for (const h of two) {
        expect(h.key).toEqual(['two-path']);
        // Root first: libc's start (unnamed: null keeps bpftrace's text), then named frames, then
        // the wrapper, then the kernel's exit path.
        expect(h.frames![0]).toMatch(/^0x7f[0-9a-f]+ \(\[unknown\]\)$/);
        expect(h.frames![1]).toMatch(/^fn_[0-9a-f]{3}$/);
        expect(h.frames![2]).toMatch(/^fn_[0-9a-f]{3}$/);
        expect(h.frames!.at(-1)).toBe('__traceiter_sys_exit_[k]');
      }
      // The idle threads: pid 0, an empty user stack, nothing to name.
      const idle = hs.filter((h) => h.aggregation === '@idle');
      expect(idle.map((h) => h.key).sort()).toEqual([['0'], ['1']]);
      expect(idle.every((h) => h.frames!.every((f) => f.endsWith('_[k]')))).toBe(true);
    });
  }

  it('names frames the way FlameGraph folds them', () => {
    expect(
      frameName('\t7ff7 clock_nanosleep+35 (/usr/lib/x86_64-linux-gnu/libc.so.6)', 'user'),
    ).toBe('clock_nanosleep');
    expect(frameName('\t55eb 0x55eb (/tmp/two-path)', 'user')).toBe('0x55eb (two-path)');
    expect(frameName('\tffffffff8142513c syscall_exit_work+188', 'kernel')).toBe(
      'syscall_exit_work_[k]',
    );
    expect(frameName('    main+42', 'user')).toBe('main'); // plain ustack, no perf mode
  });

  it('splits keys with empty stacks and refuses a key without its stacks', () => {
    expect(splitStackKey('a,b,,', ['user', 'kernel'])).toEqual({
      rest: 'a,b',
      frames: ['[no stack]'],
    });
    expect(splitStackKey('a,\n\tf1 x+1 (m)\n,', ['user', 'kernel'])).toEqual({
      rest: 'a',
      frames: ['x'],
    });
    expect(splitStackKey('no-stack-here', ['user'])).toBeNull();
  });
});
