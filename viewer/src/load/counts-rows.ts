// The stored counts rows the viewer reads, checked where they come in: each `counts` must be a
// JSON object from bucket id to a whole count (schemas/recording.sql). Rows arrive as one JSON
// text built by SQLite ([[t, series_id, {counts}], ...]); a row that is not that names the file,
// the second and the series (RecordingError 'damaged'), so the viewer shows its banner instead
// of drawing garbage or throwing mid-frame. Negative counts (a DTrace weight can make one) are
// not heat (schemas/negative-counts.ts): read as zero and reported through `negative`.

import type { CountsRow } from '../model/recording-source.js';
import { isRecordingSecond, MAX_BUCKET_ID } from '../../../schemas/recording-limits.js';
import { heatOf } from '../../../schemas/negative-counts.js';
import { RecordingError } from './recording-error.js';

/** A row with a negative count, reported so the viewer can say it drew it as zero. */
export interface NegativeCount {
  t: number;
  seriesId: number;
  bucketId: number;
  count: number;
}

/**
 * Parses and checks the rows text. `rowsOneByOne` re-reads the same rows as [t, series_id,
 * counts text] and is called only when the whole text is not JSON, to name the row at fault.
 */
export function parseCountsRows(
  text: string,
  name: string,
  rowsOneByOne: () => [unknown, unknown, unknown][],
  negative: (n: NegativeCount) => void,
): CountsRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw notJson(name, rowsOneByOne());
  }
  if (!Array.isArray(parsed)) throw damaged(name, 'its counts rows are not a list');
  return parsed.map((row: unknown) => checkRow(row, name, negative));
}

/** The row as read when it is sound (the common case: nothing is copied); negative counts replaced by zero. */
function checkRow(row: unknown, name: string, negative: (n: NegativeCount) => void): CountsRow {
  if (!Array.isArray(row) || row.length !== 3)
    throw damaged(name, 'a counts value breaks out of its row (it is not one JSON object)');
  const [t, seriesId, counts] = row as [unknown, unknown, unknown];
  if (!isRecordingSecond(t) || !Number.isSafeInteger(seriesId))
    throw damaged(
      name,
      `a counts row has t ${String(t)} and series ${String(seriesId)}, not a second and a series id`,
    );
  const where = `the counts of second ${t}, series ${String(seriesId)}`;
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts))
    throw damaged(name, `${where} are not a JSON object`);
  const c = counts as Record<string, unknown>;
  let sound = true;
  for (const id in c) {
    const n = c[id];
    if (!isBucketId(id))
      throw damaged(
        name,
        `${where} name bucket ${JSON.stringify(id.slice(0, 20))}, not a bucket id`,
      );
    if (typeof n !== 'number' || !Number.isInteger(n))
      throw damaged(name, `${where} hold ${JSON.stringify(n)} for bucket ${id}, not a whole count`);
    if (n < 0) {
      negative({ t, seriesId: seriesId as number, bucketId: Number(id), count: n });
      sound = false;
    }
  }
  return {
    t,
    seriesId: seriesId as number,
    counts: sound ? (c as Record<string, number>) : withoutNegatives(c as Record<string, number>),
  };
}

/** "1".."2147483647" as the writer writes them (no sign, no leading zero): a cheap test, run for every count read. */
function isBucketId(id: string): boolean {
  const n = Number(id);
  return n >= 1 && n <= MAX_BUCKET_ID && String(n) === id;
}

function withoutNegatives(counts: Record<string, number>): Record<string, number> {
  const clean: Record<string, number> = {};
  for (const id in counts) clean[id] = heatOf(counts[id]!);
  return clean;
}

function notJson(name: string, rows: [unknown, unknown, unknown][]): RecordingError {
  for (const [t, seriesId, counts] of rows) {
    try {
      JSON.parse(String(counts));
    } catch {
      return damaged(
        name,
        `the counts of second ${String(t)}, series ${String(seriesId)} are not JSON (${JSON.stringify(String(counts).slice(0, 40))})`,
      );
    }
  }
  return damaged(name, 'its counts rows are not JSON');
}

function damaged(name: string, reason: string): RecordingError {
  return new RecordingError(name, 'damaged', `the file is damaged: ${reason}`);
}
