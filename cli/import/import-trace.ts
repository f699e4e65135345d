// Turns saved tracer output (bpftrace JSON or text printed every interval, DTrace printa text)
// into numbered seconds: sniff the format, parse, cut into intervals, one second each.
// Junk lines are skipped, counted per second and listed with their line numbers.

import type { Unit } from '../../schemas/format.js';
import { MAX_KEY_CHARS } from '../../schemas/recording-limits.js';
import { HeatError } from '../model/heat-error.js';
import type { HealthEvent, Snapshot } from '../model/snapshot.js';
import { BpftraceJsonParser, isBpftraceJson } from '../parse/bpftrace-json.js';
import { BpftraceTextParser, isBpftraceText } from '../parse/bpftrace-text.js';
import { DtraceTextParser, isDtraceText } from '../parse/dtrace-text.js';
import { IntervalAssembler, type Interval } from '../parse/interval-assembler.js';
import type { TraceEvent, TraceParser } from '../parse/trace-event.js';
import { numberIntervals } from './interval-times.js';

export const IMPORT_FORMATS = ['bpftrace-json', 'bpftrace-text', 'dtrace'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A line of the input that was not read. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** An interval with the lines skipped in it and the wall clock the script printed for it (Unix ms). */
export interface ImportedInterval extends Interval {
  skips: SkippedLine[];
  wallMs: number | null;
}

export interface ParsedTrace {
  format: ImportFormat;
  snapshots: Snapshot[];
  /** Unit guessed from aggregation names (@lat_us -> us), or null. */
  unitHint: Unit | null;
  /** Every line skipped, in input order. */
  skipped: SkippedLine[];
}

export interface TraceSource {
  /** Names the input in messages. */
  name: string;
  text: string;
  /** When the input was saved (its end, for the default start time), Unix ms. */
  savedMs: number;
}

/**
 * Parses a saved trace. Throws HeatError when the format is unknown or broken.
 * @param startMs wall clock of the first interval's start; default: from printed wall-clock lines, else savedMs minus the length
 */
export function parseTrace(
  source: TraceSource,
  format: ImportFormat | undefined,
  startMs: number | undefined,
): ParsedTrace {
  const chosen = format ?? sniffFormat(source.text, source.name);
  const intervals = parseIntervals(makeParser(chosen), source.text);
  if (intervals.every((i) => i.histograms.length === 0)) {
    throw new HeatError(
      `${source.name} holds no histograms (read as ${chosen})`,
      'import needs hist/lhist (bpftrace) or quantize/lquantize/llquantize (DTrace) output',
    );
  }
  checkKeys(intervals, source.name);
  const times = numberIntervals(intervals, startMs, source.savedMs);
  const snapshots = intervals.map((iv, i): Snapshot => ({
    ...times[i]!,
    histograms: iv.histograms,
    health: healthOf(iv),
    partial: false,
  }));
  return {
    format: chosen,
    snapshots,
    unitHint: guessUnit(snapshots),
    skipped: intervals.flatMap((iv) => iv.skips),
  };
}

export function sniffFormat(text: string, name: string): ImportFormat {
  const head = text.slice(0, 64 * 1024);
  if (isBpftraceJson(head)) return 'bpftrace-json';
  if (isDtraceText(head)) return 'dtrace';
  if (isBpftraceText(head)) return 'bpftrace-text';
  throw new HeatError(
    `${name} is not bpftrace (JSON or text) or DTrace printa output`,
    `name the format with --format ${IMPORT_FORMATS.join('|')}`,
  );
}

function makeParser(format: ImportFormat): TraceParser {
  if (format === 'bpftrace-json') return new BpftraceJsonParser();
  if (format === 'bpftrace-text') return new BpftraceTextParser();
  return new DtraceTextParser();
}

/** Events go to the assembler one at a time, so each skipped line and printed time lands in its own interval. */
function parseIntervals(parser: TraceParser, text: string): ImportedInterval[] {
  const assembler = new IntervalAssembler();
  const intervals: ImportedInterval[] = [];
  let skips: SkippedLine[] = [];
  let wallMs: number | null = null;
  const close = (iv: Interval): void => {
    intervals.push({ ...iv, skips, wallMs });
    skips = [];
    wallMs = null;
  };
  const feed = (events: TraceEvent[]): void => {
    for (const e of events) {
      assembler.push([e]).forEach(close);
      if (e.type === 'skipped') skips.push({ line: e.line, reason: e.reason });
      if (e.type === 'interval-start' && e.wallMs !== undefined) wallMs = e.wallMs;
    }
  };
  feed(parser.push(text));
  feed(parser.end());
  const last = assembler.end();
  if (last) close(last);
  return intervals;
}

/** A recording holds keys of up to MAX_KEY_CHARS characters: a longer one (a run-away line) is refused. */
function checkKeys(intervals: ImportedInterval[], name: string): void {
  for (const iv of intervals) {
    for (const h of iv.histograms) {
      const chars = JSON.stringify(h.key).length + h.aggregation.length;
      if (chars > MAX_KEY_CHARS)
        throw new HeatError(
          `${name}: a key of ${h.aggregation} is ${chars} characters long, more than a recording holds (${MAX_KEY_CHARS})`,
          'is a line of the input run together?',
        );
    }
  }
}

function healthOf(iv: ImportedInterval): HealthEvent[] {
  if (iv.skips.length === 0) return iv.health;
  const first = iv.skips[0]!;
  const message = `${iv.skips.length} line(s) of the input could not be read and were skipped (first: line ${first.line}, ${first.reason})`;
  return [...iv.health, { kind: 'warning', message, count: iv.skips.length }];
}

/** @lat_us -> us, @x_ns -> ns, ... when every aggregation agrees. */
function guessUnit(snapshots: Snapshot[]): Unit | null {
  const units = new Set<string>();
  for (const s of snapshots)
    for (const h of s.histograms) units.add(/_(ns|us|ms|s)$/.exec(h.aggregation)?.[1] ?? '');
  return units.size === 1 && !units.has('') ? ([...units][0] as Unit) : null;
}
