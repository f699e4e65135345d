// The recording loop: tracer -> snapshot -> store (-> live listeners), one commit per second,
// and the guarantees around it: a clean end on stop, the partial last second kept, nothing
// committed ever lost, no empty file left behind when the tracer never started.

import type { EndReason } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Snapshot } from '../model/snapshot.js';
import { RecordingWriter, removeRecordingFiles } from '../store/recording-writer.js';
import type { Program, Tracer, TracerExit, TracerRun } from '../tracers/tracer.js';
import { newRecordingMeta } from './recording-meta.js';
import type { StatusLine } from './status-line.js';

export interface RecordOptions {
  output: string;
  force: boolean;
  tracer: Tracer;
  program: Program;
  /** Stop after this many seconds are recorded. */
  durationS?: number;
  /** argv as typed, stored in the recording. */
  commandLine: string[];
  status?: StatusLine;
  /** Called after each second is committed (live streaming). */
  onSecond?: (snapshot: Snapshot) => void;
  /** Called once the run has started, with a function that stops it (for signal handlers). */
  onStarted?: (stop: () => void) => void;
  /** Called once the recording file exists, before the tracer starts (to serve it live). */
  onCreated?: () => Promise<void>;
}

export interface RecordResult {
  seconds: number;
  endReason: EndReason;
  tracerExit: TracerExit;
}

/** Records until the duration, a stop() or the tracer's exit. Throws HeatError on failure. */
export async function record(options: RecordOptions): Promise<RecordResult> {
  const info = await options.tracer.preflight();
  const writer = RecordingWriter.create(
    options.output,
    newRecordingMeta(options.program, info, options.commandLine),
    { force: options.force },
  );
  let run: TracerRun;
  try {
    await options.onCreated?.();
    run = await options.tracer.start(options.program);
  } catch (err) {
    writer.close();
    removeRecordingFiles(options.output);
    throw err;
  }
  // When stop() was called (the signal's time): the end of the partial last second, which the
  // tracer prints only 100-200 ms later (after its END clause).
  let stoppedAtMs: number | null = null;
  options.onStarted?.(() => {
    stoppedAtMs ??= Date.now();
    run.stop();
  });
  const loop = await commitSeconds(run, writer, options, () => stoppedAtMs);
  return finishRecording(run, writer, options, loop, stoppedAtMs);
}

interface LoopOutcome {
  seconds: number;
  durationReached: boolean;
  writeError: unknown;
  /** wall_ms of the last second committed. */
  lastWallMs: number;
}

async function commitSeconds(
  run: TracerRun,
  writer: RecordingWriter,
  options: RecordOptions,
  stoppedAtMs: () => number | null,
): Promise<LoopOutcome> {
  let seconds = 0;
  let durationReached = false;
  let lastWallMs = -Infinity;
  try {
    for await (const raw of run.snapshots) {
      if (durationReached && raw.t >= options.durationS!) {
        // Past the duration asked for (the tracer's last, partial second): only what it said counts.
        for (const event of raw.health) writer.addHealth(event, writer.lastSecond);
        continue;
      }
      const renamed = options.program.mapKey ? renameKeys(raw, options.program.mapKey) : raw;
      const snapshot = renamed.partial ? endAtStop(renamed, stoppedAtMs(), lastWallMs) : renamed;
      if (seconds === 0) markStart(writer, snapshot);
      writer.append(snapshot);
      lastWallMs = snapshot.wallMs;
      seconds++;
      options.onSecond?.(snapshot);
      options.status?.update(seconds, snapshot);
      if (
        !durationReached &&
        options.durationS !== undefined &&
        snapshot.t + 1 >= options.durationS
      ) {
        durationReached = true;
        run.stop();
      }
    }
  } catch (err) {
    run.stop();
    return { seconds, durationReached, writeError: err, lastWallMs };
  }
  return { seconds, durationReached, writeError: null, lastWallMs };
}

/** The partial second after a stop ends when the stop came (never before the second it follows). */
function endAtStop(s: Snapshot, stoppedAtMs: number | null, lastWallMs: number): Snapshot {
  if (stoppedAtMs === null || s.wallMs <= stoppedAtMs) return s;
  return { ...s, wallMs: stopEnd(stoppedAtMs, lastWallMs) };
}

/** A stop's end: the signal's time, never before the last second committed. */
function stopEnd(stoppedAtMs: number, lastWallMs: number): number {
  return Math.max(stoppedAtMs, lastWallMs);
}

function renameKeys(s: Snapshot, mapKey: (key: string[]) => string[]): Snapshot {
  const renamed = { ...s, histograms: s.histograms.map((h) => ({ ...h, key: mapKey(h.key) })) };
  if (s.stacks) renamed.stacks = s.stacks.map((h) => ({ ...h, key: mapKey(h.key) }));
  return renamed;
}

/** Second 0 started one second before the first snapshot of t = 0 was taken. */
function markStart(writer: RecordingWriter, first: Snapshot): void {
  const startMs = first.wallMs - (first.t + 1) * 1000;
  writer.setMeta({ start_ms: String(startMs), start_time: new Date(startMs).toISOString() });
}

async function finishRecording(
  run: TracerRun,
  writer: RecordingWriter,
  options: RecordOptions,
  loop: LoopOutcome,
  stoppedAtMs: number | null,
): Promise<RecordResult> {
  const exit = await run.exited;
  options.status?.done();
  if (loop.writeError) {
    const failedMs = Date.now();
    const message =
      loop.writeError instanceof Error ? loop.writeError.message : String(loop.writeError);
    writer.abandon(
      {
        end_ms: String(failedMs),
        end_time: new Date(failedMs).toISOString(),
        end_reason: 'write-failed',
        status: 'write-failed',
      },
      { kind: 'error', message, count: 1 },
    );
    throw loop.writeError;
  }
  if (loop.seconds === 0 && !exit.ok) {
    // The tracer never produced a second (compile error, missing probe): leave no empty file behind.
    writer.close();
    removeRecordingFiles(options.output);
    throw new HeatError(
      `${run.info.name} failed: ${exit.message}`,
      'nothing was recorded; fix the script and run again',
      2,
    );
  }
  const endReason: EndReason = !exit.ok
    ? 'tracer-failed'
    : loop.durationReached
      ? 'duration'
      : stoppedAtMs !== null
        ? 'interrupted'
        : 'tracer-exited';
  if (!exit.ok)
    writer.addHealth({ kind: 'exit', message: exit.message, count: 1 }, writer.lastSecond);
  const endMs = endTime(loop, stoppedAtMs);
  writer.finish({
    end_ms: String(endMs),
    end_time: new Date(endMs).toISOString(),
    end_reason: endReason,
    status: exit.ok ? 'complete' : 'tracer-failed',
  });
  if (!exit.ok) {
    throw new HeatError(
      `${run.info.name} died after ${loop.seconds} s: ${exit.message}`,
      `the ${loop.seconds} seconds recorded are kept in ${options.output}`,
      3,
    );
  }
  return { seconds: loop.seconds, endReason, tracerExit: exit };
}

/** The end of the last second for --duration, the signal's time for a stop, else now. */
function endTime(loop: LoopOutcome, stoppedAtMs: number | null): number {
  if (loop.durationReached && loop.seconds > 0) return loop.lastWallMs;
  if (stoppedAtMs !== null) return stopEnd(stoppedAtMs, loop.lastWallMs);
  return Date.now();
}
