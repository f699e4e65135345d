// Ids for series and buckets: looked up in memory, inserted the first time they are seen.

import type { Bucket, Histogram } from '../model/snapshot.js';
import type { Db } from './sqlite.js';

export class SeriesCatalog {
  private readonly series = new Map<string, number>();
  private readonly buckets = new Map<string, number>();
  private readonly insertSeries;
  private readonly insertBucket;

  constructor(db: Db) {
    this.insertSeries = db.prepare('INSERT INTO series (aggregation, key, key_json, scheme) VALUES (?, ?, ?, ?)');
    this.insertBucket = db.prepare('INSERT INTO bucket (lo, hi) VALUES (?, ?)');
    for (const r of db.prepare('SELECT id, aggregation, key_json FROM series').all() as { id: number; aggregation: string; key_json: string }[]) {
      this.series.set(seriesName(r.aggregation, r.key_json), r.id);
    }
    for (const r of db.prepare('SELECT id, lo, hi FROM bucket').safeIntegers(true).all() as { id: bigint; lo: bigint | null; hi: bigint | null }[]) {
      this.buckets.set(boundsName(r.lo, r.hi), Number(r.id));
    }
  }

  /** The id of a histogram's series, creating it on first sight. */
  seriesId(h: Histogram): number {
    const keyJson = JSON.stringify(h.key);
    const name = seriesName(h.aggregation, keyJson);
    let id = this.series.get(name);
    if (id === undefined) {
      id = Number(this.insertSeries.run(h.aggregation, displayKey(h.key), keyJson, h.scheme).lastInsertRowid);
      this.series.set(name, id);
    }
    return id;
  }

  /** The id of a bucket with these exact bounds, creating it on first sight. */
  bucketId(lo: Bucket['lo'], hi: Bucket['hi']): number {
    const name = boundsName(lo, hi);
    let id = this.buckets.get(name);
    if (id === undefined) {
      id = Number(this.insertBucket.run(lo, hi).lastInsertRowid);
      this.buckets.set(name, id);
    }
    return id;
  }
}

/** A key tuple as shown to people and stored in series.key: elements joined with ", ". */
export function displayKey(key: readonly string[]): string {
  return key.join(', ');
}

function seriesName(aggregation: string, keyJson: string): string {
  return `${aggregation}\u0000${keyJson}`;
}

function boundsName(lo: bigint | null, hi: bigint | null): string {
  return `${lo ?? ''}:${hi ?? ''}`;
}
