// Checks of single values read from a recording against its format (schemas/recording.sql and
// recording-limits.ts). Each returns the typed value or throws Damage saying, in words, what is
// wrong; the reader adds the file's name. Rows are read with safeIntegers, so integers arrive
// as bigint and anything else (text, real, blob, NULL) is refused by type.

import { MAX_KEY_CHARS, MAX_SECOND } from '../../schemas/recording-limits.js';
import { describeValue, quote } from './stored-counts.js';

/** What is wrong with a value read from a recording (the reader names the file). */
export class Damage extends Error {}

/** An integer column: a bigint within [min, max]. */
export function int(
  value: unknown,
  what: string,
  min = -(2n ** 63n),
  max = 2n ** 63n - 1n,
): bigint {
  if (typeof value !== 'bigint')
    throw new Damage(`${what} is ${describeValue(value)}, not a whole number`);
  if (value < min || value > max) throw new Damage(`${what} is ${value}, outside ${min}..${max}`);
  return value;
}

/** An integer column that may be NULL. */
export function intOrNull(value: unknown, what: string): bigint | null {
  return value === null ? null : int(value, what);
}

/** A small integer (an id or a second) as a number. */
export function smallInt(
  value: unknown,
  what: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return Number(int(value, what, BigInt(min), BigInt(max)));
}

/** A second of the recording: 0..MAX_SECOND. */
export function second(value: unknown, what: string): number {
  return smallInt(value, what, 0, MAX_SECOND);
}

/** A text column. */
export function text(value: unknown, what: string, maxChars = Number.MAX_SAFE_INTEGER): string {
  if (typeof value !== 'string') throw new Damage(`${what} is ${describeValue(value)}, not text`);
  if (value.length > maxChars)
    throw new Damage(`${what} is ${value.length} characters long (at most ${maxChars})`);
  return value;
}

/** series.key_json (or stack.frames): a JSON array of strings, within maxChars (@default MAX_KEY_CHARS). */
export function keyParts(value: unknown, what: string, maxChars = MAX_KEY_CHARS): string[] {
  const json = text(value, what, maxChars);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Damage(`${what} is not JSON (${quote(json)})`);
  }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string'))
    throw new Damage(`${what} is not a JSON array of strings (${quote(json)})`);
  return parsed as string[];
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(value: unknown, what: string, allowed: readonly T[]): T {
  const word = text(value, what);
  if (!(allowed as readonly string[]).includes(word))
    throw new Damage(`${what} is ${quote(word)}, not one of ${allowed.join(', ')}`);
  return word as T;
}
