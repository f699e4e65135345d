// Watches processes by pid on Linux: their children, and whether they still run. A process killed
// after its parent died is reparented, and a PID 1 that does not reap leaves it a zombie: dead
// (its probes and files released) although kill(pid, 0) still succeeds.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The pids of `parent`'s children named `name` (pgrep -P), or none. */
export function childPids(parent: number, name: string): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), name], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** True while the process runs: it exists and is neither a zombie (Z) nor dead (X). */
export function isRunning(pid: number): boolean {
  try {
    // "1234 (bpftrace) S 1 ...": the state follows the last ")" (a name may hold one).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
