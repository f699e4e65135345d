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
export async function record(o: RecordOptions): Promise<RecordResult> {
  const info = await o.tracer.preflight();
  const writer = RecordingWriter.create(o.output, newRecordingMeta(o.program, info, o.commandLine), { force: o.force });
  let run: TracerRun;
  try {
    await o.onCreated?.();
    run = await o.tracer.start(o.program);
  } catch (err) {
    writer.close();
    removeRecordingFiles(o.output);
    throw err;
  }
  let stopRequested = false;
  o.onStarted?.(() => {
    stopRequested = true;
    run.stop();
  });
  const loop = await commitSeconds(run, writer, o);
  return finishRecording(run, writer, o, loop, stopRequested);
}

interface LoopOutcome {
  seconds: number;
  durationReached: boolean;
  writeError: unknown;
}

async function commitSeconds(run: TracerRun, writer: RecordingWriter, o: RecordOptions): Promise<LoopOutcome> {
  let seconds = 0;
  let durationReached = false;
  try {
    for await (const raw of run.snapshots) {
      const snapshot = o.program.mapKey ? renameKeys(raw, o.program.mapKey) : raw;
      if (seconds === 0) markStart(writer, snapshot);
      writer.append(snapshot);
      seconds++;
      o.onSecond?.(snapshot);
      o.status?.update(seconds, snapshot);
      if (!durationReached && o.durationS !== undefined && snapshot.t + 1 >= o.durationS) {
        durationReached = true;
        run.stop();
      }
    }
  } catch (err) {
    run.stop();
    return { seconds, durationReached, writeError: err };
  }
  return { seconds, durationReached, writeError: null };
}

function renameKeys(s: Snapshot, mapKey: (key: string[]) => string[]): Snapshot {
  return { ...s, histograms: s.histograms.map((h) => ({ ...h, key: mapKey(h.key) })) };
}

/** Second 0 started one second before the first snapshot of t = 0 was taken. */
function markStart(writer: RecordingWriter, first: Snapshot): void {
  const startMs = first.wallMs - (first.t + 1) * 1000;
  writer.setMeta({ start_ms: String(startMs), start_time: new Date(startMs).toISOString() });
}

async function finishRecording(run: TracerRun, writer: RecordingWriter, o: RecordOptions, loop: LoopOutcome, stopRequested: boolean): Promise<RecordResult> {
  const exit = await run.exited;
  o.status?.done();
  if (loop.writeError) {
    writer.close();
    throw loop.writeError;
  }
  if (loop.seconds === 0 && !exit.ok) {
    // The tracer never produced a second (compile error, missing probe): leave no empty file behind.
    writer.close();
    removeRecordingFiles(o.output);
    throw new HeatError(`${run.info.name} failed: ${exit.message}`, 'nothing was recorded; fix the script and run again', 2);
  }
  const endReason: EndReason = !exit.ok ? 'tracer-failed' : loop.durationReached ? 'duration' : stopRequested ? 'interrupted' : 'tracer-exited';
  if (!exit.ok) writer.addHealth({ kind: 'exit', message: exit.message, count: 1 }, writer.lastSecond);
  const endMs = Date.now();
  writer.finish({ end_ms: String(endMs), end_time: new Date(endMs).toISOString(), end_reason: endReason, status: exit.ok ? 'complete' : 'tracer-failed' });
  if (!exit.ok) {
    throw new HeatError(`${run.info.name} died after ${loop.seconds} s: ${exit.message}`, `the ${loop.seconds} seconds recorded are kept in ${o.output}`, 3);
  }
  return { seconds: loop.seconds, endReason, tracerExit: exit };
}
