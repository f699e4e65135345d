// Turns saved tracer output (bpftrace JSON or text printed every interval, DTrace printa text)
// into a recording: sniff the format, parse, cut into intervals, one second each.

import { readFileSync, statSync } from 'node:fs';
import type { Unit } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Snapshot } from '../model/snapshot.js';
import { BpftraceJsonParser, isBpftraceJson } from '../parse/bpftrace-json.js';
import { BpftraceTextParser, isBpftraceText } from '../parse/bpftrace-text.js';
import { DtraceTextParser, isDtraceText } from '../parse/dtrace-text.js';
import { IntervalAssembler, type Interval } from '../parse/interval-assembler.js';
import type { TraceParser } from '../parse/trace-event.js';

export const IMPORT_FORMATS = ['bpftrace-json', 'bpftrace-text', 'dtrace'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ParsedTrace {
  format: ImportFormat;
  snapshots: Snapshot[];
  /** Unit guessed from aggregation names (@lat_us -> us), or null. */
  unitHint: Unit | null;
}

/** Reads and parses a saved trace. Throws HeatError when the format is unknown or broken. */
export function parseTraceFile(path: string, format: ImportFormat | undefined, startMs: number | undefined): ParsedTrace {
  const text = readInput(path);
  const chosen = format ?? sniffFormat(text, path);
  const intervals = parseIntervals(makeParser(chosen), text);
  if (intervals.every((i) => i.histograms.length === 0)) {
    throw new HeatError(`${path} holds no histograms (read as ${chosen})`, 'import needs hist/lhist (bpftrace) or quantize/lquantize/llquantize (DTrace) output');
  }
  const start = startMs ?? statSync(path).mtimeMs - intervals.length * 1000;
  const snapshots = intervals.map((iv, t): Snapshot => ({ t, wallMs: start + (t + 1) * 1000, histograms: iv.histograms, health: iv.health, partial: false }));
  return { format: chosen, snapshots, unitHint: guessUnit(snapshots) };
}

function readInput(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new HeatError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path');
  }
}

export function sniffFormat(text: string, path: string): ImportFormat {
  const head = text.slice(0, 64 * 1024);
  if (isBpftraceJson(head)) return 'bpftrace-json';
  if (isDtraceText(head)) return 'dtrace';
  if (isBpftraceText(head)) return 'bpftrace-text';
  throw new HeatError(`${path} is not bpftrace (JSON or text) or DTrace printa output`, `name the format with --format ${IMPORT_FORMATS.join('|')}`);
}

function makeParser(format: ImportFormat): TraceParser {
  if (format === 'bpftrace-json') return new BpftraceJsonParser();
  if (format === 'bpftrace-text') return new BpftraceTextParser();
  return new DtraceTextParser();
}

function parseIntervals(parser: TraceParser, text: string): Interval[] {
  const assembler = new IntervalAssembler();
  const intervals = [...assembler.push(parser.push(text)), ...assembler.push(parser.end())];
  const last = assembler.end();
  if (last) intervals.push(last);
  return intervals;
}

/** @lat_us -> us, @x_ns -> ns, ... when every aggregation agrees. */
function guessUnit(snapshots: Snapshot[]): Unit | null {
  const units = new Set<string>();
  for (const s of snapshots) for (const h of s.histograms) units.add(/_(ns|us|ms|s)$/.exec(h.aggregation)?.[1] ?? '');
  return units.size === 1 && !units.has('') ? ([...units][0] as Unit) : null;
}
