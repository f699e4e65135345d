// bpftrace map keys: splitting a printed multi-key back into its tuple, and reading from the script
// how many key elements (and which bucket scheme) each histogram aggregation has.

import type { SchemeName } from '../../schemas/format.js';
import { STACK_MAP_SUFFIX, type StackKind } from './bpftrace-stacks.js';

/**
 * Splits a printed key into its elements. bpftrace joins multi-keys with "," in JSON (`"bpftrace,186"`)
 * and ", " in text (`@cnt[bpftrace, 186]`), without quoting, so a string element holding the separator
 * is ambiguous: `@m["a,b", 1]` prints as `"a,b,1"` (sample 13-key-ambiguity).
 *
 * Rule, given the arity from the script: assume at most one free-text element and give it all the extra
 * separators. It goes at the first position where every other element reads as an integer; when no
 * position gives that, at position 0 (split on the last arity-1 separators), because bpftrace scripts
 * put `comm` first (`@[comm, args->id]`). The note in tracer-formats.md 1.2 says "first N-1 commas",
 * but that splits the sample as ["a", "b,1"]; this rule gives ["a,b", "1"].
 * Without an arity, every separator splits.
 */
export function splitKey(raw: string, separator: string, arity?: number): string[] {
  const parts = raw.split(separator);
  if (arity === undefined) return parts;
  if (arity <= 1) return [raw];
  if (parts.length <= arity) return parts;
  const extra = parts.length - arity;
  const candidates = Array.from({ length: arity }, (_, p) => joinAt(parts, p, extra, separator));
  const allOthersIntegers = (c: string[], p: number) =>
    c.every((e, i) => i === p || INTEGER.test(e));
  return candidates.find(allOthersIntegers) ?? candidates[0]!;
}

const INTEGER = /^-?\d+$/;

/** parts with the elements p..p+extra joined back into one. */
function joinAt(parts: string[], p: number, extra: number, separator: string): string[] {
  return [
    ...parts.slice(0, p),
    parts.slice(p, p + extra + 1).join(separator),
    ...parts.slice(p + extra + 1),
  ];
}

/** One `@name[...] = hist(...)` or `lhist(...)` assignment found in a script. */
interface HistAssignment {
  name: string;
  arity: number;
  /** The key elements as written. */
  keys: string[];
  fn: 'hist' | 'lhist';
  /** The call's arguments as written, split at top-level commas. */
  args: string[];
}

/**
 * Aggregation name (with its @) → number of key elements, for every hist/lhist assignment in a bpftrace
 * script: `@lat_us[args->id] = hist(...)` → 1, `@lat[comm, args->id] = hist(...)` → 2, `@rq_us = hist(...)` → 0.
 */
export function keyArityFromScript(script: string): Map<string, number> {
  return new Map(findHistAssignments(script).map((a) => [a.name, a.arity]));
}

/**
 * Aggregation name → the bucket scheme its function makes: hist(v) → `log2`, hist(v, k) → `log2/k`,
 * lhist(...) → `linear`. A tracer prints the same buckets for both in some cases (a lone [512, 1023]),
 * so a recorder that has the script should prefer this over guessing from the bounds.
 */
export function schemeHintsFromScript(script: string): Map<string, SchemeName> {
  return new Map(findHistAssignments(script).map((a) => [a.name, schemeOf(a)]));
}

/** A stack taken in the key (`ustack(perf)`) or held in the recorder's variable (`$heat_u0`). */
const STACK_ELEMENT = /^(?:[uk]stack\b|\$heat_[uk]\d+$)/;

/**
 * Stack map name → the kinds of its trailing stack key elements, for the recorder's stack
 * companions (names holding STACK_MAP_SUFFIX): `@lat__heat_stk[$heat_s, comm, pid, $heat_u0]` → ["user"].
 */
export function stackKindsFromScript(script: string): Map<string, StackKind[]> {
  const kinds = new Map<string, StackKind[]>();
  for (const a of findHistAssignments(script)) {
    if (!a.name.includes(STACK_MAP_SUFFIX)) continue;
    const trailing: StackKind[] = [];
    for (let i = a.keys.length - 1; i >= 0 && STACK_ELEMENT.test(a.keys[i]!); i--)
      trailing.unshift(/^(?:u|\$heat_u)/.test(a.keys[i]!) ? 'user' : 'kernel');
    if (trailing.length > 0) kinds.set(a.name, trailing);
  }
  return kinds;
}

function schemeOf(a: HistAssignment): SchemeName {
  if (a.fn === 'lhist') return 'linear';
  const k = a.args.length === 2 && /^\d+$/.test(a.args[1]!) ? Number(a.args[1]) : 0;
  return k === 0 ? 'log2' : `log2/${k}`;
}

const ASSIGNMENT_HEAD = /@\w*/g;
const HIST_CALL = /^\s*=\s*(l?hist)\s*\(/;

function findHistAssignments(script: string): HistAssignment[] {
  const text = blankCommentsAndStrings(script);
  const found: HistAssignment[] = [];
  for (const m of text.matchAll(ASSIGNMENT_HEAD)) {
    let at = m.index + m[0].length;
    let keys: string[] = [];
    const bracket = /^\s*\[/.exec(text.slice(at));
    if (bracket) {
      const inside = readBalanced(text, at + bracket[0].length - 1);
      if (inside === null) continue;
      keys = splitTopLevel(inside.body);
      at = inside.end;
    }
    const call = HIST_CALL.exec(text.slice(at));
    if (!call) continue;
    const args = readBalanced(text, at + call[0].length - 1);
    found.push({
      name: m[0],
      arity: keys.length,
      keys,
      fn: call[1] as 'hist' | 'lhist',
      args: args ? splitTopLevel(args.body) : [],
    });
  }
  return found;
}

/**
 * Replaces comments and the insides of string literals with spaces (same length, quotes kept), so an
 * `@x = hist(` inside a printf or a comment is not read as an assignment.
 */
function blankCommentsAndStrings(script: string): string {
  return script.replace(/"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) =>
    m[0] === '"' ? `"${' '.repeat(m.length - 2)}"` : ' '.repeat(m.length),
  );
}

const CLOSER: Record<string, string> = { '[': ']', '(': ')', '{': '}' };

/** Reads from an opening bracket at `open` to its match; body excludes both brackets, end is past the closer. */
function readBalanced(text: string, open: number): { body: string; end: number } | null {
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      i = skipString(text, i);
    } else if (c in CLOSER) {
      stack.push(CLOSER[c]!);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return { body: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return null;
}

/** Index of the closing quote of the string literal starting at i. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return text.length;
}

/** Splits at commas outside brackets and strings; an empty body gives []. */
export function splitTopLevel(body: string): string[] {
  if (body.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') i = skipString(body, i);
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts;
}
