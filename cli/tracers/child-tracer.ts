// Runs a tracer as a child process and turns its stdout into Snapshots: spawn -> parse ->
// intervals -> numbered seconds. Shared by the bpftrace and dtrace(1) tracers.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { HealthEvent } from '../model/snapshot.js';
import type { SnapshotAssembler, TraceParser } from '../parse/trace-event.js';
import { AsyncQueue } from './async-queue.js';
import { withDemangledFrames } from './demangled-frames.js';
import { dieWithParent, type DeathSignal } from './die-with-parent.js';
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
  /** A descriptor the tracer gets as its stdin (its program: program-stdin.ts); closed here once handed over. */
  stdin?: number;
  /** Why the tracer failed, made from its stderr lines; null: its last lines are shown. */
  describeFailure?: (stderr: readonly string[]) => string | null;
  /** What stop() sends. @default "SIGINT" */
  stopSignal?: NodeJS.Signals;
  /**
   * The tracer's output is over at its end marker: the run ends there, with the last second,
   * while the tracer goes on detaching its probes on its own (dtrace(1): up to a minute for the
   * syscall provider). It gets TERM, not KILL, if heat-record dies, and is not killed at exit.
   * @default false: the run ends when the tracer exits
   */
  endsAtEndMarker?: boolean;
  /** What the tracer gets if heat-record dies. @default TERM when endsAtEndMarker, else KILL */
  deathSignal?: DeathSignal;
}

/** The stderr lines shown when the tracer fails and nothing better describes it. */
const STDERR_TAIL = 6;
/** The stderr lines kept for describeFailure (compile errors come first, a few lines each). */
const STDERR_KEPT = 100;

export function runChildTracer(spec: ChildTracerSpec): TracerRun {
  // A process group of its own: a terminal Ctrl-C reaches only us, and we forward one SIGINT.
  const run = dieWithParent(
    spec.command,
    spec.args,
    process.platform,
    spec.deathSignal ?? (spec.endsAtEndMarker ? 'TERM' : 'KILL'),
  );
  // The cast: Node's typings know stdout and stderr are pipes only when stdin is not a descriptor.
  const child = spawn(run.command, run.args, {
    stdio: [spec.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: spec.env ?? process.env,
    detached: true,
  }) as ChildProcessByStdio<null, Readable, Readable>;
  if (spec.stdin !== undefined) closeSync(spec.stdin);
  const queue = new AsyncQueue<Snapshot>();
  const assembler = spec.assembler ?? new IntervalSnapshots();
  const stderrLines: string[] = [];
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let settle: (exit: TracerExit) => void = () => {};
  const exited = new Promise<TracerExit>((resolve) => (settle = resolve));
  let outputEnded = false;
  const emit = (events: ReturnType<TraceParser['push']>) => {
    for (const snapshot of assembler.push(events, Date.now())) queue.push(snapshot);
    if (spec.endsAtEndMarker && !outputEnded && events.some((e) => e.type === 'tick' && e.final))
      endAtMarker();
  };
  /** The last second is in: the run is over, and the tracer finishes detaching on its own. */
  const endAtMarker = () => {
    outputEnded = true;
    process.removeListener('exit', killOnExit);
    queue.close();
    settle({ ok: true, message: '' });
    child.unref();
    for (const pipe of [child.stdout, child.stderr]) (pipe as Socket).unref(); // spawn's pipes are sockets
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

  child.on('error', (err) => {
    queue.close();
    settle({ ok: false, message: `could not start ${spec.command}: ${err.message}` });
  });
  child.on('close', (code, signal) => {
    process.removeListener('exit', killOnExit);
    spec.cleanup?.();
    if (outputEnded) return;
    emit(spec.parser.end());
    for (const snapshot of assembler.end()) queue.push(snapshot);
    queue.close();
    const ok = code === 0;
    const why = signal ? `killed by ${signal}` : `exit status ${code}`;
    const described = ok ? null : spec.describeFailure?.(stderrLines);
    settle({
      ok,
      message: ok
        ? ''
        : (described ?? (stderrLines.slice(-STDERR_TAIL).filter(Boolean).join(' / ') || why)),
    });
  });

  let stopping = false;
  return {
    info: spec.info,
    // Stack frames are named from symbol tables: C++ names arrive mangled.
    snapshots: withDemangledFrames(queue),
    stop() {
      if (stopping || child.exitCode !== null) return;
      stopping = true;
      child.kill(spec.stopSignal ?? 'SIGINT');
    },
    exited,
  };
}
