// heat-record --stacks for dtrace(1): beside every distribution, a companion keyed by the stack as
// well, filled only by the events at or above the threshold. D has no `if`, so the companion gets
// clauses of its own after the two parity copies of the statement's clause
// (dtrace-second-aggregations.ts). Each copy snapshots the statement's key and value into
// clause-locals (the user's later statements may change what they read) and raises a flag, which
// the first copy's predicate lowers, so a companion clause runs only in a firing that booked:
//   rawtp:raw_syscalls::sys_exit /self->ts/ { @lat[self->nr] = quantize(x); }
// becomes, in each copy (the even one shown)
//   this->heat_on = 1; this->heat_v0 = x; this->heat_k0_0 = self->nr;
//   @lat__heat_even[this->heat_s, this->heat_k0_0] = quantize(this->heat_v0);
// and after them, for each parity (threshold 1000, user stacks)
//   ... /this->heat_on && (this->heat_s & 1) == 0 && this->heat_v0 >= 1000/ {
//     @lat__heat_stk__heat_even[this->heat_s, this->heat_k0_0, ustack()] = quantize(this->heat_v0); }
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
import type { Distribution } from './d-clauses.js';

/** The flag a copy raises when it booked, declared so the first copy's predicate may lower it. */
export const FLAG_DECLARATION = 'this int heat_on; ';
const FLAG = 'this->heat_on';
/** Put before the first copy's parity test. */
export const RESET_FLAG = `(${FLAG} = 0) == 0 && `;

/** Arguments before the optional increment: quantize(v), lquantize(v, lo, hi[, step]), llquantize(v, f, lo, hi, steps). */
const VALUE_ARGS: Record<string, number> = { quantize: 1, lquantize: 4, llquantize: 5 };

/** Key elements that a variable cannot hold as they print (stacks, symbols): left as written. */
const CONTEXT_KEY = /^(?:u?stack|jstack|u?func|u?sym|u?mod|uaddr)\s*\(/;

/** The text of script[from, to) as the copy reads it (the clock replaced, trimmed). */
export type ExpressionText = (from: number, to: number) => string;

/** A distribution's key and values as clause-locals, and the statements that fill them. */
function snapshotOf(d: Distribution, second: string, expr: ExpressionText) {
  const assignments: string[] = [];
  const kept = (text: string, variable: string) => {
    if (CONTEXT_KEY.test(text)) return text;
    assignments.push(`${variable} = ${text}`);
    return variable;
  };
  const parts = d.key?.parts ?? [];
  const key = [
    second,
    ...parts.map((p, i) => kept(expr(p.from, p.to), `this->heat_k${d.id}_${i}`)),
  ];
  const args = d.args.map((a) => expr(a.from, a.to));
  const n = VALUE_ARGS[d.fn] ?? 1;
  const values = [kept(args[0] ?? '', `this->heat_v${d.id}`), ...args.slice(1, n)]; // lo, hi, ...: constants
  if (args[n] !== undefined) values.push(kept(args[n], `this->heat_w${d.id}`)); // the increment
  return { assignments, key, values };
}

/** A copy's distribution statement as snapshots, the flag, and the update from them (no ';'). */
export function snapshotStatement(
  d: Distribution,
  second: string,
  suffix: string,
  expr: ExpressionText,
): string {
  const { assignments, key, values } = snapshotOf(d, second, expr);
  const update = `${d.name}${suffix}[${key.join(', ')}] = ${d.fn}(${values.join(', ')})`;
  return [`${FLAG} = 1`, ...assignments, update].join('; ');
}

/** The companion clauses of a clause's distributions, even parity then odd, each after a space. */
export function companionClauses(
  options: StackOptions,
  probes: string,
  second: string,
  distributions: readonly Distribution[],
  expr: ExpressionText,
): string {
  return ([EVEN_SUFFIX, ODD_SUFFIX] as const)
    .flatMap((suffix, parity) =>
      distributions.map((d) => {
        const { key, values } = snapshotOf(d, second, expr);
        const c = stackCompanion(options, d.name, key, d.fn, values);
        return ` ${probes} /${FLAG} && (${second} & 1) == ${parity}${c.guard}/ { ${c.update(suffix)} }`;
      }),
    )
    .join('');
}

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
