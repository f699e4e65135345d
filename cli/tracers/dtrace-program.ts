// Reads the aggregations out of a D script and completes it for recording with dtrace(1): every
// distribution keyed by the kernel second, drained as each second ends, with the recorder's
// start, tick and end markers. libdtrace runs the script as written (its adapter walks
// the aggregations itself) and needs only the aggregation ids.

import { HeatError } from '../model/heat-error.js';
import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { END_MARKER, START_MARKER, TICK_MARKER } from '../parse/trace-event.js';

/** `@name`, or the anonymous `@`. */
const AGGREGATION = /@([A-Za-z_][A-Za-z0-9_]*)?/g;
const QUIET = /^\s*#pragma\s+D\s+option\s+quiet\b/m;

/** Every aggregation in order of first appearance, with the function assigned to it (null if none seen). */
export function scriptAggregations(script: string): Map<string, string | null> {
  const code = stripCommentsAndStrings(script);
  const found = new Map<string, string | null>();
  for (const m of code.matchAll(AGGREGATION)) {
    const fn = assignedFunction(code, m.index + m[0].length);
    if (!found.has(m[0]) || (fn && !found.get(m[0]))) found.set(m[0], fn);
  }
  return found;
}

/** Aggregations assigned quantize(), lquantize() or llquantize(), in order of first appearance. */
export function distributionAggregations(script: string): string[] {
  return [...scriptAggregations(script)].filter(([, fn]) => fn !== null && isDtraceFunction(fn)).map(([name]) => name);
}

/** libdtrace's aggregation ids: 1, 2, ... in the order the compiler first meets each aggregation. */
export function aggregationVarids(script: string): Map<number, string> {
  return new Map([...scriptAggregations(script).keys()].map((name, i) => [i + 1, name]));
}

/** The kernel second of an event, as the recorder keys every distribution (`timestamp` is monotonic ns). */
const SECOND_KEY = 'timestamp / 1000000000';
/** The recorder's own global: the kernel second of the last drain. */
const LAST_DRAIN = 'heat_tracer_drained_s';

/**
 * The script completed for recording with dtrace(1):
 * - every distribution keyed by the kernel second first (`@lat[k] = quantize(x)` becomes
 *   `@lat[timestamp / 1000000000, k] = quantize(x)`), so an event lands in the second it happened
 *   however late the consumer prints; cli/parse/second-keyed-assembler.ts puts them back together;
 * - a start marker from BEGIN (the probes are live), then a drain 0-100 ms after each second turns:
 *   printa + trunc of every distribution and a tick marker with the kernel time, so a second is
 *   complete within about 100 ms rather than at tick-1s's arbitrary phase;
 * - END prints what is left, the end marker, and truncates every aggregation so the exit dump is
 *   empty (nothing is written once heat-record may have stopped reading).
 * Quiet output and a 10 Hz switch/aggregation rate are appended as pragmas, so compile errors
 * keep the user's line numbers.
 */
export function completeDtraceProgram(script: string): { text: string; aggregations: string[] } {
  const aggregations = distributionAggregations(script);
  if (aggregations.length === 0) {
    throw new HeatError('the D script defines no distribution (no "@name = quantize(...)", lquantize or llquantize)', 'heat-record records latency histograms: aggregate with quantize(), lquantize() or llquantize()');
  }
  const printed = aggregations.filter((name) => printsItself(script, name));
  if (printed.length > 0) {
    throw new HeatError(`the D script prints ${printed.join(', ')} itself`, 'remove its printa()/trunc()/clear() calls: heat-record prints and truncates every distribution once a second');
  }
  const drain = aggregations.map((name) => `printa(${name}); trunc(${name});`).join(' ');
  const truncOthers = [...scriptAggregations(script).keys()].filter((name) => !aggregations.includes(name)).map((name) => `trunc(${name});`).join(' ');
  const text = [
    keyBySecond(script).trimEnd(),
    '',
    '/* Added by heat-record: distributions keyed by the kernel second, drained as each second ends. */',
    ...(QUIET.test(stripCommentsAndStrings(script)) ? [] : ['#pragma D option quiet']),
    '#pragma D option switchrate=10hz',
    '#pragma D option aggrate=10hz',
    `BEGIN { ${LAST_DRAIN} = ${SECOND_KEY}; printf("${START_MARKER} %d\\n", timestamp); }`,
    `tick-100ms /${SECOND_KEY} != ${LAST_DRAIN}/ { ${LAST_DRAIN} = ${SECOND_KEY}; ${drain} printf("${TICK_MARKER} %d\\n", timestamp); }`,
    `END { ${drain} ${truncOthers} printf("${END_MARKER} %d\\n", timestamp); }`.replace('  ', ' '),
    '',
  ].join('\n');
  return { text, aggregations };
}

/** Puts the kernel second first in the key of every distribution assignment. */
export function keyBySecond(script: string): string {
  const code = stripCommentsAndStrings(script);
  const inserts: { at: number; text: string }[] = [];
  for (const m of code.matchAll(AGGREGATION)) {
    const after = m.index + m[0].length;
    const fn = assignedFunction(code, after);
    if (fn === null || !isDtraceFunction(fn)) continue;
    const open = skipSpaces(code, after);
    inserts.push(code[open] === '[' ? { at: open + 1, text: `${SECOND_KEY}, ` } : { at: after, text: `[${SECOND_KEY}]` });
  }
  let out = script;
  for (const { at, text } of inserts.reverse()) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/**
 * Refuses what Oracle's Linux DTrace 2.0 compiles but cannot run: `vtimestamp` fails at run time
 * with one "illegal operation" error per event (about a million stderr lines a second).
 */
export function checkLinuxDtraceScript(script: string, source: string): void {
  if (/\bvtimestamp\b/.test(stripCommentsAndStrings(script))) {
    throw new HeatError(`the D script given with ${source} uses vtimestamp, which Linux DTrace 2.0 does not implement`, 'use timestamp instead (it counts time off the CPU too)');
  }
}

/** The function called right after `@name[...] =`, or null. Keys may nest brackets: `@a[args[0]->x]`. */
function assignedFunction(code: string, from: number): string | null {
  let i = skipSpaces(code, from);
  if (code[i] === '[') i = skipSpaces(code, skipBrackets(code, i));
  if (code[i] !== '=' || code[i + 1] === '=') return null;
  const call = /^\s*([A-Za-z_]\w*)\s*\(/.exec(code.slice(i + 1, i + 80));
  return call ? call[1]! : null;
}

function skipSpaces(code: string, i: number): number {
  while (i < code.length && /\s/.test(code[i]!)) i++;
  return i;
}

/** The index just past the `]` matching the `[` at i. */
function skipBrackets(code: string, i: number): number {
  let depth = 0;
  for (; i < code.length; i++) {
    if (code[i] === '[') depth++;
    if (code[i] === ']' && --depth === 0) return i + 1;
  }
  return i;
}

function printsItself(script: string, name: string): boolean {
  const code = stripCommentsAndStrings(script);
  const mention = new RegExp(`${name}(?![A-Za-z0-9_])`);
  return [...code.matchAll(/\b(?:printa|trunc|clear)\s*\(([^;]*)\)/g)].some((m) => mention.test(m[1]!));
}

/** Blanks out comments and string/char literals (keeping offsets), so an `@` inside them is not read. */
function stripCommentsAndStrings(script: string): string {
  return script.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}
