// Clipping: the seconds of one window, renumbered from 0, into a new recording with the source's
// metadata (same script, host, tracer, unit) and a note of where it came from.

import { derivedStatus } from '../../schemas/format.js';
import { markOverlaps, type NewMark } from '../../schemas/marks.js';
import { HeatError } from '../model/heat-error.js';
import type { RecordingReader } from '../store/recording-reader.js';
import { readSnapshots } from '../store/recording-snapshots.js';
import { RecordingWriter, removeRecordingFiles } from '../store/recording-writer.js';

export interface ClipOptions {
  /** First and last second of the source, inclusive. */
  from: number;
  to: number;
  output: string;
  force: boolean;
  commandLine: string[];
  /** Called after each second written, with the window's number of seconds. */
  onSecond?: (done: number, total: number) => void;
}

/** Writes the clip and returns how many seconds it holds. */
export function clipRecording(reader: RecordingReader, o: ClipOptions): number {
  const meta = reader.meta();
  const total = reader.seconds(o.from, o.to).length;
  if (total === 0) throw emptyWindow(reader, o);
  const startMs = reader.startMs + o.from * 1000;
  const { format_version: _version, ...kept } = meta;
  const writer = RecordingWriter.create(
    o.output,
    {
      ...kept,
      start_ms: String(startMs),
      start_time: new Date(startMs).toISOString(),
      status: 'recording',
      end_ms: '',
      end_time: '',
      end_reason: '',
      derived_from: JSON.stringify({
        command: o.commandLine,
        source: reader.path,
        from: o.from,
        to: o.to,
      }),
    },
    { force: o.force },
  );
  let seconds = 0;
  let lastWallMs = startMs;
  try {
    for (const s of readSnapshots(reader, o.from, o.to)) {
      writer.append({ ...s, t: s.t - o.from });
      lastWallMs = s.wallMs;
      o.onSecond?.(++seconds, total);
    }
  } catch (err) {
    writer.close();
    removeRecordingFiles(o.output); // never leave a half-written clip
    throw err;
  }
  writer.addMarks(marksWithin(reader, startMs, reader.startMs + (o.to + 1) * 1000));
  writer.finish({
    end_ms: String(lastWallMs),
    end_time: new Date(lastWallMs).toISOString(),
    end_reason: meta.end_reason || 'clipped',
    status: derivedStatus([meta.status]),
  });
  return seconds;
}

/** The marks that overlap the window [fromMs, toMs) (wall-clock ms: a clip keeps them where they were). */
function marksWithin(reader: RecordingReader, fromMs: number, toMs: number): NewMark[] {
  return reader
    .marks()
    .filter((m) => markOverlaps(m, fromMs, toMs))
    .map(({ id: _id, ...m }) => m);
}

/** Why there is nothing to clip: an empty recording, or a window past its seconds (--to left open: "from 400 s on"). */
function emptyWindow(reader: RecordingReader, o: ClipOptions): HeatError {
  if (reader.seconds().length === 0)
    return new HeatError(
      `${reader.path} holds no seconds: there is nothing to clip`,
      'it ended before its first second was recorded',
    );
  const window =
    o.to === Number.MAX_SAFE_INTEGER ? `from ${o.from} s on` : `between ${o.from} s and ${o.to} s`;
  return new HeatError(
    `${reader.path} has no seconds ${window}`,
    'check --from/--to against heat-record info',
  );
}
