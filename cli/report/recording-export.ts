// Writes a recording's counts as CSV or JSON to a stream, a second at a time, so exports of
// day-long recordings never sit in memory. Shape of the JSON: schemas/export.schema.json.

import { stringify } from 'csv-stringify/sync';
import { markOverlaps } from '../../schemas/marks.js';
import type { Writable } from 'node:stream';
import { writeText } from '../model/closed-output.js';
import { jsonInt } from '../model/json-int.js';
import { printableJson, printableLines } from '../model/printable.js';
import type { BucketRow, RecordingReader, SeriesRow } from '../store/recording-reader.js';

export interface ExportRange {
  /** First and last second, inclusive; undefined: from the first, to the last. */
  from?: number;
  to?: number;
}

/** CSV rows are written in batches of at most this many rows or (roughly) characters. */
const BATCH_ROWS = 4096;
const BATCH_CHARS = 1 << 20;

/**
 * Rows of `t,time,key,lo,hi,count`; bounds in the recording's unit, empty for an open side.
 * @param escape show control characters in keys as \uXXXX (for a terminal) @default false
 */
export async function writeCsvExport(
  reader: RecordingReader,
  range: ExportRange,
  out: Writable,
  escape = false,
): Promise<void> {
  const startMs = reader.startMs;
  const names = seriesNames(reader.series());
  const buckets = new Map(reader.buckets().map((b) => [b.id, b]));
  const emit = (rows: unknown[][]) =>
    writeText(
      out,
      (escape ? printableLines : String)(stringify(rows, { cast: { bigint: String } })),
    );
  await writeText(out, 't,time,key,lo,hi,count\n');
  let batch: unknown[][] = [];
  let chars = 0;
  for (const c of reader.counts(range.from, range.to)) {
    const b = buckets.get(c.bucketId)!;
    const name = names.get(c.seriesId)!;
    batch.push([
      c.t,
      new Date(startMs + c.t * 1000).toISOString(),
      name,
      b.lo ?? '',
      b.hi ?? '',
      c.n,
    ]);
    chars += name.length + 64;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
      await emit(batch);
      [batch, chars] = [[], 0];
    }
  }
  if (batch.length > 0) await emit(batch);
}

/**
 * One JSON document: meta, series, buckets, marks, then every second with its sparse counts.
 * Marks are in JSON only: CSV rows stay one count each (t,time,key,lo,hi,count).
 */
export async function writeJsonExport(
  reader: RecordingReader,
  range: ExportRange,
  out: Writable,
): Promise<void> {
  const series = reader
    .series()
    .map((s) => ({ id: s.id, aggregation: s.aggregation, key: s.keyParts, scheme: s.scheme }));
  const buckets = reader
    .buckets()
    .map((b: BucketRow) => ({ id: b.id, lo: jsonInt(b.lo), hi: jsonInt(b.hi) }));
  const startMs = reader.startMs;
  const head = {
    format: 'heat-tracer-export',
    version: 1,
    meta: reader.meta(),
    series,
    buckets,
    marks: exportedMarks(reader, range),
  };
  await writeText(out, `${printableJson(JSON.stringify(head)).slice(0, -1)},"seconds":[`);
  const counts = reader.counts(range.from, range.to);
  let pending = counts.next();
  let first = true;
  for (const s of reader.seconds(range.from, range.to)) {
    const cells: (number | string)[][] = [];
    for (; !pending.done && pending.value.t <= s.t; pending = counts.next()) {
      if (pending.value.t === s.t)
        cells.push([pending.value.seriesId, pending.value.bucketId, jsonInt(pending.value.n)!]);
    }
    const second = {
      t: s.t,
      time: new Date(startMs + s.t * 1000).toISOString(),
      events: jsonInt(s.events),
      partial: s.partial,
      counts: cells,
    };
    await writeText(out, `${first ? '' : ','}\n${printableJson(JSON.stringify(second))}`);
    first = false;
  }
  await writeText(out, '\n]}\n');
}

/** The marks that overlap the range (every mark without one), their times as Unix ms and ISO text. Added for issue 13. */
function exportedMarks(reader: RecordingReader, range: ExportRange) {
  const from = reader.startMs + (range.from ?? 0) * 1000;
  const to = range.to === undefined ? Infinity : reader.startMs + (range.to + 1) * 1000;
  return reader
    .marks()
    .filter((m) => markOverlaps(m, from, to))
    .map((m) => ({
      ...m,
      time: new Date(m.atMs).toISOString(),
      endTime: m.endMs === null ? null : new Date(m.endMs).toISOString(),
    }));
}

/** A series as one CSV key: its key, prefixed by the aggregation when a recording has several. */
function seriesNames(series: SeriesRow[]): Map<number, string> {
  const several = new Set(series.map((s) => s.aggregation)).size > 1;
  return new Map(series.map((s) => [s.id, several ? `${s.aggregation}[${s.key}]` : s.key]));
}
