// A small file system of its own for a test file (a tmpfs, as root), to fill up on purpose.

import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { afterAll } from 'vitest';

/** Mounts a tmpfs of `bytes` at `dir` (created), unmounted after the test file. Returns dir. */
export function useSmallDisk(dir: string, bytes: number): string {
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  afterAll(() => execFileSync('umount', ['--lazy', dir]));
  return dir;
}
