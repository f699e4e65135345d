// The clauses of a D script without a D parser: `probes /predicate/ { body }` at the top level,
// found by matching braces in the text with comments and strings blanked (d-script-scan.ts), and
// the shape of a distribution assignment found in one.

export interface Clause {
  /** Where the clause's probe descriptions begin. */
  start: number;
  /** Just past its closing '}'. */
  end: number;
  /** Its probe descriptions on one line, e.g. "syscall::read:return, syscall::pread:return". */
  probes: string;
  /** The offsets of its predicate's two slashes, or null when it has none. */
  predicate: { open: number; close: number } | null;
  /** Where its body's '{' is. */
  open: number;
}

/** The top-level clause whose body holds offset `at` of `code` (comments and strings blanked), or null. */
export function clauseAt(code: string, at: number): Clause | null {
  let depth = 0;
  let from = 0; // just past the last top-level '}' or ';'
  let open = -1;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '{' && depth++ === 0) open = i;
    else if (c === '}' && depth > 0 && --depth === 0) {
      if (open < at && at < i) return clauseOf(code, from, open, i + 1);
      from = i + 1;
    } else if (c === ';' && depth === 0) from = i + 1;
  }
  return null;
}

function clauseOf(code: string, from: number, open: number, end: number): Clause | null {
  const start = headStart(code, from);
  const head = code.slice(start, open);
  const slash = head.indexOf('/'); // the predicate's: probe descriptions hold none
  const probes = (slash < 0 ? head : head.slice(0, slash)).replace(/\s+/g, ' ').trim();
  // The predicate may divide, so it ends at the head's last slash.
  const predicate =
    slash < 0 ? null : { open: start + slash, close: start + head.lastIndexOf('/') };
  return probes ? { start, end, probes, predicate, open } : null;
}

/** Past blank space and preprocessor lines (`#pragma D option quiet`). */
function headStart(code: string, i: number): number {
  for (
    let m = /^(?:\s+|#[^\n]*)/.exec(code.slice(i));
    m;
    m = /^(?:\s+|#[^\n]*)/.exec(code.slice(i))
  )
    i += m[0].length;
  return i;
}

/** A distribution assignment `@name[key] = fn(args);` in a clause (offsets into the script). */
export interface Distribution {
  /** Its number in the script, naming its --stacks snapshots. */
  id: number;
  name: string;
  at: number;
  fn: string;
  /** Offset of the key's '[' and its top-level parts (null when keyless). */
  key: { open: number; parts: { from: number; to: number }[] } | null;
  args: { from: number; to: number }[];
  /** Offset of the call's ')'. */
  close: number;
}
