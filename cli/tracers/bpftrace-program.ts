// Completes a bpftrace script for recording. Every histogram is keyed by the kernel second and
// split by its parity (bpftrace-second-maps.ts), so events are booked in the second they happen
// however late a print comes (cli/parse/second-keyed-assembler.ts); early in each second last
// second's maps are printed and cleared and a tick marker follows; at exit the rest is printed, every map
// cleared (so bpftrace's own exit dump prints nothing) and the end marked.

import { HeatError } from '../model/heat-error.js';
import { END_MARKER, START_MARKER, TICK_MARKER } from '../parse/trace-event.js';
import { drainAll, drainPreviousSecond, splitBySecond } from './bpftrace-second-maps.js';
import { addStackHistograms, drainStackBudget, type StackOptions } from './bpftrace-stack-maps.js';

/** Names of maps assigned hist() or lhist() in a script: `@lat[...] = hist(` -> "@lat". */
export function histogramMaps(script: string): string[] {
  const names = new Set<string>();
  for (const m of stripComments(script).matchAll(
    /(@[A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*=\s*l?hist\s*\(/g,
  ))
    names.add(m[1]!);
  return [...names];
}

/** Every map a script mentions, histogram or helper (e.g. @start[tid]). */
export function allMaps(script: string): string[] {
  return [...new Set([...stripComments(script).matchAll(/@[A-Za-z0-9_]*/g)].map((m) => m[0]))];
}

/**
 * The script with the per-second print/clear, markers and END clean-up added, and with
 * --stacks, a stack companion for every histogram (bpftrace-stack-maps.ts).
 */
export function completeBpftraceProgram(
  script: string,
  source = '-e',
  stacks: StackOptions | null = null,
): string {
  const userHists = histogramMaps(script);
  if (userHists.length === 0) {
    throw new HeatError(
      `the script given with ${source} defines no histogram (no "@name = hist(...)" or lhist)`,
      'heat-record records latency histograms: assign one with hist() or lhist()',
    );
  }
  const printed = userHists.filter((name) =>
    new RegExp(`print\\s*\\(\\s*${escape(name)}\\s*[,)]`).test(stripComments(script)),
  );
  if (printed.length > 0) {
    throw new HeatError(
      `the script given with ${source} prints ${printed.join(', ')} itself`,
      'remove its print()/clear() lines: heat-record prints and clears every histogram once a second',
    );
  }
  const withStacks = stacks ? addStackHistograms(script.trimEnd(), stacks) : script.trimEnd();
  const hists = histogramMaps(withStacks);
  const clearOthers = [...allMaps(withStacks).filter((m) => !hists.includes(m)), DRAINED]
    .map((m) => `clear(${m});`)
    .join(' ');
  const budget = drainStackBudget(hists);
  const drain = `${drainPreviousSecond(hists)}${budget ? ` ${budget}` : ''}`;
  return [
    splitBySecond(withStacks),
    '',
    `${ADDED} A 10 ms poll drains last second's maps once a second, ${DRAIN_AT_MS} ms into`,
    '// the second: bpftrace prints and clears them after the probe, when it gets to it, and from',
    "// then the same parity's maps stay unwritten for most of a second. (interval:s:1 fired at any",
    '// moment of the second: a drain late in it, printed late, met the next second of its parity,',
    '// and what was written between a print and its clear was lost, more from the slower stack',
    '// maps.) The kernel skips a perf-event probe that fires while another BPF program runs on that',
    '// CPU, routine under heavy syscall tracing: a poll has a hundred chances a second.',
    `BEGIN { printf("${START_MARKER} %lld\\n", nsecs); ${DRAINED} = nsecs / 1000000000; }`,
    `interval:ms:10 /nsecs / 1000000000 != ${DRAINED} && nsecs % 1000000000 >= ${DRAIN_AT_MS * 1_000_000}/ { ${drain} printf("${TICK_MARKER} %lld\\n", nsecs); ${DRAINED} = nsecs / 1000000000; }`,
    `END { ${drainAll(hists)}${budget ? ` ${budget}` : ''} ${clearOthers} printf("${END_MARKER} %lld\\n", nsecs); }`,
    '',
  ].join('\n');
}

/** Opens the lines heat-record adds after the user's script. */
const ADDED = '// Added by heat-record.';

/** Lines of a completed program that are the user's script (the rewrite keeps them line for line). */
export function scriptLineCount(program: string): number {
  const lines = program.split('\n');
  const added = lines.findIndex((l) => l.startsWith(ADDED));
  return added < 0 ? lines.length : added - 1; // a blank line sits between
}

/** The recorder's own map: the second last drained in (bpftrace monotonic s). */
const DRAINED = '@heat_tracer_drained_s';
/** How far into a second its drain comes: past any event still writing the second before. */
const DRAIN_AT_MS = 20;

function stripComments(script: string): string {
  return script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function escape(name: string): string {
  return name.replace(/[$]/g, '\\$&');
}
