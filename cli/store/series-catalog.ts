// Ids for series and buckets: looked up in memory, inserted the first time they are seen.

import type { Bucket, Histogram } from '../model/snapshot.js';
import type { Db } from './sqlite.js';

export class SeriesCatalog {
  private readonly series = new Map<string, number>();
  /** lo -> hi -> id; BigInt map keys compare by value, so no strings are built per lookup. */
  private readonly buckets = new Map<bigint | null, Map<bigint | null, number>>();
  private readonly insertSeries;
  private readonly insertBucket;

  constructor(db: Db) {
    this.insertSeries = db.prepare('INSERT INTO series (aggregation, key, key_json, scheme) VALUES (?, ?, ?, ?)');
    this.insertBucket = db.prepare('INSERT INTO bucket (lo, hi) VALUES (?, ?)');
    for (const r of db.prepare('SELECT id, aggregation, key_json FROM series').all() as { id: number; aggregation: string; key_json: string }[]) {
      this.series.set(seriesName(r.aggregation, JSON.parse(r.key_json) as string[]), r.id);
    }
    for (const r of db.prepare('SELECT id, lo, hi FROM bucket').safeIntegers(true).all() as { id: bigint; lo: bigint | null; hi: bigint | null }[]) {
      this.rememberBucket(r.lo, r.hi, Number(r.id));
    }
  }

  /** The id of a histogram's series, creating it on first sight. */
  seriesId(h: Histogram): number {
    const name = seriesName(h.aggregation, h.key);
    let id = this.series.get(name);
    if (id === undefined) {
      id = Number(this.insertSeries.run(h.aggregation, displayKey(h.key), JSON.stringify(h.key), h.scheme).lastInsertRowid);
      this.series.set(name, id);
    }
    return id;
  }

  /** The id of a bucket with these exact bounds, creating it on first sight. */
  bucketId(lo: Bucket['lo'], hi: Bucket['hi']): number {
    const id = this.buckets.get(lo)?.get(hi);
    if (id !== undefined) return id;
    const created = Number(this.insertBucket.run(lo, hi).lastInsertRowid);
    this.rememberBucket(lo, hi, created);
    return created;
  }

  private rememberBucket(lo: bigint | null, hi: bigint | null, id: number): void {
    let byHi = this.buckets.get(lo);
    if (!byHi) this.buckets.set(lo, (byHi = new Map()));
    byHi.set(hi, id);
  }
}

/** A key tuple as shown to people and stored in series.key: elements joined with ", ". */
export function displayKey(key: readonly string[]): string {
  return key.join(', ');
}

/** A series' identity as one string: NUL cannot occur in a printed key. */
function seriesName(aggregation: string, key: readonly string[]): string {
  return key.length === 0 ? aggregation : `${aggregation}\u0000${key.join('\u0000')}`;
}
