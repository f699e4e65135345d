// heat-record --stacks for bpftrace: beside every histogram, a second histogram keyed by the stack
// as well, filled only by the events at or above the threshold:
//   @lat[args->id] = hist(x);
// becomes (threshold 1000, user stacks; the budget check is left out here, see withinBudget)
//   $heat_v0 = x; $heat_a0_0 = args->id; @lat[$heat_a0_0] = hist($heat_v0);
//   if ($heat_v0 >= 1000) { $heat_u0 = ustack(perf); ...
//     if ($heat_keep) { @lat__heat_stk[$heat_a0_0, pid, $heat_u0] = hist($heat_v0); } }
// Each stack keeps its own histogram in the same bucket scheme, so a box on the heat map (seconds
// x buckets) gets exact stack counts, and the companion rides the per-second keying and parity
// drains of bpftrace-second-maps.ts like any histogram. ustack(perf) prints each frame with its
// address and module, so a frame it cannot name still says where it is (bpftrace-stacks.ts).
// User stacks carry the pid before them: the recorder names their frames itself
// (process-frames.ts), bpftrace only prints addresses. At most STACK_KEYS_PER_SECOND new keys a
// second enter the companions, which bounds what bpftrace prints at each drain and at exit.

import type { StacksChoice } from '../../schemas/format.js';
import { splitTopLevel } from '../parse/bpftrace-keys.js';
import { STACK_KEYS_PER_SECOND, STACK_MAP_SUFFIX } from '../parse/bpftrace-stacks.js';
import { STACKS_OVER_MARKER } from '../parse/trace-event.js';
import { rewriteHistStatements } from './bpftrace-second-maps.js';

/** What --stacks asks for, in the script's own value unit. */
export interface StackOptions {
  which: StacksChoice;
  /** Only events whose value is at or above this carry a stack; 0: every event. */
  above: bigint;
}

/** The stacks each choice takes, user first: the variable each is held in and how it is taken. */
const STACKS: Record<StacksChoice, [prefix: string, take: string][]> = {
  user: [['$heat_u', 'ustack(perf)']],
  kernel: [['$heat_k', 'kstack(perf)']],
  'user+kernel': [
    ['$heat_u', 'ustack(perf)'],
    ['$heat_k', 'kstack(perf)'],
  ],
};

/** The recorder's budget maps: the second being counted, its new keys, the events past it. */
const BUDGET_AT = '@heat_stk_at';
const BUDGET_USED = '@heat_stk_n';
const STACKS_OVER = '@heat_stk_over';
/** Suffix of a companion's map of the keys it took this second (cleared at each drain). */
const SEEN_SUFFIX = '__heat_seen';

/**
 * What each drain adds for the stack budget: forget the keys taken (a key taken again later in
 * the second counts once more, so the budget errs towards fewer stacks), and say how many events
 * went past it so far (a running total: a reset here could lose an increment made meanwhile).
 */
export function drainStackBudget(histMaps: readonly string[]): string {
  const seen = histMaps
    .filter((m) => m.endsWith(STACK_MAP_SUFFIX))
    .map((m) => `clear(${m.slice(0, -STACK_MAP_SUFFIX.length)}${SEEN_SUFFIX});`);
  if (seen.length === 0) return '';
  return `${seen.join(' ')} if (${STACKS_OVER} > 0) { printf("${STACKS_OVER_MARKER} %lld\\n", ${STACKS_OVER}); }`;
}

/** Whether a completed program's companions hold user stacks (to be named by the recorder). */
export function hasUserStacks(program: string): boolean {
  return /\$heat_u\d+ = ustack\(perf\)/.test(program);
}

/** The script with a stack companion after every hist()/lhist() statement. */
export function addStackHistograms(script: string, options: StackOptions): string {
  let n = 0;
  return rewriteHistStatements(script, (a) => {
    const [value, ...rest] = splitTopLevel(a.args);
    const i = n++; // one set of variables per statement: two may hold values of different types
    const v = `$heat_v${i}`;
    const args = [v, ...rest].join(', ');
    // The keys read once into variables: bpftrace 0.17 re-reading `args->id` after the budget's
    // map calls made code the verifier refuses ("dereference of modified ctx ptr").
    const userKeys = a.keys ? splitTopLevel(a.keys) : [];
    const keyVars = userKeys.map((_, j) => `$heat_a${i}_${j}`);
    const readKeys = keyVars.map((k, j) => `${k} = ${userKeys[j]}; `).join('');
    const stacks = STACKS[options.which].map(([prefix, take]) => [`${prefix}${i}`, take]);
    const pid = options.which === 'kernel' ? [] : ['pid'];
    const keys = [...keyVars, ...pid, ...stacks.map(([name]) => name)].join(', ');
    const take = stacks.map(([name, how]) => `${name} = ${how};`).join(' ');
    const budget = withinBudget(`${a.name}${SEEN_SUFFIX}[$heat_s, ${keys}]`);
    const companion = `${take} ${budget} if ($heat_keep) { ${a.name}${STACK_MAP_SUFFIX}[${keys}] = ${a.fn}(${args}); }`;
    const guarded =
      options.above > 0n ? `if (${v} >= ${options.above}) { ${companion} }` : companion;
    const own = keyVars.length > 0 ? `[${keyVars.join(', ')}]` : '';
    return `${v} = ${value ?? ''}; ${readKeys}${a.name}${own} = ${a.fn}(${args}); ${guarded}`;
  });
}

/**
 * Sets $heat_keep: 1 for a key already taken this second or a new one within the budget, else 0
 * (and counts the event past it). `$heat_s` is the second its histogram just took.
 */
function withinBudget(seen: string): string {
  return (
    `$heat_keep = 1; if (${seen} == 0) { ` +
    `if (${BUDGET_AT} != $heat_s) { ${BUDGET_AT} = $heat_s; ${BUDGET_USED} = 0; } ` +
    `if (${BUDGET_USED} < ${STACK_KEYS_PER_SECOND}) { ${BUDGET_USED} = ${BUDGET_USED} + 1; ${seen} = 1; } ` +
    `else { ${STACKS_OVER} = ${STACKS_OVER} + 1; $heat_keep = 0; } }`
  );
}
