// Real dtrace(1), as root: Ctrl-C (SIGINT) or SIGTERM to heat-record finalizes the recording at
// once, while dtrace goes on detaching its probes. The script uses the whole syscall provider
// (~720 probes: ~5 s to attach, ~60 s to detach), so the detach is slow enough to be seen; then
// dtrace must exit on its own and leave no uprobes (dt_<pid>_dtrace/BEGIN) or BPF programs behind.
// The same after a kill -9 of heat-record, when dtrace's END output meets a closed pipe.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import {
  finished,
  firstSecondRecorded,
  startCli,
  waitFor,
  type CliResult,
} from '../helpers/cli.js';
import { childPids, isRunning } from '../helpers/processes.js';
import { describeWithDtrace } from '../helpers/real-dtrace.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const SLOW_DETACH =
  'syscall:::entry { self->ts = timestamp; } syscall:::return /self->ts/ { @lat_ns[probefunc] = quantize(timestamp - self->ts); self->ts = 0; }';
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

interface Stopped {
  result: CliResult;
  /** ms from the signal to heat-record's exit. */
  stopMs: number;
  dtracePid: number;
  dtraceRanAfterExit: boolean;
  /** The BPF programs dtrace held open while it ran. */
  progIds: number[];
  db: Database.Database;
}

/** ids of the BPF programs a process holds open (its fds on anon_inode:bpf-prog, per fdinfo). */
function bpfProgramIds(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== 'anon_inode:bpf-prog') continue;
      const m = /^prog_id:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
      if (m) ids.push(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return ids;
}

function programExists(id: number): boolean {
  try {
    execFileSync('bpftool', ['prog', 'show', 'id', String(id)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function recordAndStop(signal: NodeJS.Signals): Promise<Stopped> {
  const path = tmp(`${signal}.db`);
  const child = startCli([
    '-o',
    path,
    '--tracer',
    'dtrace',
    '-e',
    SLOW_DETACH,
    '--unit',
    'ns',
    '--quiet',
  ]);
  let exitedMs = 0;
  child.on('exit', () => (exitedMs = Date.now()));
  const done = finished(child);
  await firstSecondRecorded(path);
  const [dtracePid] = childPids(child.pid!, 'dtrace');
  const progIds = bpfProgramIds(dtracePid!);
  const signalMs = Date.now();
  child.kill(signal);
  const result = await done;
  return {
    result,
    stopMs: exitedMs - signalMs,
    dtracePid: dtracePid!,
    dtraceRanAfterExit: isRunning(dtracePid!),
    progIds,
    db: new Database(path, { readonly: true }),
  };
}

describeWithDtrace('stopping heat-record while dtrace detaches (real Linux DTrace, root)', () => {
  const stopped = {} as Record<(typeof SIGNALS)[number], Stopped>;

  beforeAll(async () => {
    const runs = await Promise.all(SIGNALS.map((signal) => recordAndStop(signal)));
    SIGNALS.forEach((signal, i) => (stopped[signal] = runs[i]!));
  }, 180_000);

  it.each(SIGNALS)(
    '%s: the recording is complete, with its end time, within 2 s, while dtrace still runs',
    (signal) => {
      const { result, stopMs, dtraceRanAfterExit, db } = stopped[signal];
      expect(result.code, result.stderr).toBe(0);
      const meta = Object.fromEntries(
        (
          db
            .prepare("SELECT key, value FROM meta WHERE key IN ('status', 'end_ms', 'end_reason')")
            .all() as { key: string; value: string }[]
        ).map((r) => [r.key, r.value]),
      );
      expect(meta).toMatchObject({ status: 'complete', end_reason: 'interrupted' });
      const last = db
        .prepare('SELECT wall_ms AS wallMs, partial FROM second ORDER BY t DESC LIMIT 1')
        .get() as { wallMs: number; partial: number };
      expect(last.partial).toBe(1);
      expect(Number(meta.end_ms)).toBe(last.wallMs); // the partial last second ends at the stop
      expect(stopMs, `${signal} to exit: ${stopMs} ms`).toBeLessThan(2000);
      expect(dtraceRanAfterExit, 'dtrace was still detaching when heat-record exited').toBe(true);
    },
  );

  it('dtrace then exits on its own, leaving no uprobes and none of its BPF programs', async () => {
    for (const { dtracePid } of Object.values(stopped))
      await waitFor(() => !isRunning(dtracePid), 170_000, `dtrace ${dtracePid} to exit`);
    const uprobes = readFileSync('/sys/kernel/tracing/uprobe_events', 'utf8');
    for (const { dtracePid, progIds } of Object.values(stopped)) {
      expect(uprobes).not.toContain(`dt_${dtracePid}_`);
      expect(progIds.length, 'dtrace held BPF programs while it ran').toBeGreaterThan(0);
      expect(progIds.filter(programExists)).toEqual([]);
    }
  }, 180_000);
});

describeWithDtrace('heat-record killed with -9 (real Linux DTrace, root)', () => {
  it('dtrace gets TERM, meets a closed pipe at END, and still exits in order: no uprobes left', async () => {
    const path = tmp('killed.db');
    // ~1,000 keys a second: END prints well over a stdio buffer, so dtrace writes to the closed
    // pipe before its cleanup (a few keys may sit in the buffer until exit, after the cleanup).
    const manyKeys = 'rawtp:raw_syscalls::sys_enter { @x[timestamp % 997] = quantize(arg1); }';
    const child = startCli([
      '-o',
      path,
      '--tracer',
      'dtrace',
      '-e',
      manyKeys,
      '--unit',
      'count',
      '--quiet',
    ]);
    const done = finished(child);
    await firstSecondRecorded(path);
    const [dtracePid] = childPids(child.pid!, 'dtrace');
    expect(dtracePid, 'dtrace runs as a child of heat-record').toBeDefined();
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    await waitFor(() => !isRunning(dtracePid!), 60_000, `dtrace ${dtracePid} to exit`);
    // SIGPIPE would have killed it before its cleanup (die-with-parent.ts), leaving dt_<pid>_dtrace/BEGIN and END.
    expect(readFileSync('/sys/kernel/tracing/uprobe_events', 'utf8')).not.toContain(
      `dt_${dtracePid}_`,
    );
  }, 120_000);
});
