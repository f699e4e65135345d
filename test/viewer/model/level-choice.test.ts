import { describe, expect, it } from 'vitest';
import { chooseLevel, groupSeconds, windowsOf } from '../../../viewer/src/model/level-choice.js';

const ALL = [1, 10, 60, 600, 3600];
const PER_KEY = [1, 60, 600, 3600];
const BUDGET = 20_000;

describe('the level a frame reads', () => {
  it('shows cells of whole windows, at least a column (and a second) wide', () => {
    expect(groupSeconds(45, 60)).toBe(60);
    expect(groupSeconds(86.4, 60)).toBe(120);
    expect(groupSeconds(120, 60)).toBe(120);
    expect(groupSeconds(1.875, 1)).toBe(2);
    expect(groupSeconds(0.3, 1)).toBe(1);
    expect(groupSeconds(7, 10)).toBe(10);
  });

  it('is the coarsest level within the budget whose cells are at most 1.5 columns wide', () => {
    const all = (span: number, columns: number) =>
      chooseLevel({ span, columns, levels: ALL, rowsPerWindow: 1, budget: BUDGET });
    expect(all(86_400, 1920)).toEqual({ level: 60, group: 60 }); // 24 h at 1920 px: 45 s per column
    expect(all(86_400, 1000)).toEqual({ level: 60, group: 120 });
    expect(all(7000, 1000)).toEqual({ level: 10, group: 10 });
    expect(all(5000, 1000)).toEqual({ level: 1, group: 5 });
    expect(all(3600, 1920)).toEqual({ level: 1, group: 2 });
    expect(all(600, 2000)).toEqual({ level: 1, group: 1 });
  });

  it('else the level with the narrowest cells within the budget, else the coarsest', () => {
    // One second per column over a day: per-second rows would pass the budget, 10 s cells are the sharpest in it.
    expect(
      chooseLevel({ span: 86_400, columns: 86_400, levels: ALL, rowsPerWindow: 1, budget: BUDGET }),
    ).toEqual({ level: 10, group: 10 });
    // One key, 20 s per column: its 38,400 hist rows pass the budget, so minute windows 3 columns wide.
    expect(
      chooseLevel({
        span: 38_400,
        columns: 1920,
        levels: PER_KEY,
        rowsPerWindow: 1,
        budget: BUDGET,
      }),
    ).toEqual({ level: 60, group: 60 });
    // 39 keys of 40 read one by one: 1440 windows x 39 rows pass the budget, so 10-minute windows.
    expect(
      chooseLevel({
        span: 86_400,
        columns: 1920,
        levels: PER_KEY,
        rowsPerWindow: 39,
        budget: BUDGET,
      }),
    ).toEqual({ level: 600, group: 600 });
    // ... read as all keys minus one: 2 rows per window.
    expect(
      chooseLevel({
        span: 86_400,
        columns: 1920,
        levels: PER_KEY,
        rowsPerWindow: 2,
        budget: BUDGET,
      }),
    ).toEqual({ level: 60, group: 60 });
    expect(
      chooseLevel({ span: 1e7, columns: 10, levels: ALL, rowsPerWindow: 1e6, budget: 1 }),
    ).toEqual({ level: 3600, group: 278 * 3600 });
  });

  it('gives the windows holding a span of seconds', () => {
    expect(windowsOf(125, 3600, 60)).toEqual([2, 60]);
    expect(windowsOf(0, 86_400, 3600)).toEqual([0, 24]);
    expect(windowsOf(7, 8, 10)).toEqual([0, 1]);
  });
});
