import { describe, expect, it } from 'vitest';
import { chooseLevel, nearestLevel, windowsOf } from '../../../viewer/src/model/level-choice.js';

const ALL = [1, 10, 60, 600, 3600];
const PER_KEY = [1, 60, 600, 3600];

describe('the level a frame reads', () => {
  it('is the level nearest to the seconds per column on a log scale, the finer one on a tie', () => {
    expect(nearestLevel(45, ALL)).toBe(60); // 24 h over 1920 px
    expect(nearestLevel(20, ALL)).toBe(10);
    expect(nearestLevel(3, ALL)).toBe(1);
    expect(nearestLevel(Math.sqrt(10), ALL)).toBe(1);
    expect(nearestLevel(0.2, ALL)).toBe(1);
    expect(nearestLevel(7.5, PER_KEY)).toBe(1);
    expect(nearestLevel(8, PER_KEY)).toBe(60);
    expect(nearestLevel(1e6, ALL)).toBe(3600);
  });

  it('is made coarser while the rows it would read pass the budget', () => {
    expect(chooseLevel({ span: 86_400, columns: 1920, levels: ALL, rowsPerWindow: 1, budget: 40_000 })).toBe(60);
    // All keys but one of 40: 1440 windows x 39 rows = 56,160 > 40,000, so 10-minute windows.
    expect(chooseLevel({ span: 86_400, columns: 1920, levels: PER_KEY, rowsPerWindow: 39, budget: 40_000 })).toBe(600);
    expect(chooseLevel({ span: 3600, columns: 1920, levels: ALL, rowsPerWindow: 1, budget: 40_000 })).toBe(1);
    expect(chooseLevel({ span: 86_400, columns: 86_400, levels: ALL, rowsPerWindow: 1, budget: 40_000 })).toBe(10);
    expect(chooseLevel({ span: 1e7, columns: 10, levels: ALL, rowsPerWindow: 1e6, budget: 1 })).toBe(3600);
  });

  it('gives the windows holding a span of seconds', () => {
    expect(windowsOf(125, 3600, 60)).toEqual([2, 60]);
    expect(windowsOf(0, 86_400, 3600)).toEqual([0, 24]);
    expect(windowsOf(7, 8, 10)).toEqual([0, 1]);
  });
});
