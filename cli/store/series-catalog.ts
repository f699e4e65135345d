// Ids for series and buckets: looked up in memory, inserted the first time they are seen.

import type { Bucket, Histogram } from '../model/snapshot.js';
import type { Db } from './sqlite.js';
import { assertInt64 } from '../model/int64.js';

/** Buckets sharing a lower bound: almost always one, so a short chain beats a second Map lookup. */
interface BucketEntry {
  hi: bigint | null;
  id: number;
  next: BucketEntry | null;
}

export class SeriesCatalog {
  /** aggregation -> key identity -> id: no string is built for the usual one-element key. */
  private readonly series = new Map<string, Map<string, number>>();
  /** lo -> its buckets; BigInt map keys and === compare by value, so nothing is built per lookup. */
  private readonly buckets = new Map<bigint | null, BucketEntry>();
  private readonly insertSeries;
  private readonly insertBucket;

  constructor(db: Db) {
    this.insertSeries = db.prepare(
      'INSERT INTO series (aggregation, key, key_json, scheme) VALUES (?, ?, ?, ?)',
    );
    this.insertBucket = db.prepare('INSERT INTO bucket (lo, hi) VALUES (?, ?)');
    for (const r of db.prepare('SELECT id, aggregation, key_json FROM series').all() as {
      id: number;
      aggregation: string;
      key_json: string;
    }[]) {
      this.keysOf(r.aggregation).set(keyIdentity(JSON.parse(r.key_json) as string[]), r.id);
    }
    for (const r of db.prepare('SELECT id, lo, hi FROM bucket').safeIntegers(true).all() as {
      id: bigint;
      lo: bigint | null;
      hi: bigint | null;
    }[]) {
      this.rememberBucket(r.lo, r.hi, Number(r.id));
    }
  }

  /** The id of a histogram's series, creating it on first sight. */
  seriesId(h: Histogram): number {
    const keys = this.keysOf(h.aggregation);
    const identity = keyIdentity(h.key);
    let id = keys.get(identity);
    if (id === undefined) {
      id = Number(
        this.insertSeries.run(h.aggregation, displayKey(h.key), JSON.stringify(h.key), h.scheme)
          .lastInsertRowid,
      );
      keys.set(identity, id);
    }
    return id;
  }

  /** The id of a bucket with these exact bounds, creating it on first sight. */
  bucketId(lo: Bucket['lo'], hi: Bucket['hi']): number {
    for (let e: BucketEntry | null | undefined = this.buckets.get(lo); e; e = e.next)
      if (e.hi === hi) return e.id;
    assertInt64(lo, () => "a bucket's lower bound");
    assertInt64(hi, () => "a bucket's upper bound");
    const created = Number(this.insertBucket.run(lo, hi).lastInsertRowid);
    this.rememberBucket(lo, hi, created);
    return created;
  }

  private rememberBucket(lo: bigint | null, hi: bigint | null, id: number): void {
    this.buckets.set(lo, { hi, id, next: this.buckets.get(lo) ?? null });
  }

  private keysOf(aggregation: string): Map<string, number> {
    let keys = this.series.get(aggregation);
    if (!keys) this.series.set(aggregation, (keys = new Map()));
    return keys;
  }
}

/** A key tuple as shown to people and stored in series.key: elements joined with ", ". */
export function displayKey(key: readonly string[]): string {
  return key.join(', ');
}

/** A key tuple's identity within its aggregation: NUL cannot occur in a printed key. */
function keyIdentity(key: readonly string[]): string {
  return key.length === 1 ? key[0]! : `${key.length}\u0000${key.join('\u0000')}`;
}
