// heat-record --stacks for dtrace(1): beside every distribution, a companion keyed by the stack as
// well, filled only by the events at or above the threshold. D has no `if`, so the companion gets
// clauses of its own after the statement's, guarded by the value snapshot the second-parity rewrite
// already takes (dtrace-second-aggregations.ts):
//   rawtp:raw_syscalls::sys_exit /self->ts/ { @lat[self->nr] = quantize(x); }
// becomes, for each parity (threshold 1000, user stacks)
//   ... /this->heat_on0 && this->heat_s0 % 2 == 0 && this->heat_v0 >= 1000/ {
//     @lat__heat_stk__heat_even[this->heat_s0, this->heat_k0_0, ustack()] = quantize(this->heat_v0); }
// Same key, second and bucket scheme as the histogram, so the stack counts of a cell add up to its
// histogram count, and the drains print the companion with the second's histograms. Each
// companion's printa follows a marker line naming the user's aggregation and the stacks its keys
// end with, `heat-tracer:stacks @lat user`: stack keys span several lines and blank ones, so the
// text parser (dtrace-stack-tables.ts) reads them apart from the counted printa calls.

import type { StacksChoice } from '../../schemas/format.js';
import { STACK_MAP_SUFFIX } from '../parse/bpftrace-stacks.js';
import { STACKS_MARKER } from '../parse/dtrace-stack-tables.js';
import { EVEN_SUFFIX, ODD_SUFFIX } from './bpftrace-second-maps.js';
import type { StackOptions } from './bpftrace-stack-maps.js';

/** The stack key elements D takes for each choice (user frames first, as stored). */
const D_STACK_KEYS: Record<StacksChoice, string> = {
  user: 'ustack()',
  kernel: 'stack()',
  'user+kernel': 'ustack(), stack()',
};

/** The companion of a distribution statement's update, and the guard of its clause. */
export function stackCompanion(
  options: StackOptions,
  name: string,
  key: readonly string[],
  fn: string,
  values: readonly string[],
): { guard: string; update: (suffix: string) => string } {
  const keys = [...key, D_STACK_KEYS[options.which]].join(', ');
  return {
    guard: options.above > 0n ? ` && ${values[0]} >= ${options.above}` : '',
    update: (suffix) =>
      `${name}${STACK_MAP_SUFFIX}${suffix}[${keys}] = ${fn}(${values.join(', ')});`,
  };
}

/**
 * Statements that print and truncate one parity of each distribution's stack companion, each
 * after its marker line.
 */
export function drainStackParity(
  aggregations: readonly string[],
  which: StacksChoice,
  parity: 'even' | 'odd',
): string {
  const suffix = parity === 'even' ? EVEN_SUFFIX : ODD_SUFFIX;
  return aggregations
    .map((a) => {
      const companion = `${a}${STACK_MAP_SUFFIX}${suffix}`;
      return `printf("${STACKS_MARKER} ${a} ${which}\\n"); printa(${companion}); trunc(${companion});`;
    })
    .join(' ');
}
