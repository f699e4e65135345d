// Linux syscall number -> name, from the x86_64 table shipped beside this file
// (syscalls-x86_64.tsv: unistd_64.h 0-450 plus 451-469 checked on a 6.18 kernel).

import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';

let table: Map<string, string> | null = null;

function loadTable(): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of readFileSync(packagePath('cli/presets/syscalls-x86_64.tsv'), 'utf8').split(
    '\n',
  )) {
    const [nr, name] = line.split('\t');
    if (nr && name && /^\d+$/.test(nr)) names.set(nr, name);
  }
  return names;
}

/**
 * raw_syscalls:sys_exit reads the number from the registers on the way out, and rt_sigreturn
 * restores them with the number cleared (orig_ax = -1, so a restored context never restarts a
 * syscall): its exits report -1. Measured here: 17 entries as 15, 17 exits as -1, none as 15.
 */
const CLEARED_ON_EXIT = '-1';

/**
 * The name of syscall `nr` on this machine's architecture (-1 at exit is rt_sigreturn, see
 * above); `syscall_<nr>` when unknown (a newer kernel, another architecture).
 */
export function syscallName(nr: string, arch: string = process.arch): string {
  if (nr === CLEARED_ON_EXIT) return 'rt_sigreturn';
  if (arch === 'x64') {
    table ??= loadTable();
    const name = table.get(nr);
    if (name) return name;
  }
  return `syscall_${nr}`;
}
