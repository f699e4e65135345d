// Makes a tracer die with heat-record, even after a kill -9 that leaves no time to stop it.
// On Linux the tracer is started as `setpriv --pdeathsig KILL -- bpftrace ...` (util-linux,
// present on every Debian/Ubuntu/Fedora): the kernel sends SIGKILL when the thread that forked
// it exits. Node forks children from its main thread, which lives as long as the process, so
// the signal comes when heat-record dies and not before. Without this, an orphaned bpftrace keeps
// its probes attached until it next fails to write its output (1.3-2.9 s measured; forever for
// a tracer that prints nothing).

import { findExecutable } from './find-executable.js';

/**
 * KILL for bpftrace. TERM for dtrace(1): Linux DTrace registers its BEGIN/END uprobes in tracefs
 * and removes them only on an orderly exit (a SIGKILL leaves `dt_<pid>_dtrace/BEGIN` behind in
 * /sys/kernel/tracing/uprobe_events), and it may still be detaching probes when heat-record exits.
 */
export type DeathSignal = 'KILL' | 'TERM';

export interface Command {
  command: string;
  args: string[];
}

/**
 * The command line that runs `command args` so that it is killed when this process dies; the
 * same command where no such wrapper exists (not Linux, or no setpriv).
 * @param platform @default process.platform
 * @param signal what the tracer gets when heat-record dies @default "KILL"
 */
export function dieWithParent(command: string, args: string[], platform: NodeJS.Platform = process.platform, signal: DeathSignal = 'KILL'): Command {
  const setpriv = platform === 'linux' ? findExecutable('setpriv') : null;
  if (!setpriv) return { command, args };
  return { command: setpriv, args: ['--pdeathsig', signal, '--', command, ...args] };
}
