// Writes a recording's counts as CSV or JSON to a stream, a second at a time, so exports of
// day-long recordings never sit in memory. Shape of the JSON: schemas/export.schema.json.

import { stringify } from 'csv-stringify/sync';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { jsonInt } from '../model/json-int.js';
import type { BucketRow, RecordingReader, SeriesRow } from '../store/recording-reader.js';

export interface ExportRange {
  /** First and last second, inclusive. */
  from: number;
  to: number;
}

/** Rows of `t,time,key,lo,hi,count`; bounds in the recording's unit, empty for an open side. */
export async function writeCsvExport(reader: RecordingReader, range: ExportRange, out: Writable): Promise<void> {
  const startMs = Number(reader.meta().start_ms);
  const names = seriesNames(reader.series());
  const buckets = new Map(reader.buckets().map((b) => [b.id, b]));
  await write(out, 't,time,key,lo,hi,count\n');
  let batch: unknown[][] = [];
  for (const c of reader.counts(range.from, range.to)) {
    const b = buckets.get(c.bucketId)!;
    batch.push([c.t, new Date(startMs + c.t * 1000).toISOString(), names.get(c.seriesId), b.lo ?? '', b.hi ?? '', c.n]);
    if (batch.length >= 4096) {
      await write(out, stringify(batch, { cast: { bigint: String } }));
      batch = [];
    }
  }
  if (batch.length > 0) await write(out, stringify(batch, { cast: { bigint: String } }));
}

/** One JSON document: meta, series, buckets, then every second with its sparse counts. */
export async function writeJsonExport(reader: RecordingReader, range: ExportRange, out: Writable): Promise<void> {
  const series = reader.series().map((s) => ({ id: s.id, aggregation: s.aggregation, key: s.keyParts, scheme: s.scheme }));
  const buckets = reader.buckets().map((b: BucketRow) => ({ id: b.id, lo: jsonInt(b.lo), hi: jsonInt(b.hi) }));
  const startMs = Number(reader.meta().start_ms);
  const head = { format: 'heat-tracer-export', version: 1, meta: reader.meta(), series, buckets };
  await write(out, `${JSON.stringify(head).slice(0, -1)},"seconds":[`);
  const counts = reader.counts(range.from, range.to);
  let pending = counts.next();
  let first = true;
  for (const s of reader.seconds()) {
    if (s.t < range.from || s.t > range.to) continue;
    const cells: (number | string)[][] = [];
    while (!pending.done && pending.value.t === s.t) {
      cells.push([pending.value.seriesId, pending.value.bucketId, jsonInt(pending.value.n)!]);
      pending = counts.next();
    }
    const second = { t: s.t, time: new Date(startMs + s.t * 1000).toISOString(), events: jsonInt(s.events), partial: s.partial, counts: cells };
    await write(out, `${first ? '' : ','}\n${JSON.stringify(second)}`);
    first = false;
  }
  await write(out, '\n]}\n');
}

/** A series as one CSV key: its key, prefixed by the aggregation when a recording has several. */
function seriesNames(series: SeriesRow[]): Map<number, string> {
  const several = new Set(series.map((s) => s.aggregation)).size > 1;
  return new Map(series.map((s) => [s.id, several ? `${s.aggregation}[${s.key}]` : s.key]));
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}
