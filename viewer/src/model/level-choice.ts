// Which stored resolution a frame reads: the rollup level whose windows best match the seconds
// under one pixel column, made coarser when that would read too many rows at once. Pure, so the
// rule is tested with exact numbers.

export interface LevelChoice {
  /** Seconds shown and pixel columns across them. */
  span: number;
  columns: number;
  /** Levels (window sizes in seconds) this key selection can read, e.g. [1, 10, 60, 600, 3600]. */
  levels: readonly number[];
  /** Stored rows per window: 1 for the all-keys sums, the number of keys otherwise. */
  rowsPerWindow: number;
  /** Most rows one view may read. */
  budget: number;
}

/** The level nearest to the seconds per column on a log scale; a tie goes to the finer level. */
export function nearestLevel(secondsPerColumn: number, levels: readonly number[]): number {
  let best = levels[0]!;
  for (const level of levels) {
    if (Math.abs(Math.log(level / secondsPerColumn)) < Math.abs(Math.log(best / secondsPerColumn)) - 1e-12) best = level;
  }
  return best;
}

/** The nearest level, or the first coarser one whose rows for the span fit the budget. */
export function chooseLevel(c: LevelChoice): number {
  const sorted = [...c.levels].sort((a, b) => a - b);
  const nearest = nearestLevel(c.span / Math.max(1, c.columns), sorted);
  const coarser = sorted.filter((l) => l >= nearest);
  return coarser.find((l) => Math.ceil(c.span / l) * c.rowsPerWindow <= c.budget) ?? coarser[coarser.length - 1]!;
}

/** The windows [i0, i1) of a level that hold the seconds [from, to). */
export function windowsOf(from: number, to: number, level: number): [number, number] {
  return [Math.floor(from / level), Math.ceil(to / level)];
}
