// The stacks of a recording (heat-record --stacks): one `stack` row per distinct frames array,
// looked up in memory, and each second's stack_hist rows (schemas/recording.sql).

import type { Histogram } from '../model/snapshot.js';
import { assertInt64 } from '../model/int64.js';
import { BatchInsert } from './batch-insert.js';
import { addCount, countsToJson, toCount, type BucketCounts } from './bucket-counts.js';
import type { SeriesCatalog } from './series-catalog.js';
import type { Db } from './sqlite.js';

export class StackRows {
  /** frames JSON -> stack id */
  private readonly ids = new Map<string, number>();
  private readonly insertStack;
  private readonly rows: BatchInsert;

  constructor(
    db: Db,
    private readonly catalog: SeriesCatalog,
  ) {
    this.insertStack = db.prepare('INSERT INTO stack (frames) VALUES (?)');
    this.rows = new BatchInsert(db, 'stack_hist', ['t', 'series_id', 'stack_id', 'counts']);
    for (const r of db.prepare('SELECT id, frames FROM stack').all() as {
      id: number;
      frames: string;
    }[])
      this.ids.set(r.frames, r.id);
  }

  /** The id of a stack, creating its row on first sight. */
  stackId(frames: readonly string[]): number {
    const json = JSON.stringify(frames);
    let id = this.ids.get(json);
    if (id === undefined) {
      id = Number(this.insertStack.run(json).lastInsertRowid);
      this.ids.set(json, id);
    }
    return id;
  }

  /**
   * Writes a second's stack histograms (inside its transaction). Two printed stacks can be one
   * stored stack (frames differ only in offsets, "main+21" and "main+42"): their counts are summed.
   */
  write(t: number, stacks: readonly Histogram[]): void {
    this.rows.clear(); // rows of a second whose transaction failed part-way
    const merged = new Map<number, Map<number, BucketCounts>>();
    for (const h of stacks) {
      const seriesId = this.catalog.seriesId(h);
      const stackId = this.stackId(h.frames ?? []);
      let bySeries = merged.get(seriesId);
      if (!bySeries) merged.set(seriesId, (bySeries = new Map()));
      let counts = bySeries.get(stackId);
      if (!counts) bySeries.set(stackId, (counts = new Map()));
      for (const b of h.buckets) {
        const id = this.catalog.bucketId(b.lo, b.hi);
        counts.set(id, addCount(counts.get(id) ?? 0, toCount(b.count)));
      }
    }
    // Primary-key order (t, series_id, stack_id) keeps inserts at the B-tree's right edge.
    for (const seriesId of [...merged.keys()].sort((a, b) => a - b)) {
      const bySeries = merged.get(seriesId)!;
      for (const stackId of [...bySeries.keys()].sort((a, b) => a - b)) {
        const counts = bySeries.get(stackId)!;
        counts.forEach((n) => assertInt64(n, () => `a stack count at second ${t}`));
        this.rows.add(t, seriesId, stackId, countsToJson(sortedByBucket(counts)));
      }
    }
    this.rows.flush();
  }
}

/** Counts in bucket id order, so equal histograms are equal JSON. */
function sortedByBucket(counts: BucketCounts): BucketCounts {
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}
