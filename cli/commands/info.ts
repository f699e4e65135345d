// heat-record info run.db [--json]: what a recording holds, at a glance.

import type { Command } from 'commander';
import { unitLabel } from '../../schemas/format.js';
import { printable, printableJson } from '../model/printable.js';
import { summarizeRecording, type BucketRange, type RecordingSummary } from '../report/recording-summary.js';
import { RecordingReader } from '../store/recording-reader.js';

export function registerInfo(program: Command): void {
  program
    .command('info <recording>')
    .description('show a recording\'s metadata, duration, keys with totals and overall p50/p99')
    .option('--json', 'print JSON instead of text')
    .action((file: string, flags: { json?: boolean }) => {
      const reader = RecordingReader.open(file, 'recording');
      try {
        const summary = summarizeRecording(reader);
        process.stdout.write(flags.json ? `${printableJson(JSON.stringify(summary, null, 2))}\n` : formatSummary(summary));
      } finally {
        reader.close();
      }
    });
}

/** The summary as aligned text; every string from the recording goes through printable(). */
function formatSummary(summary: RecordingSummary): string {
  const s = printableStrings(summary);
  const u = unitLabel(s.unit);
  const pct = (r: BucketRange | null) => (r ? (r.hi === null ? `>= ${r.lo} ${u}` : `<= ${r.hi} ${u}`) : '-');
  const lines = [
    `recording  ${s.file} (format ${s.formatVersion})`,
    `host       ${s.host}, ${s.os}, kernel ${s.kernel}`,
    `tracer     ${s.tracer} ${s.tracerVersion}, preset ${s.preset}, unit ${u}`,
    `start      ${s.start}`,
    `end        ${s.end ?? '(still recording, or the recorder was killed)'}${s.endReason ? ` (${s.endReason})` : ''}`,
    `seconds    ${s.seconds} recorded, ${s.missedSeconds} missed`,
    `events     ${BigInt(s.events).toLocaleString('en-US')}; p50 ${pct(s.p50)}, p99 ${pct(s.p99)}`,
    `health     ${Object.entries(s.health).map(([k, n]) => `${k} ${n}`).join(', ') || 'clean'}`,
    `keys       ${s.keys.length}`,
  ];
  const width = Math.min(40, Math.max(4, ...s.keys.map((k) => k.key.length)));
  for (const k of s.keys) {
    lines.push(`  ${k.key.padEnd(width)} ${BigInt(k.total).toLocaleString('en-US').padStart(14)}  p50 ${pct(k.p50).padEnd(14)} p99 ${pct(k.p99)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A copy with control characters in every string shown as \uXXXX (see printable.ts). */
function printableStrings<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [printable(k), printableStrings(v)])) as T;
  return value;
}
