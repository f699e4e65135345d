// The one writer of stored counts (schemas/counts-json.ts): what the recorder's hist rows, its
// rollups and the viewer's rebuilt rollups all write, exact beyond 2^53.

import { describe, expect, it } from 'vitest';
import { countsJson } from '../../schemas/counts-json.js';
import { SummedCounts } from '../../cli/store/summed-counts.js';
import { countsFromJson, countsToJson } from '../../cli/store/bucket-counts.js';

describe('countsJson', () => {
  it('writes ids in the order handed, leaves zeros out, and keeps every digit of a bigint', () => {
    const json = countsJson((add) => {
      add(12, 340);
      add(13, 0);
      add(3, 2n ** 62n + 1n);
      add(14, 0n);
      add(15, -7);
    });
    expect(json).toBe('{"12":340,"3":4611686018427387905,"15":-7}');
    expect(countsFromJson(json)).toEqual(
      new Map([
        [12, 340n],
        [3, 2n ** 62n + 1n],
        [15, -7n],
      ]),
    );
    expect(countsJson(() => undefined)).toBe('{}');
  });

  it('is what a histogram row and a rollup sum beyond 2^53 are stored as', () => {
    const row = new Map<number, number | bigint>([
      [5, 1],
      [2, 0],
      [9, 2n ** 60n],
    ]);
    expect(countsToJson(row)).toBe('{"5":1,"9":1152921504606846976}');
    const sums = new SummedCounts();
    sums.add(4, Number.MAX_SAFE_INTEGER);
    sums.add(4, 2);
    sums.add(1, 3);
    expect(sums.toJson()).toBe(`{"1":3,"4":${BigInt(Number.MAX_SAFE_INTEGER) + 2n}}`);
  });
});
