// numberIntervals: seconds and wall clocks for imported intervals, exact numbers.

import { describe, expect, it } from 'vitest';
import { numberIntervals } from '../../cli/import/interval-times.js';
import { HeatError } from '../../cli/model/heat-error.js';

const S = 1_796_512_396_000; // a printed wall clock, Unix ms
const walls = (...ms: (number | null)[]) => ms.map((wallMs) => ({ wallMs }));

describe('numberIntervals', () => {
  it('without printed times: one second apart, the last ending when the file was saved', () => {
    expect(numberIntervals(walls(null, null, null), undefined, 10_000)).toEqual([
      { t: 0, wallMs: 8_000 },
      { t: 1, wallMs: 9_000 },
      { t: 2, wallMs: 10_000 },
    ]);
  });

  it('printed times place the seconds: a skipped second is a gap, an unprinted one follows the last', () => {
    expect(numberIntervals(walls(S, S + 1000, S + 3000, null), undefined, 0)).toEqual([
      { t: 0, wallMs: S },
      { t: 1, wallMs: S + 1000 },
      { t: 3, wallMs: S + 3000 },
      { t: 4, wallMs: S + 4000 },
    ]);
  });

  it('a printed time that goes back, repeats or leaps more than a day is taken as the next second', () => {
    expect(
      numberIntervals(walls(S, S, S - 5000, S + 2 * 86_400_000), undefined, 0).map((i) => i.t),
    ).toEqual([0, 1, 2, 3]);
  });

  it('data before the first printed time keeps its place before it', () => {
    expect(numberIntervals(walls(null, S), undefined, 0)).toEqual([
      { t: 0, wallMs: S - 1000 },
      { t: 1, wallMs: S },
    ]);
  });

  it('--start wins over printed times; whole ms only', () => {
    expect(numberIntervals(walls(S, S + 2000), 1_000.4, 0)).toEqual([
      { t: 0, wallMs: 2_000 },
      { t: 2, wallMs: 4_000 },
    ]);
  });

  it('refuses a start before 1970 in one line', () => {
    expect(() => numberIntervals(walls(null), -5_000, 0)).toThrow(HeatError);
  });
});
