// Rewrites a script's histogram assignments so the kernel books every event in the second it
// happens, into one of two maps by the second's parity:
//   @lat[args->id] = hist((nsecs - @start[tid]) / 1000);
// becomes
//   $heat_ns = nsecs; $heat_s = $heat_ns / 1000000000;
//   if ($heat_s % 2 == 0) { @lat__heat_even[$heat_s, args->id] = hist(($heat_ns - @start[tid]) / 1000); }
//   else { @lat__heat_odd[$heat_s, args->id] = hist(($heat_ns - @start[tid]) / 1000); }
// The once-a-second drain then prints and clears only the map of the other parity, which no event
// is writing to: no event is lost between print and clear, however slowly bpftrace gets to them.
// The statement reads the clock once: each `nsecs` is a helper call (~40 ns here, measured with
// bpf_stats), most of what the rewrite cost per event while it read the clock again for the
// second; sharing it also books the event in the second of the instant its latency ends at.

import { STACK_MAP_SUFFIX } from '../parse/bpftrace-stacks.js';

const EVEN = '__heat_even';
const ODD = '__heat_odd';
/** The parity suffixes, shared with the D rewrite (dtrace-second-aggregations.ts). */
export { EVEN as EVEN_SUFFIX, ODD as ODD_SUFFIX };
const SECOND_VAR = '$heat_s';
const NS_VAR = '$heat_ns';

/** `@lat__heat_even` -> `@lat`: the name the user wrote. */
export function baseAggregation(printed: string): string {
  return printed.endsWith(EVEN)
    ? printed.slice(0, -EVEN.length)
    : printed.endsWith(ODD)
      ? printed.slice(0, -ODD.length)
      : printed;
}

/** Statements that drain the maps of the parity not being written now (for the tick probes). */
export function drainPreviousSecond(maps: string[]): string {
  const drain = (suffix: string) =>
    maps.map((m) => `print(${m}${suffix}); clear(${m}${suffix});`).join(' ');
  return `${SECOND_VAR} = nsecs / 1000000000; if (${SECOND_VAR} % 2 == 0) { ${drain(ODD)} } else { ${drain(EVEN)} }`;
}

/** Statements that drain both parities (END). */
export function drainAll(maps: string[]): string {
  return maps
    .map((m) => `print(${m}${EVEN}); clear(${m}${EVEN}); print(${m}${ODD}); clear(${m}${ODD});`)
    .join(' ');
}

const ASSIGNMENT = /(@[A-Za-z0-9_]*)(?:\s*\[([^\]]*)\])?\s*=\s*(l?hist)\s*\(/g;

/** One `@name[keys] = hist(args);` statement found in a script. */
export interface HistStatement {
  /** The map with its @. */
  name: string;
  /** The key expressions as written, "" when keyless. */
  keys: string;
  fn: 'hist' | 'lhist';
  /** The call's arguments as written. */
  args: string;
}

/** The script with every hist()/lhist() statement (and its ';') replaced by what `rewrite` makes of it. */
export function rewriteHistStatements(
  script: string,
  rewrite: (s: HistStatement) => string,
): string {
  let out = '';
  let from = 0;
  for (const m of script.matchAll(ASSIGNMENT)) {
    if (m.index < from) continue;
    const argsStart = m.index + m[0].length;
    const argsEnd = closingParen(script, argsStart);
    if (argsEnd < 0) continue; // unbalanced: leave it for bpftrace to report
    out += script.slice(from, m.index);
    out += rewrite({
      name: m[1]!,
      keys: m[2]?.trim() ?? '',
      fn: m[3] as 'hist' | 'lhist',
      args: script.slice(argsStart, argsEnd),
    });
    from = skipSemicolon(script, argsEnd + 1);
  }
  return out + script.slice(from);
}

/**
 * The script with every hist()/lhist() assignment split by second parity and keyed by second.
 * A stack companion (bpftrace-stack-maps.ts) reuses the second its histogram just took, so an
 * event and its stack are always booked in the same second.
 */
export function splitBySecond(script: string): string {
  return rewriteHistStatements(script, (a) => {
    const call = `${a.fn}(${clockReadOnce(a.args)})`;
    const keys = a.keys ? `${SECOND_VAR}, ${clockReadOnce(a.keys)}` : SECOND_VAR;
    const second = a.name.endsWith(STACK_MAP_SUFFIX)
      ? ''
      : `${NS_VAR} = nsecs; ${SECOND_VAR} = ${NS_VAR} / 1000000000; `;
    return `${second}if (${SECOND_VAR} % 2 == 0) { ${a.name}${EVEN}[${keys}] = ${call}; } else { ${a.name}${ODD}[${keys}] = ${call}; }`;
  });
}

/** `nsecs` outside strings -> the statement's one reading of the clock. */
function clockReadOnce(code: string): string {
  let out = '';
  let at = 0;
  for (let quote = code.indexOf('"'); quote >= 0; quote = code.indexOf('"', at)) {
    const close = closingQuote(code, quote);
    out += code.slice(at, quote).replace(NSECS, NS_VAR) + code.slice(quote, close + 1);
    at = close + 1;
  }
  return out + code.slice(at).replace(NSECS, NS_VAR);
}

/** The builtin, not part of a longer name (`$nsecs_x`, `@nsecs`, `my_nsecs`). */
const NSECS = /(?<![\w$@])nsecs(?!\w)/g;

/** Index of the ')' closing the '(' just before `start`, skipping strings; -1 if none. */
function closingParen(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** After the assignment: skip one ';' (a block statement must not be followed by one in bpftrace 0.17). */
function skipSemicolon(text: string, at: number): number {
  const m = /^\s*;/.exec(text.slice(at));
  return m ? at + m[0].length : at;
}
