// Which stored resolution a frame reads, and how many of its windows each cell shows. A cell is
// a group of whole windows at least one pixel column wide, so every cell of a frame covers the
// same number of seconds: summing 1 window in one column and 2 in the next would paint stripes
// that are not in the data. Among the levels whose rows fit the budget, the coarsest whose cells
// are at most 1.5 columns wide is read (fewest rows, sharp enough); else the one with the
// narrowest cells. Pure, so the rule is tested with exact numbers.

export interface LevelChoice {
  /** Seconds shown and pixel columns across them. */
  span: number;
  columns: number;
  /** Levels (window sizes in seconds) this key selection can read, e.g. [1, 10, 60, 600, 3600]. */
  levels: readonly number[];
  /** Stored rows per window: 1 for the all-keys sums, more for a key selection. */
  rowsPerWindow: number;
  /** Most rows one view may read. */
  budget: number;
}

export interface LevelPick {
  level: number;
  /** Seconds per cell: a whole number of windows, at least a column's worth (and 1). */
  group: number;
}

/** How wide a cell may be, in columns, and still count as sharp. */
const SHARP = 1.5;

/** Seconds per cell at a level: the fewest whole windows covering one column. */
export function groupSeconds(secondsPerColumn: number, level: number): number {
  return Math.max(1, Math.ceil(secondsPerColumn / level - 1e-9)) * level;
}

export function chooseLevel(c: LevelChoice): LevelPick {
  const spc = c.span / Math.max(1, c.columns);
  const sorted = [...c.levels].sort((a, b) => a - b);
  const pick = (level: number): LevelPick => ({ level, group: groupSeconds(spc, level) });
  const fits = sorted.filter((l) => Math.ceil(c.span / l) * c.rowsPerWindow <= c.budget);
  if (fits.length === 0) return pick(sorted[sorted.length - 1]!);
  const sharp = fits.filter((l) => groupSeconds(spc, l) <= SHARP * Math.max(1, spc));
  if (sharp.length) return pick(sharp[sharp.length - 1]!);
  return pick(
    fits.reduce((best, l) => (groupSeconds(spc, l) < groupSeconds(spc, best) ? l : best)),
  );
}

/** The windows [i0, i1) of a level that hold the seconds [from, to). */
export function windowsOf(from: number, to: number, level: number): [number, number] {
  return [Math.floor(from / level), Math.ceil(to / level)];
}
