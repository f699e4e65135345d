// Parsing of the times `heat-record mark` takes (--at, --from, --to) into wall-clock Unix ms.
// Forms: a time of day ("12:03:04", local time, on the recording's date: the first such moment at
// or after its start), an ISO date-time, or seconds since the start as --from takes them ("63",
// "1.5", "5m"). Kept to the millisecond: a mark is drawn where it was put, not on a whole second.

import ms from 'ms';
import { HeatError } from '../model/heat-error.js';

const DAY_MS = 86_400_000;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?$/;

/**
 * The wall-clock time `value` names in a recording that starts at startMs.
 * @param lastMs the recording's end (or now while it records): a time of day moves to a later
 *   date only while that stays within the recording
 */
export function parseMarkTime(
  value: string,
  flag: string,
  startMs: number,
  lastMs: number,
): number {
  const trimmed = value.trim();
  const clock = TIME_OF_DAY.exec(trimmed);
  if (clock) return timeOfDay(clock, flag, value, startMs, lastMs);
  if (/^\d+(\.\d+)?$/.test(trimmed)) return startMs + Math.round(Number(trimmed) * 1000);
  const offset = ms(trimmed as ms.StringValue);
  if (typeof offset === 'number' && Number.isFinite(offset)) return startMs + Math.round(offset);
  const at = Date.parse(trimmed);
  if (Number.isFinite(at)) return at;
  throw new HeatError(
    `${flag} "${value}" is neither a time of day, a date-time nor seconds since the start`,
    `e.g. ${flag} 12:03:04, ${flag} 2026-11-26T12:03:04Z or ${flag} 90`,
  );
}

function timeOfDay(
  clock: RegExpExecArray,
  flag: string,
  value: string,
  startMs: number,
  lastMs: number,
): number {
  const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59)
    throw new HeatError(
      `${flag} "${value}" is not a time of day`,
      'use hh:mm or hh:mm:ss, 24-hour, e.g. 12:03:04',
    );
  const day = new Date(startMs);
  let at = new Date(
    day.getFullYear(),
    day.getMonth(),
    day.getDate(),
    h,
    m,
    s,
    Math.round(Number(clock[4] ?? 0) * 1000),
  ).getTime();
  while (at < startMs && at + DAY_MS <= lastMs) at += DAY_MS;
  return at;
}
