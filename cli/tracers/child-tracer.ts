// Runs a tracer as a child process and turns its stdout into Snapshots: spawn -> parse ->
// intervals -> numbered seconds. Shared by the bpftrace and dtrace(1) tracers.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { HealthEvent } from '../model/snapshot.js';
import type { SnapshotAssembler, TraceParser } from '../parse/trace-event.js';
import { AsyncQueue } from './async-queue.js';
import { dieWithParent } from './die-with-parent.js';
import { IntervalSnapshots } from './interval-clock.js';
import type { TracerExit, TracerInfo, TracerRun } from './tracer.js';
import type { Snapshot } from '../model/snapshot.js';

export interface ChildTracerSpec {
  info: TracerInfo;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  parser: TraceParser;
  /** How parsed events become seconds. @default IntervalSnapshots (ticks cut the seconds) */
  assembler?: SnapshotAssembler;
  /** Classifies one stderr line: a health event, or null to ignore it. */
  stderrLine: (line: string) => HealthEvent | null;
  /** Called once the child has exited (e.g. to remove a temp script). */
  cleanup?: () => void;
  /** Why the tracer failed, made from its stderr lines; null: its last lines are shown. */
  describeFailure?: (stderr: readonly string[]) => string | null;
}

/** The stderr lines shown when the tracer fails and nothing better describes it. */
const STDERR_TAIL = 6;
/** The stderr lines kept for describeFailure (compile errors come first, a few lines each). */
const STDERR_KEPT = 100;

export function runChildTracer(spec: ChildTracerSpec): TracerRun {
  // A process group of its own: a terminal Ctrl-C reaches only us, and we forward one SIGINT.
  const run = dieWithParent(spec.command, spec.args);
  const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'], env: spec.env ?? process.env, detached: true });
  const queue = new AsyncQueue<Snapshot>();
  const assembler = spec.assembler ?? new IntervalSnapshots();
  const stderrLines: string[] = [];
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const emit = (events: ReturnType<TraceParser['push']>) => {
    for (const snapshot of assembler.push(events, Date.now())) queue.push(snapshot);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => emit(spec.parser.push(chunk)));
  createInterface({ input: child.stderr }).on('line', (line) => {
    const event = spec.stderrLine(line);
    if (!event) return;
    stderrLines.push(line.trim());
    if (stderrLines.length > STDERR_KEPT) stderrLines.shift();
    emit([{ type: 'health', event }]);
  });

  const exited = new Promise<TracerExit>((resolve) => {
    child.on('error', (err) => {
      queue.close();
      resolve({ ok: false, message: `could not start ${spec.command}: ${err.message}` });
    });
    child.on('close', (code, signal) => {
      process.removeListener('exit', killOnExit);
      emit(spec.parser.end());
      for (const snapshot of assembler.end()) queue.push(snapshot);
      queue.close();
      spec.cleanup?.();
      const ok = code === 0;
      const why = signal ? `killed by ${signal}` : `exit status ${code}`;
      const described = ok ? null : spec.describeFailure?.(stderrLines);
      resolve({ ok, message: ok ? '' : described ?? (stderrLines.slice(-STDERR_TAIL).filter(Boolean).join(' / ') || why) });
    });
  });

  let stopping = false;
  return {
    info: spec.info,
    snapshots: queue,
    stop() {
      if (stopping || child.exitCode !== null) return;
      stopping = true;
      child.kill('SIGINT');
    },
    exited,
  };
}
