// Syscall numbers to names: the x86_64 table, rt_sigreturn's exits (reported as -1), and unknowns.

import { describe, expect, it } from 'vitest';
import { syscallName } from '../../cli/presets/syscall-names.js';

describe('syscallName', () => {
  it('names x86_64 numbers from the table', () => {
    expect(['0', '1', '15', '110', '202'].map((nr) => syscallName(nr, 'x64'))).toEqual([
      'read',
      'write',
      'rt_sigreturn',
      'getppid',
      'futex',
    ]);
  });

  it("names the -1 that raw_syscalls reports at rt_sigreturn's exit", () => {
    expect(syscallName('-1', 'x64')).toBe('rt_sigreturn');
  });

  it('keeps the number where it knows no name', () => {
    expect(syscallName('9999', 'x64')).toBe('syscall_9999');
    expect(syscallName('0', 'arm64')).toBe('syscall_0');
  });
});
