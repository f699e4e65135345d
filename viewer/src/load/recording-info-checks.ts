// What the viewer reads at open, checked against the format's bounds (schemas/recording-limits.ts)
// before anything is sized by it: a `second` row with t = 9,000,000,000 or a rollup state
// "through" of -10^12 would otherwise size an array or a loop. A file that breaks them is
// refused with a RecordingError ('damaged') naming what is wrong.

import { ROLLUP_LEVELS } from '../../../schemas/format.js';
import {
  isRecordingSecond,
  isStartMs,
  MAX_KEY_CHARS,
  MAX_SECOND,
} from '../../../schemas/recording-limits.js';
import type { RecordingInfo, SecondRun } from '../model/recording-source.js';
import { RecordingError } from './recording-error.js';

/** The info as read, once every value in it is within bounds; rollup state outside them is ignored (rollups are rebuilt). */
export function checkRecordingInfo(info: RecordingInfo): RecordingInfo {
  const bad = (reason: string) =>
    new RecordingError(info.name, 'damaged', `the file is damaged: ${reason}`);
  const start = info.meta.start_ms;
  if (start !== undefined && start !== '' && !isStartMs(Number(start)))
    throw bad(
      `its start time (meta.start_ms) is ${JSON.stringify(start.slice(0, 40))}, not a time in Unix ms`,
    );
  checkSecondRuns(info.secondRuns, bad);
  for (const s of info.series) {
    if (!Number.isSafeInteger(s.id))
      throw bad(`a series id is ${String(s.id)}, not a whole number`);
    if (s.key.length > MAX_KEY_CHARS)
      throw bad(
        `the key of series ${s.id} is ${s.key.length} characters long (at most ${MAX_KEY_CHARS})`,
      );
  }
  for (const b of info.buckets) {
    const bound = (v: number | null) => v === null || Number.isFinite(v);
    if (!Number.isSafeInteger(b.id) || !bound(b.lo) || !bound(b.hi))
      throw bad(`bucket ${String(b.id)} has bounds ${String(b.lo)}..${String(b.hi)}, not numbers`);
    if (b.lo !== null && b.hi !== null && b.lo > b.hi)
      throw bad(`bucket ${b.id} runs from ${b.lo} down to ${b.hi}`);
  }
  for (const h of info.health) {
    if ((h.t !== null && !Number.isFinite(h.t)) || !Number.isFinite(h.count))
      throw bad(`a health row has t ${String(h.t)} and count ${String(h.count)}, not numbers`);
  }
  return { ...info, ...checkedRollupState(info) };
}

/** Every run within 0..MAX_SECOND, first <= last, in time order, none touching the next (runs would be one). */
function checkSecondRuns(
  runs: readonly SecondRun[],
  bad: (reason: string) => RecordingError,
): void {
  let last = -2;
  for (const r of runs) {
    for (const t of [r.first, r.last])
      if (!isRecordingSecond(t))
        throw bad(
          `it has a second t = ${String(t).slice(0, 40)}; seconds run from 0 to ${MAX_SECOND}`,
        );
    if (r.first > r.last) throw bad(`a run of seconds goes from ${r.first} down to ${r.last}`);
    if (r.first <= last + 1) throw bad(`second ${r.first} is stored twice or out of order`);
    last = r.last;
  }
}

/** Rollup levels the format knows, with `through` within 0..MAX_SECOND + 1; others are dropped (and rebuilt when needed). */
function checkedRollupState(
  info: RecordingInfo,
): Pick<RecordingInfo, 'rollupThrough' | 'perSeriesLevels'> {
  const known = (l: number) => (ROLLUP_LEVELS as readonly number[]).includes(l);
  const rollupThrough = new Map(
    [...info.rollupThrough].filter(
      ([l, t]) => known(l) && Number.isInteger(t) && t >= 0 && t <= MAX_SECOND + 1,
    ),
  );
  return { rollupThrough, perSeriesLevels: info.perSeriesLevels.filter(known) };
}
