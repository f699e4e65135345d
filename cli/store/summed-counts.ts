// Running sums of counts by bucket id, for rollup windows. Bucket ids are small dense integers
// (the catalog numbers buckets from 1), so the sums live in a Float64Array indexed by id: adding
// one count is an array store, with no Map lookup and no allocation on the once-a-second path.
// A sum stays a double only while it is an exact (safe) integer; beyond 2^53 that bucket moves to
// a bigint so no count is ever rounded.

import type { Count } from './bucket-counts.js';
import { assertInt64 } from '../model/int64.js';
import { countsJson } from '../../schemas/counts-json.js';

export class SummedCounts {
  private values = new Float64Array(16);
  /** Buckets whose sum left the safe-integer range (their `values` slot stays 0). */
  private big: Map<number, bigint> | null = null;
  /** Highest id added so far: serialising stops there. */
  private maxId = 0;

  add(id: number, n: Count): void {
    if (id >= this.values.length) this.grow(id);
    if (id > this.maxId) this.maxId = id;
    if (typeof n === 'number' && (this.big === null || !this.big.has(id))) {
      const sum = this.values[id]! + n;
      if (Number.isSafeInteger(sum)) {
        this.values[id] = sum;
        return;
      }
    }
    this.big ??= new Map();
    this.big.set(id, (this.big.get(id) ?? BigInt(this.values[id]!)) + BigInt(n));
    this.values[id] = 0;
  }

  /** Adds every sum of `other` into this one. */
  addAll(other: SummedCounts): void {
    for (let id = 0; id <= other.maxId; id++) {
      const n = other.values[id]!;
      if (n !== 0) this.add(id, n);
    }
    other.big?.forEach((n, id) => this.add(id, n));
  }

  /** The stored JSON ({"<bucket id>": count, ...}) in ascending id order, zeros left out. */
  toJson(): string {
    return countsJson((add) => {
      for (let id = 0; id <= this.maxId; id++) {
        const n = this.big?.get(id) ?? this.values[id]!;
        assertInt64(n, () => 'a rollup sum of counts');
        add(id, n);
      }
    });
  }

  private grow(id: number): void {
    let length = this.values.length;
    while (length <= id) length *= 2;
    const values = new Float64Array(length);
    values.set(this.values);
    this.values = values;
  }
}
