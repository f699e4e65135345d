// Reads the aggregations out of a D script and completes it for recording with dtrace(1): every
// distribution keyed by the kernel second and split by its parity, drained as each second ends,
// with the recorder's start, tick and end markers. libdtrace runs the script as written (its adapter walks
// the aggregations itself) and needs only the aggregation ids.

import { HeatError } from '../model/heat-error.js';
import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { END_MARKER, START_MARKER, TICK_MARKER } from '../parse/trace-event.js';
import { AGGREGATION, assignedFunction, stripCommentsAndStrings } from './d-script-scan.js';
import type { StackOptions } from './bpftrace-stack-maps.js';
import { D_SECOND, drainParity, splitBySecondParity } from './dtrace-second-aggregations.js';
import { drainStackParity } from './dtrace-stack-aggregations.js';

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
  return [...scriptAggregations(script)]
    .filter(([, fn]) => fn !== null && isDtraceFunction(fn))
    .map(([name]) => name);
}

/** libdtrace's aggregation ids: 1, 2, ... in the order the compiler first meets each aggregation. */
export function aggregationVarids(script: string): Map<number, string> {
  return new Map([...scriptAggregations(script).keys()].map((name, i) => [i + 1, name]));
}

/** The recorder's own global: the kernel second of the last drain. */
const LAST_DRAIN = 'heat_tracer_drained_s';

/** Drain no sooner than 200 ms into a second, polling every 10 ms (see completeDtraceProgram). */
const DRAIN_AFTER = 'timestamp % 1000000000 >= 200000000';
const DRAIN_POLL = 'tick-10ms';

/**
 * The script completed for recording with dtrace(1):
 * - every distribution keyed by the kernel second first and split by its parity
 *   (dtrace-second-aggregations.ts), so an event lands in the second it happened however late the
 *   consumer prints, and no event is lost to the truncation of its aggregation;
 * - a start marker from BEGIN (the probes are live), then a drain 200-210 ms after each second
 *   turns: printa + trunc of the ended second's parity of every distribution and a tick marker
 *   with the kernel time. Not sooner: printa prints the consumer's last aggregation snapshot and
 *   trunc deletes from the kernel only the keys that snapshot held, so a drain read with a
 *   snapshot from before the second turned would miss the second's last events (keys first seen
 *   after it come out two seconds later, events added to known keys are deleted unprinted). With
 *   aggrate 0 the consumer snapshots on every pass, just before it reads the drain's record: only
 *   a pass begun before the second turned and still reading 200 ms later could miss them.
 *   The drain polls every 10 ms: tick probes are perf events, which the kernel skips when they
 *   fire while another BPF program runs on that CPU (seen: most of the 100 ms ticks under a
 *   getppid loop and two busy loops). A second whose drain was skipped altogether waits for the
 *   next drain of its parity (second-keyed-assembler.ts);
 * - END prints both parities (even, then odd: printa calls keep the order the parser names them
 *   by), the end marker, and truncates every aggregation so the exit dump is empty (nothing is
 *   written once heat-record may have stopped reading).
 * - with --stacks, each distribution's stack companion (dtrace-stack-aggregations.ts), drained
 *   with it after the distributions, each behind its marker line (END: both parities' distributions
 *   first, since the parser names them by counting printa calls up to the first marker).
 * Quiet output and a 10 Hz switch/aggregation rate are appended as pragmas, so compile errors
 * keep the user's line numbers. `aggregations` are the script's own names, in printa order.
 */
export function completeDtraceProgram(
  script: string,
  stacks: StackOptions | null = null,
): { text: string; aggregations: string[] } {
  const aggregations = distributionAggregations(script);
  if (aggregations.length === 0) {
    throw new HeatError(
      'the D script defines no distribution (no "@name = quantize(...)", lquantize or llquantize)',
      'heat-record records latency histograms: aggregate with quantize(), lquantize() or llquantize()',
    );
  }
  const printed = aggregations.filter((name) => printsItself(script, name));
  if (printed.length > 0) {
    throw new HeatError(
      `the D script prints ${printed.join(', ')} itself`,
      'remove its printa()/trunc()/clear() calls: heat-record prints and truncates every distribution once a second',
    );
  }
  const truncOthers = [...scriptAggregations(script).keys()]
    .filter((name) => !aggregations.includes(name))
    .map((name) => `trunc(${name});`)
    .join(' ');
  const drain = (parity: 'even' | 'odd') =>
    [
      drainParity(aggregations, parity),
      stacks ? drainStackParity(aggregations, stacks.which, parity) : '',
    ]
      .filter(Boolean)
      .join(' ');
  const drainAtEnd = [
    drainParity(aggregations, 'even'),
    drainParity(aggregations, 'odd'),
    ...(stacks
      ? (['even', 'odd'] as const).map((p) => drainStackParity(aggregations, stacks.which, p))
      : []),
    truncOthers,
  ];
  const text = [
    splitBySecondParity(script, stacks).trimEnd(),
    '',
    '/* Added by heat-record: distributions keyed by the kernel second, drained as each second ends. */',
    ...(QUIET.test(stripCommentsAndStrings(script)) ? [] : ['#pragma D option quiet']),
    '#pragma D option switchrate=10hz',
    '#pragma D option aggrate=0',
    `BEGIN { ${LAST_DRAIN} = ${D_SECOND}; printf("${START_MARKER} %d\\n", timestamp); }`,
    // In an even second the odd one has just ended, and the other way round.
    `${DRAIN_POLL} /${D_SECOND} != ${LAST_DRAIN} && ${DRAIN_AFTER} && (${D_SECOND}) % 2 == 0/ { ${LAST_DRAIN} = ${D_SECOND}; ${drain('odd')} printf("${TICK_MARKER} %d\\n", timestamp); }`,
    `${DRAIN_POLL} /${D_SECOND} != ${LAST_DRAIN} && ${DRAIN_AFTER} && (${D_SECOND}) % 2 == 1/ { ${LAST_DRAIN} = ${D_SECOND}; ${drain('even')} printf("${TICK_MARKER} %d\\n", timestamp); }`,
    `END { ${drainAtEnd.filter(Boolean).join(' ')} printf("${END_MARKER} %d\\n", timestamp); }`,
    '',
  ].join('\n');
  return { text, aggregations };
}

/**
 * Refuses what Oracle's Linux DTrace 2.0 compiles but cannot run: `vtimestamp` fails at run time
 * with one "illegal operation" error per event (about a million stderr lines a second).
 */
export function checkLinuxDtraceScript(script: string, source: string): void {
  if (/\bvtimestamp\b/.test(stripCommentsAndStrings(script))) {
    throw new HeatError(
      `the D script given with ${source} uses vtimestamp, which Linux DTrace 2.0 does not implement`,
      'use timestamp instead (it counts time off the CPU too)',
    );
  }
}

/** `a[k] = 0` or `self->a[k] = 0`: an associative array element deleted (not `==`, `<=`, `0x..`). */
const ASSOC_DELETION = /((?:self->)?[A-Za-z_]\w*)\s*\[[^\]]*\]\s*=\s*0\s*[;}]/g;

/**
 * Warnings for what Oracle's Linux DTrace 2.0 runs but gets wrong: an associative array element set
 * to 0 is deleted, and deletion recycles the address that keys another element's value, so two
 * live elements can then share one (bpf/get_dvar.c; the presets mark with 1 instead, README).
 */
export function linuxDtraceWarnings(script: string, source: string): string[] {
  const arrays = new Set(
    [...stripCommentsAndStrings(script).matchAll(ASSOC_DELETION)].map((m) => m[1]!),
  );
  return [...arrays].map(
    (name) =>
      `the D script given with ${source} deletes elements of ${name}[] (sets them to 0); Linux DTrace 2.0 can then mix up the elements left (waits read against another key's timestamp, or lost): mark a finished one with 1 and test > 1, as the presets do`,
  );
}

function printsItself(script: string, name: string): boolean {
  const code = stripCommentsAndStrings(script);
  const mention = new RegExp(`${name}(?![A-Za-z0-9_])`);
  return [...code.matchAll(/\b(?:printa|trunc|clear)\s*\(([^;]*)\)/g)].some((m) =>
    mention.test(m[1]!),
  );
}
