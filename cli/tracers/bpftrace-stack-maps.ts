// heat-record --stacks for bpftrace: beside every histogram, a second histogram keyed by the stack
// as well, filled only by the events at or above the threshold:
//   @lat[args->id] = hist(x);
// becomes (threshold 1000, user stacks)
//   $heat_v0 = x; @lat[args->id] = hist($heat_v0);
//   if ($heat_v0 >= 1000) { @lat__heat_stk[args->id, ustack(perf)] = hist($heat_v0); }
// Each stack keeps its own histogram in the same bucket scheme, so a box on the heat map (seconds
// x buckets) gets exact stack counts, and the companion rides the per-second keying and parity
// drains of bpftrace-second-maps.ts like any histogram. ustack(perf) prints each frame with its
// address and module, so a frame it cannot name still says where it is (bpftrace-stacks.ts).

import type { StacksChoice } from '../../schemas/format.js';
import { splitTopLevel } from '../parse/bpftrace-keys.js';
import { STACK_MAP_SUFFIX } from '../parse/bpftrace-stacks.js';
import { rewriteHistStatements } from './bpftrace-second-maps.js';

/** What --stacks asks for, in the script's own value unit. */
export interface StackOptions {
  which: StacksChoice;
  /** Only events whose value is at or above this carry a stack; 0: every event. */
  above: bigint;
}

/** The stack key elements bpftrace takes for each choice (user frames first). */
const STACK_KEYS: Record<StacksChoice, string> = {
  user: 'ustack(perf)',
  kernel: 'kstack(perf)',
  'user+kernel': 'ustack(perf), kstack(perf)',
};

/** The script with a stack companion after every hist()/lhist() statement. */
export function addStackHistograms(script: string, options: StackOptions): string {
  let n = 0;
  return rewriteHistStatements(script, (a) => {
    const [value, ...rest] = splitTopLevel(a.args);
    const v = `$heat_v${n++}`; // one per statement: two statements may hold values of different types
    const args = [v, ...rest].join(', ');
    const keys = a.keys ? `${a.keys}, ${STACK_KEYS[options.which]}` : STACK_KEYS[options.which];
    const companion = `${a.name}${STACK_MAP_SUFFIX}[${keys}] = ${a.fn}(${args});`;
    const guarded =
      options.above > 0n ? `if (${v} >= ${options.above}) { ${companion} }` : companion;
    return `${v} = ${value ?? ''}; ${a.name}${a.keys ? `[${a.keys}]` : ''} = ${a.fn}(${args}); ${guarded}`;
  });
}
