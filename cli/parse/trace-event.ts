// What every tracer-output parser emits, in stream order. Parsers are pure and incremental:
// feed them stdout as it arrives (in any chunking) and they emit the same events.

import type { HealthEvent, Histogram } from '../model/snapshot.js';

/** Text the recorder's own probe prints at the end of every interval: `heat-tracer:tick <ns>`. */
export const TICK_MARKER = 'heat-tracer:tick';
/** Printed once by the recorder's END probe after the last (partial) interval: `heat-tracer:end <ns>`. */
export const END_MARKER = 'heat-tracer:end';

export type TraceEvent =
  /** One aggregation entry with its buckets. */
  | { type: 'histogram'; histogram: Histogram }
  /** The recorder's marker: everything since the previous marker is one interval. tickNs is the tracer's monotonic clock. */
  | { type: 'tick'; tickNs: bigint | null; final: boolean }
  /** A hint that a new interval starts here (bpftrace `time` output) in saved output without markers. */
  | { type: 'interval-start' }
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

/** Parses a marker line's text (`heat-tracer:tick 123`), or returns null if it is not one. */
export function parseMarker(text: string): { tickNs: bigint | null; final: boolean } | null {
  const m = /^(heat-tracer:(?:tick|end))(?:\s+(-?\d+))?\s*$/.exec(text.trim());
  if (!m) return null;
  return { tickNs: m[2] === undefined ? null : BigInt(m[2]), final: m[1] === END_MARKER };
}
