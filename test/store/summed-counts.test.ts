import { describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import { SummedCounts } from '../../cli/store/summed-counts.js';

describe('SummedCounts', () => {
  it('sums by bucket id into JSON in ascending id order, leaving zeros out, for any id', () => {
    const sums = new SummedCounts();
    sums.add(1000, 2);
    sums.add(3, 5);
    sums.add(17, 1);
    sums.add(17, -1); // back to zero: not written
    sums.add(3, 4);
    expect(sums.toJson()).toBe('{"3":9,"1000":2}');
    expect(new SummedCounts().toJson()).toBe('{}');
  });

  it('stays exact past 2^53, from number or bigint counts, and when folded into coarser sums', () => {
    const max = Number.MAX_SAFE_INTEGER; // 2^53 - 1
    const fine = new SummedCounts();
    fine.add(2, max);
    fine.add(2, 2); // 2^53 + 1: not a double
    fine.add(5, 9223372036854775807n);
    fine.add(7, 1);
    expect(fine.toJson()).toBe('{"2":9007199254740993,"5":9223372036854775807,"7":1}');
    const coarse = new SummedCounts();
    coarse.add(2, 1);
    coarse.addAll(fine);
    coarse.add(5, -9223372036854775807n);
    expect(coarse.toJson()).toBe('{"2":9007199254740994,"7":1}');
  });

  it('refuses in one line a sum beyond the signed 64 bits a recording holds, instead of writing it', () => {
    const sums = new SummedCounts();
    sums.add(5, 9223372036854775807n);
    sums.add(5, 1);
    expect(() => sums.toJson()).toThrow(HeatError);
    expect(() => sums.toJson()).toThrow(
      'a rollup sum of counts is 9223372036854775808, beyond the signed 64-bit range',
    );
  });
});
