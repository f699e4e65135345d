// Completes a bpftrace script for recording: for every histogram map it defines, print and
// clear it once a second, then print the recorder's tick marker; at exit print the partial
// last second, clear every map (so bpftrace's own exit dump prints nothing) and mark the end.

import { HeatError } from '../model/heat-error.js';
import { END_MARKER, TICK_MARKER } from '../parse/trace-event.js';

/** Names of maps assigned hist() or lhist() in a script: `@lat[...] = hist(` -> "@lat". */
export function histogramMaps(script: string): string[] {
  const names = new Set<string>();
  for (const m of stripComments(script).matchAll(/(@[A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*=\s*l?hist\s*\(/g)) names.add(m[1]!);
  return [...names];
}

/** Every map a script mentions, histogram or helper (e.g. @start[tid]). */
export function allMaps(script: string): string[] {
  return [...new Set([...stripComments(script).matchAll(/@[A-Za-z0-9_]*/g)].map((m) => m[0]))];
}

/** The script with the per-second print/clear, markers and END clean-up added. */
export function completeBpftraceProgram(script: string, source = '-e'): string {
  const hists = histogramMaps(script);
  if (hists.length === 0) {
    throw new HeatError(`the script given with ${source} defines no histogram (no "@name = hist(...)" or lhist)`, 'heat-record records latency histograms: assign one with hist() or lhist()');
  }
  const printed = hists.filter((name) => new RegExp(`print\\s*\\(\\s*${escape(name)}\\s*[,)]`).test(stripComments(script)));
  if (printed.length > 0) {
    throw new HeatError(`the script given with ${source} prints ${printed.join(', ')} itself`, 'remove its print()/clear() lines: heat-record prints and clears every histogram once a second');
  }
  const printAll = hists.map((name) => `print(${name}); clear(${name});`).join(' ');
  const clearOthers = [...allMaps(script).filter((m) => !hists.includes(m)), NEXT_TICK].map((m) => `clear(${m});`).join(' ');
  return [
    script.trimEnd(),
    '',
    '// Added by heat-record: one snapshot per second, then a tick marker with the monotonic clock.',
    '// interval:s:1 keeps exact seconds. The kernel skips a perf-event BPF program that fires while',
    '// another BPF program runs on that CPU (routine under heavy syscall tracing); then a 100 ms',
    '// watchdog closes the overdue second a little late instead of merging two seconds into one.',
    `BEGIN { ${NEXT_TICK} = nsecs + 1000000000; }`,
    `interval:s:1 { ${printAll} printf("${TICK_MARKER} %lld\\n", nsecs); ${NEXT_TICK} = nsecs + 1000000000; }`,
    `interval:ms:100 /nsecs > ${NEXT_TICK} + 150000000/ { ${printAll} printf("${TICK_MARKER} %lld\\n", nsecs); ${NEXT_TICK} = ${NEXT_TICK} + 1000000000; }`,
    `END { ${printAll} ${clearOthers} printf("${END_MARKER} %lld\\n", nsecs); }`,
    '',
  ].join('\n');
}

/** The recorder's own map: when the next second's snapshot is due (bpftrace monotonic ns). */
const NEXT_TICK = '@heat_tracer_next_tick_ns';

function stripComments(script: string): string {
  return script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

function escape(name: string): string {
  return name.replace(/[$]/g, '\\$&');
}
