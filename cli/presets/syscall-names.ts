// Linux syscall number -> name, from the x86_64 table shipped beside this file
// (syscalls-x86_64.tsv: unistd_64.h 0-450 plus 451-469 checked on a 6.18 kernel).

import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';

let table: Map<string, string> | null = null;

function loadTable(): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of readFileSync(packagePath('cli/presets/syscalls-x86_64.tsv'), 'utf8').split('\n')) {
    const [nr, name] = line.split('\t');
    if (nr && name && /^\d+$/.test(nr)) names.set(nr, name);
  }
  return names;
}

/**
 * The name of syscall `nr` on this machine's architecture; `syscall_<nr>` when unknown
 * (a newer kernel, another architecture, or -1 which raw_syscalls reports for some exits).
 */
export function syscallName(nr: string, arch: string = process.arch): string {
  if (arch === 'x64') {
    table ??= loadTable();
    const name = table.get(nr);
    if (name) return name;
  }
  return `syscall_${nr}`;
}
