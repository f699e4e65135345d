// The one interface every tracer sits behind: start a program, get one Snapshot per second.

import type { Unit } from '../../schemas/format.js';
import type { StackOptions } from './bpftrace-stack-maps.js';
import type { Snapshot } from '../model/snapshot.js';

export type TracerName = 'bpftrace' | 'dtrace' | 'libdtrace' | 'synthetic';

export interface TracerInfo {
  name: TracerName;
  /** The tracer's own version string, e.g. "v0.17.0". */
  version: string;
}

/** What to run: a preset's or the user's script, already completed by the recorder. */
export interface Program {
  /** Preset name, or "custom". */
  preset: string;
  unit: Unit;
  /** The exact text handed to the tracer (with the per-second print/clear and markers added). */
  text: string;
  /** How the script was given, for messages: "-e", "-s FILE", "--preset NAME". */
  source?: string;
  /** Renames raw keys to what people know (syscall number -> name); applied before storing. */
  mapKey?: (key: string[]) => string[];
  /** heat-record --stacks: the stacks the text takes beside its histograms (meta.stacks). */
  stacks?: StackOptions;
  /** What the tracer will run but may get wrong, one line each, said before recording starts. */
  warnings?: string[];
}

/** How a tracer run ended. */
export interface TracerExit {
  /** False when the tracer failed (non-zero exit, killed, compile error). */
  ok: boolean;
  /** The tracer's own message when it failed (last lines of its stderr). */
  message: string;
}

export interface TracerRun {
  info: TracerInfo;
  /** One snapshot per second, in order; ends after the final (partial) second once the tracer exits. */
  snapshots: AsyncIterable<Snapshot>;
  /** Asks the tracer to stop; snapshots then yields the last partial second and ends. */
  stop(): void;
  /** Settles when the tracer has exited. */
  exited: Promise<TracerExit>;
}

export interface StartOptions {
  /** Wall-clock ms of second 0, set by the recorder when the tracer reports it is attached. */
  onAttached?: (wallMs: number) => void;
}

export interface Tracer {
  readonly name: TracerName;
  /** Checks the tracer can run here (installed, privileges); throws a HeatError saying how to fix it. */
  preflight(): Promise<TracerInfo>;
  start(program: Program, options?: StartOptions): Promise<TracerRun>;
}
