// Real-DTrace tests of the libdtrace binding: skipped on a machine without DTrace, except under CI
// (process.env.CI), where a missing binding must fail loudly instead.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe } from 'vitest';
import type { LibdtraceConsumer, LibdtraceModule } from '../../cli/tracers/libdtrace-binding.js';
import { ADDON_PATH } from '../../cli/tracers/libdtrace-prerequisites.js';
import { findExecutable } from '../../cli/tracers/find-executable.js';

/** True where the tests can run: root, dtrace(1) installed and the binding built. */
export const dtraceHere =
  process.geteuid?.() === 0 && findExecutable('dtrace') !== null && existsSync(ADDON_PATH);

/** describe, or describe.skip outside CI when DTrace is not here. */
export const describeWithDtrace = dtraceHere || process.env.CI ? describe : describe.skip;

/** The built binding, loaded directly (a missing one throws, which under CI fails the test). */
export function binding(): LibdtraceModule {
  return createRequire(import.meta.url)(ADDON_PATH) as LibdtraceModule;
}

/** Runs fn with a new consumer and closes it afterwards, so the next test can trace. */
export async function withConsumer<T>(fn: (dtp: LibdtraceConsumer) => T | Promise<T>): Promise<T> {
  const dtp = new (binding().Consumer)();
  try {
    return await fn(dtp);
  } finally {
    dtp.closeSync();
  }
}

/** Calls step() every intervalMs until it returns true: waits on DTrace's data, not on a clock. */
export async function until(step: () => boolean, intervalMs = 100): Promise<void> {
  while (!step()) await new Promise((r) => setTimeout(r, intervalMs));
}

/**
 * BPF objects now on the system, by id ("prog:12", "map:7", "link:3"), from bpftool when installed,
 * else from the bpf-prog/bpf-map/bpf-link fds every process holds (/proc/PID/fdinfo).
 */
export function bpfObjects(): Set<string> {
  const bpftool = findExecutable('bpftool');
  if (bpftool) {
    const ids = new Set<string>();
    for (const kind of ['prog', 'map', 'link']) {
      const list = JSON.parse(
        execFileSync(bpftool, ['-j', kind, 'show'], { encoding: 'utf8' }) || '[]',
      ) as { id: number }[];
      for (const o of list) ids.add(`${kind}:${o.id}`);
    }
    return ids;
  }
  return bpfObjectsFromProc();
}

function bpfObjectsFromProc(): Set<string> {
  const ids = new Set<string>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fdinfo`);
    } catch {
      continue; // the process has gone
    }
    for (const fd of fds) {
      try {
        const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
        const m = /^(prog_id|map_id|link_id):\s+(\d+)/m.exec(info);
        if (m) ids.add(`${m[1]!.replace('_id', '')}:${m[2]}`);
      } catch {
        // closed meanwhile
      }
    }
  }
  return ids;
}
