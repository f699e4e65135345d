// Parsing and checking of option values shared by several commands. Each failure names the flag.

import ms from 'ms';
import { STACKS_CHOICES, UNITS, type StacksChoice, type Unit } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Quantity } from '../record/program-source.js';

/** "10m", "90s", "1h", "90" (seconds) -> whole seconds. */
export function parseDurationSeconds(value: string, flag: string): number {
  const asNumber = Number(value);
  const millis = Number.isFinite(asNumber) ? asNumber * 1000 : ms(value as ms.StringValue);
  if (typeof millis !== 'number' || !Number.isFinite(millis) || millis <= 0) {
    throw new HeatError(
      `${flag} "${value}" is not a duration`,
      'use e.g. 30s, 10m, 2h or a number of seconds',
    );
  }
  return Math.max(1, Math.round(millis / 1000));
}

export function parseUnit(value: string): Unit {
  const unit = value === 'µs' ? 'us' : value;
  if (!(UNITS as readonly string[]).includes(unit))
    throw new HeatError(`--unit "${value}" is not a unit`, `use one of: ${UNITS.join(', ')}`);
  return unit as Unit;
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new HeatError(`${flag} "${value}" is not a positive whole number`, `e.g. ${flag} 8`);
  return n;
}

/**
 * A point in a recording for --from/--to: seconds since its start ("90", "1m30s" as 90s, "5m")
 * or an absolute ISO time ("2026-11-26T05:00:00Z"). Returns seconds since start.
 */
export function parseTimePoint(value: string, flag: string, startMs: number): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Math.floor(Number(value));
  const millis = ms(value as ms.StringValue);
  if (typeof millis === 'number' && Number.isFinite(millis)) return Math.floor(millis / 1000);
  const at = Date.parse(value);
  if (Number.isFinite(at)) return Math.floor((at - startMs) / 1000);
  throw new HeatError(
    `${flag} "${value}" is neither seconds since the start (e.g. 90, 5m) nor a date-time`,
    'e.g. --from 60 --to 5m, or an ISO time like 2026-11-26T05:00:00Z',
  );
}

/** --stacks [which]: user, kernel, or both (stored as "user+kernel"). */
export function parseStacksChoice(value: string): StacksChoice {
  const choice = value === 'both' ? 'user+kernel' : value;
  if (!(STACKS_CHOICES as readonly string[]).includes(choice))
    throw new HeatError(`--stacks "${value}" is not a kind of stack`, 'use user, kernel or both');
  return choice as StacksChoice;
}

/** --stacks-above "1ms", "500us", "2.5ms", "0" or a plain number (the recording's unit). */
export function parseQuantity(value: string, flag: string): Quantity {
  const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)?$/.exec(value.trim());
  if (!m)
    throw new HeatError(
      `${flag} "${value}" is not a duration`,
      `use e.g. ${flag} 1ms, 500us, or a plain number in the recording's unit`,
    );
  const unit = m[2] === undefined ? null : m[2] === 'µs' ? 'us' : (m[2] as Unit);
  return { value: Number(m[1]), unit };
}
