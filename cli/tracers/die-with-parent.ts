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
 * A TERM-ed tracer also ignores SIGPIPE: once heat-record is gone, dtrace's END output (or a late
 * drop message) goes to a closed pipe, and SIGPIPE would kill it as surely as SIGKILL, uprobes left
 * behind; ignored, the write fails, dtrace says "Broken pipe" and exits in order (both measured).
 */
export type DeathSignal = 'KILL' | 'TERM';

/** `sh -c IGNORE_SIGPIPE command args...`: an ignored signal stays ignored across exec. */
const IGNORE_SIGPIPE = 'trap "" PIPE; exec "$0" "$@"';

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
export function dieWithParent(
  command: string,
  args: string[],
  platform: NodeJS.Platform = process.platform,
  signal: DeathSignal = 'KILL',
): Command {
  const setpriv = platform === 'linux' ? findExecutable('setpriv') : null;
  if (!setpriv) return { command, args };
  const run =
    signal === 'TERM' ? ['/bin/sh', '-c', IGNORE_SIGPIPE, command, ...args] : [command, ...args];
  return { command: setpriv, args: ['--pdeathsig', signal, '--', ...run] };
}
