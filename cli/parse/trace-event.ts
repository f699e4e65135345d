// What every tracer-output parser emits, in stream order. Parsers are pure and incremental:
// feed them stdout as it arrives (in any chunking) and they emit the same events.

import type { HealthEvent, Histogram, Snapshot } from '../model/snapshot.js';

/** Text the recorder's own probe prints at the end of every interval: `heat-tracer:tick <ns>`. */
export const TICK_MARKER = 'heat-tracer:tick';
/** Printed once by the recorder's END probe after the last (partial) interval: `heat-tracer:end <ns>`. */
export const END_MARKER = 'heat-tracer:end';
/** Printed by a drain when events went past the stack budget since the last: `heat-tracer:stacks-over <n>`. */
export const STACKS_OVER_MARKER = 'heat-tracer:stacks-over';
/** Printed by the recorder's BEGIN probe once the program is attached: `heat-tracer:start <ns>`. */
export const START_MARKER = 'heat-tracer:start';

export type TraceEvent =
  /**
   * One aggregation entry with its buckets. `print` numbers the print statement that printed it,
   * where the output shows one (bpftrace JSON: one line per print): a map printed again is a new interval.
   */
  | { type: 'histogram'; histogram: Histogram; print?: number }
  /**
   * The recorder's marker: everything since the previous marker is one interval. tickNs is the
   * tracer's monotonic clock. `start` marks the BEGIN marker (attached; no interval before it).
   */
  | { type: 'tick'; tickNs: bigint | null; final: boolean; start?: boolean }
  /**
   * A hint that a new interval starts here (bpftrace `time` output, a printa) in saved output without
   * markers. wallMs: the wall clock the script printed for the interval that follows (Unix ms).
   */
  | { type: 'interval-start'; wallMs?: number }
  /** Something the tracer said about itself (lost events, runtime errors). */
  | { type: 'health'; event: HealthEvent }
  /** A junk line inside otherwise good output: skipped and counted, not fatal. */
  | { type: 'skipped'; line: number; reason: string };

/** An incremental parser of one tracer output format. */
export interface TraceParser {
  /** Feed the next piece of output; returns the events completed by it. */
  push(chunk: string): TraceEvent[];
  /** The output ended; returns whatever was still pending. */
  end(): TraceEvent[];
}

/** Turns a parser's events into numbered seconds (IntervalSnapshots, SecondKeyedAssembler). */
export interface SnapshotAssembler {
  /** Feeds events that arrived at wallMs; returns the seconds they complete. */
  push(events: TraceEvent[], wallMs: number): Snapshot[];
  /** The output ended: returns what is still held, as the final partial second(s). */
  end(): Snapshot[];
}

/** Parses a marker line's text (`heat-tracer:tick 123`), or returns null if it is not one. */
export function parseMarker(
  text: string,
): { tickNs: bigint | null; final: boolean; start?: boolean } | null {
  const m = /^(heat-tracer:(?:tick|end|start))(?:\s+(-?\d+))?\s*$/.exec(text.trim());
  if (!m) return null;
  const marker = { tickNs: m[2] === undefined ? null : BigInt(m[2]), final: m[1] === END_MARKER };
  return m[1] === START_MARKER ? { ...marker, start: true } : marker;
}
