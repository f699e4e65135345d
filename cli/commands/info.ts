// heat-record info run.db [--json]: what a recording holds, at a glance.

import type { Command } from 'commander';
import { unitLabel } from '../../schemas/format.js';
import { jsonInt } from '../model/json-int.js';
import { printable, printableJson } from '../model/printable.js';
import {
  summarizeRecording,
  type BucketRange,
  type MarkSummary,
  type NegativeSummary,
  type RecordingSummary,
  type StacksSummary,
} from '../report/recording-summary.js';
import { RecordingReader } from '../store/recording-reader.js';

export function registerInfo(program: Command): void {
  program
    .command('info <recording>')
    .description("show a recording's metadata, duration, keys with totals and overall p50/p99")
    .option('--json', 'print JSON instead of text')
    .action((file: string, flags: { json?: boolean }) => {
      const reader = RecordingReader.open(file, 'recording');
      try {
        const summary = summarizeRecording(reader);
        process.stdout.write(
          flags.json ? `${printableJson(summaryJson(summary))}\n` : formatSummary(summary),
        );
      } finally {
        reader.close();
      }
    });
}

/** The summary as aligned text; every string from the recording goes through printable(). */
function formatSummary(summary: RecordingSummary): string {
  const s = printableStrings(summary);
  const u = unitLabel(s.unit);
  const pct = (r: BucketRange | null) =>
    r ? (r.hi === null ? `>= ${r.lo} ${u}` : `<= ${r.hi} ${u}`) : '-';
  const lines = [
    `recording  ${s.file} (format ${s.formatVersion})`,
    `host       ${s.host}, ${s.os}, kernel ${s.kernel}`,
    `tracer     ${s.tracer} ${s.tracerVersion}, preset ${s.preset}, unit ${u}`,
    `start      ${s.start}`,
    `end        ${s.end ? `${s.end}, ${s.endedBy ?? 'for no reason recorded'}` : '(still recording, or the recorder was killed)'}`,
    `seconds    ${s.seconds} recorded, ${s.missedSeconds} missed`,
    `events     ${s.events.toLocaleString('en-US')}; p50 ${pct(s.p50)}, p99 ${pct(s.p99)}`,
    `health     ${
      Object.entries(s.health)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'clean'
    }`,
    ...(s.stacks ? [`stacks     ${stacksLine(s.stacks, s.events, u)}`] : []),
    ...(s.negative ? [`negative   ${negativeLine(s.negative)}`] : []),
    `keys       ${s.keys.length}`,
  ];
  const width = Math.min(40, Math.max(4, ...s.keys.map((k) => k.key.length)));
  for (const k of s.keys) {
    lines.push(
      `  ${k.key.padEnd(width)} ${k.total.toLocaleString('en-US').padStart(14)}  p50 ${pct(k.p50).padEnd(14)} p99 ${pct(k.p99)}`,
    );
  }
  lines.push(`marks      ${s.marks.length}`, ...s.marks.map(formatMark));
  return `${lines.join('\n')}\n`;
}

/** `user, at or above 1000 µs: 12.3 % of events (4,812), 37 distinct stacks`. */
function stacksLine(st: StacksSummary, events: bigint, unit: string): string {
  const from = st.above > 0n ? `at or above ${st.above} ${unit}` : 'every event';
  const share = events > 0n ? `${((Number(st.events) / Number(events)) * 100).toFixed(1)} %` : '-';
  return `${st.kinds}, ${from}: ${share} of events carry one (${st.events.toLocaleString('en-US')}), ${st.distinct} distinct stacks`;
}

/** `12 counts summing to -78 (D weights): in the file and exports, not in events, totals or percentiles`. */
function negativeLine(n: NegativeSummary): string {
  return `${n.cells.toLocaleString('en-US')} ${n.cells === 1 ? 'count' : 'counts'} summing to ${n.sum.toLocaleString('en-US')} (D weights): in the file and exports, not in events, totals or percentiles`;
}

/** One mark line: `  +63.0 s  2026-11-26T05:01:03.000Z  deploy v2` (a span: its end and length too). */
function formatMark(m: MarkSummary): string {
  const span = m.end === null ? '' : ` .. ${m.end} (${(m.endS! - m.atS).toFixed(1)} s)`;
  return `  ${`+${m.atS.toFixed(1)} s`.padStart(10)}  ${m.at}${span}  ${m.text}`;
}

/**
 * The summary as JSON: counts and bounds are JSON numbers while exact (|n| <= 2^53 - 1, as every
 * JSON reader keeps them), decimal strings beyond (DTrace's values are int64).
 */
function summaryJson(summary: RecordingSummary): string {
  return JSON.stringify(
    summary,
    (_key, value: unknown) => (typeof value === 'bigint' ? jsonInt(value) : value),
    2,
  );
}

/** A copy with control characters in every string shown as \uXXXX (see printable.ts). */
function printableStrings<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableStrings) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [printable(k), printableStrings(v)]),
    ) as T;
  return value;
}
