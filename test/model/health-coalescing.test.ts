// Repeated tracer messages of one second fold into one health row with the count summed.

import { describe, expect, it } from 'vitest';
import { coalesceHealth, messageShape } from '../../cli/model/health-coalescing.js';
import { parseDtraceStderrLine } from '../../cli/parse/dtrace-stderr.js';
import type { HealthEvent } from '../../cli/model/snapshot.js';

// What Linux DTrace 2.0 printed here for a script using vtimestamp (not implemented): one line
// per event, per probe (captured with `dtrace -q -n 'syscall::read:entry,syscall::write:entry
// { self->ts = vtimestamp; }'`: 11,750 and 28,645 such lines in one second).
const VTIMESTAMP_ERRORS = [
  'dtrace: error in dt_clause_0 for probe ID 3626 (syscall:vmlinux:read:entry): illegal operation at BPF pc 266',
  'dtrace: error in dt_clause_0 for probe ID 3626 (syscall:vmlinux:read:entry): illegal operation at BPF pc 266',
  'dtrace: error in dt_clause_1 for probe ID 3624 (syscall:vmlinux:write:entry): illegal operation at BPF pc 266',
];

describe('coalesceHealth', () => {
  it('folds a per-event error into one row per probe and message shape, keeping the first text', () => {
    const events = VTIMESTAMP_ERRORS.map((line) => parseDtraceStderrLine(line)!);
    expect(coalesceHealth(events)).toEqual([
      { kind: 'error', message: VTIMESTAMP_ERRORS[0], count: 2 },
      { kind: 'error', message: VTIMESTAMP_ERRORS[2], count: 1 },
    ]);
  });

  it('sums drop counts by kind and keeps different messages apart, in first-seen order', () => {
    const events: HealthEvent[] = [
      { kind: 'drop', message: 'dtrace: 12 drops on CPU 0', count: 12 },
      { kind: 'warning', message: 'dtrace: buffer size lowered to 2m', count: 1 },
      { kind: 'drop', message: 'dtrace: 3 drops on CPU 1', count: 3 },
      { kind: 'drop', message: 'dtrace: 5 dynamic variable drops', count: 5 },
    ];
    expect(coalesceHealth(events)).toEqual([
      { kind: 'drop', message: 'dtrace: 12 drops on CPU 0', count: 15 },
      { kind: 'warning', message: 'dtrace: buffer size lowered to 2m', count: 1 },
      { kind: 'drop', message: 'dtrace: 5 dynamic variable drops', count: 5 },
    ]);
    expect(events[0]!.count, 'the input is not changed').toBe(12);
  });

  it('blanks numbers and addresses only', () => {
    expect(messageShape('error at 0xdeadBEEF in action #12 on read:entry')).toBe(
      'error at @ in action ## on read:entry',
    );
  });
});
