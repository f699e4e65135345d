// Rewrites a D script's distribution clauses so the kernel books every event in the second it
// happens, into one of two aggregations by the second's parity. Linux DTrace 2.0 has no `if`, so
// each such clause is written twice, once per parity. The first copy's predicate evaluates the
// user's, then reads the clock into clause-local variables (which live through all the clauses
// of one probe firing); the second copy only tests the second's parity:
//   syscall::read:return /self->ts/ { @lat[k] = quantize(timestamp - self->ts); self->ts = 0; }
// becomes (the first copy on the clause's own lines, so dtrace's errors keep the user's line
// numbers; the second after it on its last line)
//   this uint64_t heat_t; this uint64_t heat_s; syscall::read:return /(this->heat_s = 0) == 0 &&
//     (self->ts) && ((this->heat_s = (this->heat_t = timestamp) / 1000000000) & 1) == 0/ {
//     @lat__heat_even[this->heat_s, k] = quantize(this->heat_t - self->ts); self->ts = 0; }
//   syscall::read:return /(this->heat_s & 1) == 1/ {
//     @lat__heat_odd[this->heat_s, k] = quantize(this->heat_t - self->ts); self->ts = 0; }
// The user's predicate runs once a firing, and the statements once when it holds: the second is
// zeroed first (an even number, so the odd copy stays out when the predicate fails) and set
// after it, whatever the variables held before. An event the predicate refuses costs no clock
// reading. Every `timestamp` of the statements reads the variable: DTrace 2.0 reads the clock
// anew in each clause (~30 ns; within one it keeps the first reading, so the predicate's and the
// variable's agree), and one reading books the event in the second its latency ends in.
// Per syscall of the syscall-latency preset this costs ~20 ns of BPF time over plain dtrace (one
// more clause, the division, the key), where a zeroing clause, clause-local snapshots of keys and
// values and a clause per parity reading them cost ~60 (bpf_stats, Linux DTrace 2.0).
// With --stacks, each copy also snapshots what the stack companions need (dtrace-stack-aggregations.ts).
// The drain after each second prints and truncates only the aggregation of the parity that just
// ended, which no event adds to any more. Truncating the one being written loses events: trunc()
// removes what arrived since the consumer's snapshot moments before (measured: up to 7 % of a
// second at a few hundred events/s beside a busy loop; exact once the drained one is idle).

import { isDtraceFunction } from '../parse/dtrace-buckets.js';
import { EVEN_SUFFIX, ODD_SUFFIX } from './bpftrace-second-maps.js';
import type { StackOptions } from './bpftrace-stack-maps.js';
import { clauseAt, type Clause, type Distribution } from './d-clauses.js';
import {
  AGGREGATION,
  assignedCall,
  callArguments,
  skipBrackets,
  stripComments,
  stripCommentsAndStrings,
  topLevelParts,
} from './d-script-scan.js';
import {
  companionClauses,
  FLAG_DECLARATION,
  RESET_FLAG,
  snapshotStatement,
} from './dtrace-stack-aggregations.js';

/** The kernel second of an event (`timestamp` is monotonic ns, as the tick marker's). */
export const D_SECOND = 'timestamp / 1000000000';

/** The clause-local variables every split clause shares, declared so a predicate may assign them. */
const DECLARATIONS = 'this uint64_t heat_t; this uint64_t heat_s; ';
const NOW = 'this->heat_t';
const SECOND = 'this->heat_s';
/** The first copy's test, after the user's predicate; before it, what zeroes the second. */
const EVEN_TEST = `((${SECOND} = (${NOW} = timestamp) / 1000000000) & 1) == 0`;
const ZERO_SECOND = `(${SECOND} = 0) == 0 && `;
/** The second copy's whole predicate. */
const ODD_TEST = `(${SECOND} & 1) == 1`;

/** `timestamp` the builtin, not a member named so (`x->timestamp`, `x.timestamp`). */
const TIMESTAMP = /(?<!(?:->|\.)\s*)\btimestamp\b/g;

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

/**
 * The script with every clause that assigns a distribution written once per second parity; with
 * --stacks, each distribution with a stack companion (dtrace-stack-aggregations.ts).
 */
export function splitBySecondParity(script: string, stacks: StackOptions | null = null): string {
  const code = stripCommentsAndStrings(script);
  const uncommented = stripComments(script);
  const edits = [...distributionClauses(code).values()].map(({ clause, distributions }, i) => {
    const copy = (parity: 0 | 1, source: string) =>
      applyEdits(
        source.slice(clause.start, clause.end),
        parityEdits(source, code, clause, distributions, parity, stacks),
        clause.start,
      );
    const companions = stacks
      ? companionClauses(stacks, clause.probes, SECOND, distributions, (from, to) =>
          oneLine(withClock(uncommented, code, from, to)).trim(),
        )
      : '';
    const declarations = DECLARATIONS + (stacks ? FLAG_DECLARATION : '');
    return {
      at: clause.start,
      to: clause.end,
      text: `${i === 0 ? declarations : ''}${copy(0, script)} ${oneLine(copy(1, uncommented))}${companions}`,
    };
  });
  return applyEdits(script, edits);
}

/** The clauses that assign distributions, by where each starts. */
function distributionClauses(code: string) {
  const clauses = new Map<number, { clause: Clause; distributions: Distribution[] }>();
  let id = 0;
  for (const m of code.matchAll(AGGREGATION)) {
    const call = assignedCall(code, m.index + m[0].length);
    if (!call || !isDtraceFunction(call.name)) continue;
    const parsed = callArguments(code, call.argsStart);
    const clause = clauseAt(code, m.index);
    const loneSlash = clause?.predicate && clause.predicate.open === clause.predicate.close;
    if (!parsed || !clause || loneSlash) continue; // left for dtrace to report
    const group = clauses.get(clause.start) ?? { clause, distributions: [] };
    clauses.set(clause.start, group);
    const { keyOpen } = call;
    group.distributions.push({
      id: id++,
      name: m[0],
      at: m.index,
      fn: call.name,
      key:
        keyOpen === null
          ? null
          : {
              open: keyOpen,
              parts: topLevelParts(code, keyOpen + 1, skipBrackets(code, keyOpen) - 1),
            },
      args: parsed.args,
      close: parsed.close,
    });
  }
  return clauses;
}

/** The edits that make `clause` the copy for one parity: its test, its aggregations, the clock in its statements. */
function parityEdits(
  source: string,
  code: string,
  clause: Clause,
  distributions: Distribution[],
  parity: 0 | 1,
  stacks: StackOptions | null,
): Edit[] {
  const suffix = parity === 0 ? EVEN_SUFFIX : ODD_SUFFIX;
  const edits = predicateEdits(clause, parity, stacks ? RESET_FLAG : '');
  for (const d of distributions) {
    if (stacks) {
      const expr = (from: number, to: number) => withClock(source, code, from, to).trim();
      edits.push({ at: d.at, to: d.close + 1, text: snapshotStatement(d, SECOND, suffix, expr) });
    } else edits.push(...renameEdits(code, d, suffix));
  }
  const rewritten = stacks ? distributions : [];
  for (const m of code.slice(clause.open, clause.end).matchAll(TIMESTAMP)) {
    const at = clause.open + m.index;
    if (!rewritten.some((d) => d.at <= at && at <= d.close))
      edits.push({ at, to: at + m[0].length, text: NOW });
  }
  return edits;
}

/** The first copy's predicate around the user's (or in its place); the second copy's in its place. */
function predicateEdits(clause: Clause, parity: 0 | 1, flag: string): Edit[] {
  const { predicate, open } = clause;
  if (parity === 1)
    return predicate
      ? [{ at: predicate.open, to: predicate.close + 1, text: `/${ODD_TEST}/` }]
      : [{ at: open, to: open, text: `/${ODD_TEST}/ ` }];
  return predicate
    ? [
        { at: predicate.open, to: predicate.open + 1, text: `/${flag}${ZERO_SECOND}(` },
        { at: predicate.close, to: predicate.close + 1, text: `) && ${EVEN_TEST}/` },
      ]
    : [{ at: open, to: open, text: `/${flag}${EVEN_TEST}/ ` }];
}

/** `@lat[k]` -> `@lat__heat_even[this->heat_s, k]`; `@lat` -> `@lat__heat_even[this->heat_s]`. */
function renameEdits(code: string, d: Distribution, suffix: string): Edit[] {
  const nameEnd = d.at + d.name.length;
  if (d.key === null) return [{ at: nameEnd, to: nameEnd, text: `${suffix}[${SECOND}]` }];
  const between = code.slice(nameEnd, d.key.open); // blank space, kept as it is
  return [{ at: nameEnd, to: d.key.open + 1, text: `${suffix}${between}[${SECOND}, ` }];
}

/** source[from, to) with every `timestamp` (found in the blanked `code`) reading the variable. */
function withClock(source: string, code: string, from: number, to: number): string {
  const edits = [...code.slice(from, to).matchAll(TIMESTAMP)].map((m) => ({
    at: from + m.index,
    to: from + m.index + m[0].length,
    text: NOW,
  }));
  return applyEdits(source.slice(from, to), edits, from);
}

/** Blank space (newlines, blanked comments) outside string literals made one space. */
function oneLine(code: string): string {
  return code.replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\s+/g, (m) =>
    m.startsWith('"') || m.startsWith("'") ? m : ' ',
  );
}

/** Edits applied back to front, so every offset still points where it did; `text` starts at `base`. */
function applyEdits(text: string, edits: Edit[], base = 0): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.at - a.at))
    out = out.slice(0, e.at - base) + e.text + out.slice(e.to - base);
  return out;
}
