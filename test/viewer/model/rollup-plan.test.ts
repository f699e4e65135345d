import { describe, expect, it } from 'vitest';
import { planRead } from '../../../viewer/src/model/rollup-plan.js';

// A finished 3650-second recording: every level written through its end.
const finished = new Map([
  [10, 3650],
  [60, 3650],
  [600, 3650],
  [3600, 3650],
]);

describe('planRead', () => {
  it('reads a whole finished recording from the coarsest windows, the cut-short last one included', () => {
    expect(planRead(0, 3650, finished, 3650)).toEqual([{ level: 3600, from: 0, to: 3650 }]);
  });

  it('reads ragged ends from finer levels and hist', () => {
    expect(planRead(5, 3650, finished, 3650)).toEqual([
      { level: 1, from: 5, to: 10 },
      { level: 10, from: 10, to: 60 },
      { level: 60, from: 60, to: 600 },
      { level: 600, from: 600, to: 3600 },
      { level: 3600, from: 3600, to: 3650 },
    ]);
    expect(planRead(61, 75, finished, 3650)).toEqual([{ level: 1, from: 61, to: 75 }]);
  });

  it('uses only windows that are complete while a recording grows', () => {
    const live = new Map([
      [10, 120],
      [60, 120],
      [600, 0],
      [3600, 0],
    ]);
    expect(planRead(0, 125, live, 125)).toEqual([
      { level: 60, from: 0, to: 120 },
      { level: 1, from: 120, to: 125 },
    ]);
  });

  it('clips to the data and returns nothing for an empty range', () => {
    const short = new Map([
      [10, 125],
      [60, 125],
      [600, 125],
      [3600, 125],
    ]);
    expect(planRead(100, 200, short, 125)).toEqual([
      { level: 10, from: 100, to: 120 },
      { level: 60, from: 120, to: 125 },
    ]);
    expect(planRead(0, 125, short, 125)).toEqual([{ level: 3600, from: 0, to: 125 }]);
    expect(planRead(10, 10, finished, 3650)).toEqual([]);
    expect(planRead(0, 30, new Map(), 3650)).toEqual([{ level: 1, from: 0, to: 30 }]);
  });
});
