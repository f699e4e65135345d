// Reads the stacks of a recording (heat-record --stacks; tables stack and stack_hist in
// schemas/recording.sql), each row checked like the histograms. Files written before stacks
// existed have no such tables and read as having no stacks.

import { MAX_BUCKET_ID } from '../../schemas/recording-limits.js';
import { Damage, keyParts, second, smallInt } from './row-checks.js';
import type { Db } from './sqlite.js';
import { parseStoredCounts } from './stored-counts.js';

export interface StackCountRow {
  t: number;
  seriesId: number;
  stackId: number;
  bucketId: number;
  n: bigint;
}

type Raw = Record<string, unknown>;

/** Whether a file has the stack tables (files written before issue 15 have none: no stacks). */
export function hasStackTables(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stack_hist'").get() !==
    undefined
  );
}

/** stack id -> its frames (outermost first). */
export function readStackRows(db: Db): Map<number, string[]> {
  const stacks = new Map<number, string[]>();
  if (!hasStackTables(db)) return stacks;
  const rows = db.prepare('SELECT id, frames FROM stack').safeIntegers(true).all() as Raw[];
  for (const r of rows) {
    const id = smallInt(r.id, 'a stack id', 1, MAX_BUCKET_ID);
    stacks.set(id, keyParts(r.frames, `stack ${id}'s frames`, Number.MAX_SAFE_INTEGER));
  }
  return stacks;
}

/** What the rows must name: the ids that exist. */
export interface KnownIds {
  series: Set<number>;
  buckets: Set<number>;
  stacks: Set<number>;
}

/** Stack counts of seconds from..to (inclusive; every second when both are undefined), in (t, series, stack, bucket) order. */
export function* readStackCountRows(
  db: Db,
  known: KnownIds,
  from?: number,
  to?: number,
): Generator<StackCountRow> {
  if (!hasStackTables(db)) return;
  const where = from === undefined && to === undefined ? '' : 'WHERE t BETWEEN ? AND ?';
  const params = where ? [Math.floor(from ?? 0), Math.floor(to ?? Number.MAX_SAFE_INTEGER)] : [];
  const rows = db
    .prepare(
      `SELECT t, series_id, stack_id, counts FROM stack_hist ${where} ORDER BY t, series_id, stack_id`,
    )
    .safeIntegers(true)
    .iterate(...params) as IterableIterator<Raw>;
  for (const r of rows) {
    const t = second(r.t, "a stack_hist row's t");
    const seriesId = smallInt(r.series_id, `a stack_hist row of second ${t}: its series_id`);
    const stackId = smallInt(r.stack_id, `a stack_hist row of second ${t}: its stack_id`);
    const what = `stack_hist row (second ${t}, series ${seriesId}, stack ${stackId})`;
    if (!known.series.has(seriesId)) throw new Damage(`${what} names a series that does not exist`);
    if (!known.stacks.has(stackId)) throw new Damage(`${what} names a stack that does not exist`);
    const counts = parseStoredCounts(r.counts);
    if (typeof counts === 'string') throw new Damage(`${what}: counts ${counts}`);
    for (const [bucketId, n] of counts) {
      if (!known.buckets.has(bucketId))
        throw new Damage(`${what}: counts name bucket ${bucketId}, which does not exist`);
      yield { t, seriesId, stackId, bucketId, n };
    }
  }
}
