// bpftrace attaches tracepoints through tracefs. Some machines boot without it mounted; as root
// we mount it (and say so), otherwise explain what to run.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HeatError } from '../model/heat-error.js';

const MOUNTS = [
  { dir: '/sys/kernel/tracing', type: 'tracefs', source: 'nodev' },
  { dir: '/sys/kernel/debug', type: 'debugfs', source: 'nodev' },
];

/** True when tracepoint event formats are readable. */
export function tracefsMounted(): boolean {
  return existsSync('/sys/kernel/tracing/events') || existsSync('/sys/kernel/debug/tracing/events');
}

/** Mounts tracefs (and debugfs, which bpftrace 0.17 also reads) when missing. */
export function ensureTracefs(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): void {
  if (tracefsMounted()) return;
  for (const m of MOUNTS) {
    if (existsSync(`${m.dir}/events`) || existsSync(`${m.dir}/tracing`)) continue;
    try {
      execFileSync('mount', ['-t', m.type, m.source, m.dir], { stdio: 'ignore' });
      log(`heat-record: mounted ${m.type} at ${m.dir} (bpftrace needs it for tracepoints)`);
    } catch {
      // Try the next one; the check below decides.
    }
  }
  if (!tracefsMounted()) {
    throw new HeatError(
      'tracefs is not mounted and could not be mounted',
      'run: sudo mount -t tracefs nodev /sys/kernel/tracing',
    );
  }
}
