// The end of a recording stopped by a signal is the signal's time, not when the tracer got round
// to printing its last partial second (bpftrace: 136-164 ms later, once its probes are detached).
// In-process, with a tracer double and a clock the test moves, so nothing depends on the machine.

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { record } from '../../cli/record/recorder.js';
import { AsyncQueue } from '../../cli/tracers/async-queue.js';
import type { Snapshot } from '../../cli/model/snapshot.js';
import type { Tracer, TracerExit, TracerRun } from '../../cli/tracers/tracer.js';
import { hist } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
/** How long the tracer double takes, after stop(), to print its last partial second. */
const DETACH_MS = 150;

/** A tracer whose seconds the test pushes; after stop() it prints the partial second DETACH_MS later. */
function tracerDouble(): { tracer: Tracer; queue: AsyncQueue<Snapshot> } {
  const queue = new AsyncQueue<Snapshot>();
  let exit: (e: TracerExit) => void = () => {};
  const run: TracerRun = {
    info: { name: 'synthetic', version: 'double' },
    snapshots: queue,
    exited: new Promise((resolve) => (exit = resolve)),
    stop() {
      queueMicrotask(() => {
        vi.setSystemTime(Date.now() + DETACH_MS);
        queue.push({
          t: 3,
          wallMs: Date.now(),
          histograms: [hist(['a'], [[1, 1, 5]])],
          health: [],
          partial: true,
        });
        queue.close();
        exit({ ok: true, message: '' });
      });
    },
  };
  const tracer: Tracer = {
    name: 'synthetic',
    preflight: async () => run.info,
    start: async () => run,
  };
  return { tracer, queue };
}

afterEach(() => vi.useRealTimers());

describe('a recording stopped by a signal', () => {
  it('ends its partial last second, and the recording, at the signal', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const { tracer, queue } = tracerDouble();
    const path = tmp('stopped.db');
    let stop: () => void = () => {};
    let signalMs = 0;
    const done = record({
      output: path,
      force: false,
      tracer,
      program: { preset: 'test', unit: 'us', text: '# test' },
      commandLine: ['test'],
      onStarted: (s) => (stop = s),
      onSecond: (s) => {
        if (s.t < 2) return;
        vi.setSystemTime(T0 + 3400); // the signal comes 0.4 s into second 3
        signalMs = Date.now();
        stop();
      },
    });
    for (let t = 0; t < 3; t++) {
      vi.setSystemTime(T0 + (t + 1) * 1000);
      queue.push({
        t,
        wallMs: Date.now(),
        histograms: [hist(['a'], [[1, 1, 10]])],
        health: [],
        partial: false,
      });
    }
    const result = await done;
    expect(result.endReason).toBe('interrupted');
    const db = new Database(path, { readonly: true });
    const last = db.prepare('SELECT t, wall_ms, partial FROM second ORDER BY t DESC LIMIT 1').get();
    const endMs = (
      db.prepare("SELECT value FROM meta WHERE key = 'end_ms'").get() as { value: string }
    ).value;
    db.close();
    expect(last).toEqual({ t: 3, wall_ms: signalMs, partial: 1 });
    expect(Number(endMs)).toBe(signalMs);
  });
});
