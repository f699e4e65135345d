// Reads the aggregations out of a D script and completes it for recording with dtrace(1): once a
// second print and truncate every distribution, then print the recorder's tick marker; in END print
// the partial last second and the end marker. libdtrace runs the script as written (its adapter walks
// the aggregations itself) and needs only the aggregation ids.

import { HeatError } from '../model/heat-error.js';
import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { END_MARKER, TICK_MARKER } from '../parse/trace-event.js';

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

/**
 * The script with quiet output (the pragma is appended, so compile errors keep the user's line
 * numbers) and the per-second and END clauses added for every distribution aggregation:
 * `tick-1s { printa(@a); trunc(@a); ... printf("heat-tracer:tick %d\n", timestamp); }`.
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
  const printAll = aggregations.map((name) => `printa(${name}); trunc(${name});`).join(' ');
  const text = [
    script.trimEnd(),
    '',
    '/* Added by heat-record: one snapshot per second, then a tick marker with the monotonic clock. */',
    ...(QUIET.test(stripCommentsAndStrings(script)) ? [] : ['#pragma D option quiet']),
    `tick-1s { ${printAll} printf("${TICK_MARKER} %d\\n", timestamp); }`,
    `END { ${printAll} printf("${END_MARKER} %d\\n", timestamp); }`,
    '',
  ].join('\n');
  return { text, aggregations };
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
