// Which stored rows answer "counts of seconds [from, to)" with the fewest reads: whole rollup
// windows where they are complete, finer levels at the ragged ends, hist (level 1) for the rest.
// See rollup and rollup_state in schemas/recording.sql.

/** A piece of the range read from one level: level 1 means hist rows, else rollup windows. */
export interface PlanStep {
  level: number;
  from: number;
  to: number;
}

/**
 * @param levels rollup levels usable for this read, with how far each is complete (`through`,
 *   exclusive). Level 1 (hist) is always usable and need not be listed.
 * @param end the second after the last one stored; a window cut short by the end of the data
 *   counts as whole once `through` has reached `end`.
 */
export function planRead(
  from: number,
  to: number,
  levels: ReadonlyMap<number, number>,
  end: number,
): PlanStep[] {
  const sorted = [...levels.keys()].filter((l) => l > 1).sort((a, b) => a - b);
  const stop = Math.min(to, end);
  if (stop <= from) return [];
  return merge(cover(from, stop, sorted.length - 1, sorted, levels, end));
}

function cover(
  from: number,
  to: number,
  i: number,
  sorted: number[],
  levels: ReadonlyMap<number, number>,
  end: number,
): PlanStep[] {
  if (from >= to) return [];
  if (i < 0) return [{ level: 1, from, to }];
  const level = sorted[i]!;
  const through = levels.get(level)!;
  const first = Math.ceil(from / level) * level;
  let last = first;
  while (last < to && Math.min(last + level, end) <= Math.min(to, through))
    last = Math.min(last + level, end);
  if (last === first) return cover(from, to, i - 1, sorted, levels, end);
  return [
    ...cover(from, first, i - 1, sorted, levels, end),
    { level, from: first, to: last },
    ...cover(last, to, i - 1, sorted, levels, end),
  ];
}

/** Joins neighbouring steps of the same level. */
function merge(steps: PlanStep[]): PlanStep[] {
  const out: PlanStep[] = [];
  for (const s of steps) {
    const prev = out[out.length - 1];
    if (prev && prev.level === s.level && prev.to === s.from) prev.to = s.to;
    else out.push({ ...s });
  }
  return out;
}
