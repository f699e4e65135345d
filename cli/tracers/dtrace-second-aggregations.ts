// Rewrites a D script's distribution assignments so the kernel books every event in the second it
// happens, into one of two aggregations by the second's parity. Linux DTrace 2.0 has no `if`, so
// the statement keeps its place as a snapshot into clause-local variables (which live through all
// the clauses of one probe firing), and two clauses added after its own update the aggregation
// of the second's parity:
//   syscall::read:return /self->ts/ { @lat[k] = quantize(x); self->ts = 0; }
// becomes (on the same lines, so dtrace's errors keep the user's line numbers)
//   syscall::read:return { this->heat_on0 = 0; }
//   syscall::read:return /self->ts/ { this->heat_s0 = timestamp / 1000000000; this->heat_on0 = 1;
//     this->heat_k0_0 = k; this->heat_v0 = x; self->ts = 0; }
//   syscall::read:return /this->heat_on0 && this->heat_s0 % 2 == 0/ {
//     @lat__heat_even[this->heat_s0, this->heat_k0_0] = quantize(this->heat_v0); }
//   syscall::read:return /this->heat_on0 && this->heat_s0 % 2 == 1/ { ...@lat__heat_odd... }
// Clause-local variables start undefined in each firing, hence the clause that zeroes the flag.
// Stacks and symbols stay as written in the key: they are the same in every clause of a firing.
// One aggregation update per event: the former weight-0 twin update cost ~270 ns per event, all
// of this costs ~60 (bpf_stats, Linux DTrace 2.0, per syscall of the syscall-latency preset).
// The drain after each second prints and truncates only the aggregation of the parity that just
// ended, which no event adds to any more. Truncating the one being written loses events: trunc()
// removes what arrived since the consumer's snapshot moments before (measured: up to 7 % of a
// second at a few hundred events/s beside a busy loop; exact once the drained one is idle).

import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { EVEN_SUFFIX, ODD_SUFFIX } from './bpftrace-second-maps.js';
import {
  AGGREGATION,
  assignedCall,
  callArguments,
  skipBrackets,
  stripCommentsAndStrings,
} from './d-script-scan.js';
import { clauseAt, type Clause } from './d-clauses.js';
import type { StackOptions } from './bpftrace-stack-maps.js';
import { stackCompanion } from './dtrace-stack-aggregations.js';

/** The kernel second of an event (`timestamp` is monotonic ns, as the tick marker's). */
export const D_SECOND = 'timestamp / 1000000000';

/** Arguments before the optional increment: quantize(v), lquantize(v, lo, hi[, step]), llquantize(v, f, lo, hi, steps). */
const VALUE_ARGS: Record<string, number> = { quantize: 1, lquantize: 4, llquantize: 5 };

/** Key elements that a variable cannot hold as they print (stacks, symbols): left as written. */
const CONTEXT_KEY = /^(?:u?stack|jstack|u?func|u?sym|u?mod|uaddr)\s*\(/;

/** Statements that print and truncate one parity of each distribution, in the order given. */
export function drainParity(aggregations: readonly string[], parity: 'even' | 'odd'): string {
  const suffix = parity === 'even' ? EVEN_SUFFIX : ODD_SUFFIX;
  return aggregations.map((a) => `printa(${a}${suffix}); trunc(${a}${suffix});`).join(' ');
}

/** Text to put at `at` in place of [at, to). */
interface Edit {
  at: number;
  to: number;
  text: string;
}

/** One distribution statement, its values snapshotted into clause-local variables. */
interface Split {
  /** What replaces the statement. */
  snapshot: string;
  /** The aggregation update, by parity suffix. */
  update: (suffix: string) => string;
  /** --stacks: its stack companion's update and the guard of its clauses (dtrace-stack-aggregations.ts). */
  stacks?: { guard: string; update: (suffix: string) => string };
}

/**
 * The script with every distribution assignment split by second parity and keyed by second; with
 * --stacks, each with a stack companion (dtrace-stack-aggregations.ts).
 */
export function splitBySecondParity(script: string, stacks: StackOptions | null = null): string {
  const code = stripCommentsAndStrings(script);
  const edits: Edit[] = [];
  const clauses = new Map<number, { clause: Clause; id: number; updates: Split[] }>();
  let n = 0;
  for (const m of code.matchAll(AGGREGATION)) {
    const call = assignedCall(code, m.index + m[0].length);
    if (!call || !isDtraceFunction(call.name)) continue;
    const parsed = callArguments(code, call.argsStart);
    const clause = clauseAt(code, m.index);
    if (!parsed || !clause) continue; // unbalanced or outside a clause: left for dtrace to report
    const group = clauses.get(clause.start) ?? { clause, id: clauses.size, updates: [] };
    clauses.set(clause.start, group);
    const keys =
      call.keyOpen === null
        ? []
        : topLevelParts(script, code, call.keyOpen + 1, skipBrackets(code, call.keyOpen) - 1);
    const args = parsed.args.map((a) => script.slice(a.from, a.to).trim());
    const split = splitStatement(m[0], call.name, keys, args, group.id, n++, stacks);
    edits.push({ at: m.index, to: parsed.close + 1, text: split.snapshot });
    group.updates.push(split);
  }
  for (const { clause, id, updates } of clauses.values())
    edits.push(...clauseEdits(clause, id, updates));
  return applyEdits(script, edits);
}

const local = (what: string, id: number) => `this->heat_${what}${id}`;

/** The statement as a snapshot of its key and values (in clause `c`), and its update from them. */
function splitStatement(
  name: string,
  fn: string,
  keys: string[],
  args: string[],
  c: number,
  id: number,
  stacks: StackOptions | null,
): Split {
  const snapshots = [`${local('s', c)} = ${D_SECOND}`, `${local('on', c)} = 1`];
  const kept = (expr: string, variable: string) => {
    if (CONTEXT_KEY.test(expr)) return expr;
    snapshots.push(`${variable} = ${expr}`);
    return variable;
  };
  const key = [local('s', c), ...keys.map((k, i) => kept(k, `${local('k', id)}_${i}`))];
  const n = VALUE_ARGS[fn] ?? 1;
  const values = [kept(args[0] ?? '', local('v', id)), ...args.slice(1, n)]; // lo, hi, ...: constants
  if (args[n] !== undefined) values.push(kept(args[n], local('w', id))); // the increment
  return {
    snapshot: snapshots.join('; '),
    update: (suffix) => `${name}${suffix}[${key.join(', ')}] = ${fn}(${values.join(', ')});`,
    ...(stacks && { stacks: stackCompanion(stacks, name, key, fn, values) }),
  };
}

/**
 * Before the clause, one that zeroes its flag; after it, one per parity with its updates, then
 * the stack companions' (each guarded by its own threshold check). All on the clause's own
 * lines, so dtrace's errors keep the user's line numbers.
 */
function clauseEdits(clause: Clause, c: number, splits: Split[]): Edit[] {
  const when = (p: number, guard = '') =>
    ` ${clause.probes} /${local('on', c)} && ${local('s', c)} % 2 == ${p}${guard}/`;
  const parity = (suffix: string, p: number) =>
    `${when(p)} { ${splits.map((s) => s.update(suffix)).join(' ')} }` +
    splits
      .map((s) => (s.stacks ? `${when(p, s.stacks.guard)} { ${s.stacks.update(suffix)} }` : ''))
      .join('');
  return [
    { at: clause.start, to: clause.start, text: `${clause.probes} { ${local('on', c)} = 0; } ` },
    { at: clause.end, to: clause.end, text: parity(EVEN_SUFFIX, 0) + parity(ODD_SUFFIX, 1) },
  ];
}

/** Edits applied back to front, so every offset still points where it did. */
function applyEdits(script: string, edits: Edit[]): string {
  let out = script;
  for (const e of [...edits].sort((a, b) => b.at - a.at))
    out = out.slice(0, e.at) + e.text + out.slice(e.to);
  return out;
}

/** The top-level comma-separated parts of script[from, to), split where `code` (blanked) has commas. */
function topLevelParts(script: string, code: string, from: number, to: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(script.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(script.slice(start, to).trim());
  return parts.filter(Boolean);
}
