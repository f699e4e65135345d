// heat-record mark run.db "deploy v2" [--at T | --from T --to T]: a note of what happened when,
// stored in the recording (its mark table). Works while another heat-record still writes the file.

import type { Command } from 'commander';
import { HeatError } from '../model/heat-error.js';
import { printable } from '../model/printable.js';
import { addMark } from '../store/recording-marks.js';
import { RecordingReader } from '../store/recording-reader.js';
import { parseMarkTime } from './mark-time.js';

interface MarkFlags {
  at?: string;
  from?: string;
  to?: string;
}

const TIME_FORMS =
  'a time of day (12:03:04, local time), an ISO date-time, or seconds since the start (90, 5m)';

export function registerMark(program: Command): void {
  program
    .command('mark <recording> <text>')
    .description(
      'add a mark (a note shown on the time axis) at now, at --at, or over --from..--to; also while it records',
    )
    .option('--at <time>', `when: ${TIME_FORMS} (default: now)`)
    .option('--from <time>', 'start of a span, same forms as --at')
    .option('--to <time>', 'end of the span, same forms')
    .action((file: string, text: string, flags: MarkFlags) => {
      const { startMs, lastMs } = recordingSpan(file);
      const nowMs = Date.now();
      const [atMs, endMs] = markTimes(flags, startMs, Math.max(lastMs, nowMs), nowMs);
      addMark(file, { atMs, endMs, text, createdMs: nowMs, source: 'cli' });
      const when = (t: number) =>
        `${new Date(t).toISOString()} (${((t - startMs) / 1000).toFixed(1)} s after the start)`;
      process.stderr.write(
        `${printable(`heat-record: marked ${file} at ${when(atMs)}${endMs === null ? '' : ` to ${when(endMs)}`}: ${text}`)}\n`,
      );
      if (atMs < startMs || (endMs ?? atMs) > lastMs + 1000)
        process.stderr.write(
          `${printable(`heat-record: note: the mark lies outside the recording, which runs from ${new Date(startMs).toISOString()} to ${new Date(lastMs).toISOString()}`)}\n`,
        );
    });
}

/** The recording's start and its end (end_ms; the last second's end while it records). */
function recordingSpan(file: string): { startMs: number; lastMs: number } {
  const reader = RecordingReader.open(file, 'recording');
  try {
    const endMs = Number(reader.meta().end_ms);
    const last = reader.lastSecond();
    const lastMs =
      endMs > 0 ? endMs : last === null ? Date.now() : reader.startMs + (last + 1) * 1000;
    return { startMs: reader.startMs, lastMs };
  } finally {
    reader.close();
  }
}

/** [atMs, endMs] from the flags: a moment (--at, or now) or a span (--from and --to). */
function markTimes(
  flags: MarkFlags,
  startMs: number,
  lastMs: number,
  nowMs: number,
): [number, number | null] {
  if (flags.at !== undefined && (flags.from !== undefined || flags.to !== undefined))
    throw new HeatError('--at marks a moment, --from/--to a span', 'give one or the other');
  if (flags.from === undefined && flags.to === undefined)
    return [
      flags.at === undefined ? nowMs : parseMarkTime(flags.at, '--at', startMs, lastMs),
      null,
    ];
  if (flags.from === undefined || flags.to === undefined)
    throw new HeatError(
      'a span needs both --from and --to',
      'e.g. --from 12:03 --to 12:10, or --at for a moment',
    );
  const from = parseMarkTime(flags.from, '--from', startMs, lastMs);
  const to = parseMarkTime(flags.to, '--to', startMs, lastMs);
  if (to < from)
    throw new HeatError(
      `--to (${new Date(to).toISOString()}) is before --from (${new Date(from).toISOString()})`,
      'swap them',
    );
  return [from, to];
}
