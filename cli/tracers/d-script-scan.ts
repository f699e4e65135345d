// Reading a D script's text without a D parser: comments and strings blanked out (offsets kept),
// aggregation names, the function assigned to each, brackets and parentheses matched.

/** `@name`, or the anonymous `@`. */
export const AGGREGATION = /@([A-Za-z_][A-Za-z0-9_]*)?/g;

/** A comment or a string/char literal (a `//` inside a string is no comment). */
const COMMENT_OR_LITERAL = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g;

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** Blanks out comments and string/char literals (keeping offsets), so an `@` inside them is not read. */
export function stripCommentsAndStrings(script: string): string {
  return script.replace(COMMENT_OR_LITERAL, blank);
}

/** Blanks out comments only (keeping offsets and strings), so code can be moved onto one line. */
export function stripComments(script: string): string {
  return script.replace(COMMENT_OR_LITERAL, (m) => (m.startsWith('/') ? blank(m) : m));
}

/** The function called right after `@name[...] =`, or null. Keys may nest brackets: `@a[args[0]->x]`. */
export function assignedFunction(code: string, from: number): string | null {
  const call = assignedCall(code, from);
  return call ? call.name : null;
}

/** Where `@name[...] = fn(` continues past the name: the key's brackets, the call's name and its '('. */
export function assignedCall(
  code: string,
  from: number,
): { keyOpen: number | null; name: string; argsStart: number } | null {
  let i = skipSpaces(code, from);
  const keyOpen = code[i] === '[' ? i : null;
  if (keyOpen !== null) i = skipSpaces(code, skipBrackets(code, i));
  if (code[i] !== '=' || code[i + 1] === '=') return null;
  const call = /^\s*([A-Za-z_]\w*)\s*\(/.exec(code.slice(i + 1, i + 80));
  return call ? { keyOpen, name: call[1]!, argsStart: i + 1 + call[0].length } : null;
}

export function skipSpaces(code: string, i: number): number {
  while (i < code.length && /\s/.test(code[i]!)) i++;
  return i;
}

/** The index just past the `]` matching the `[` at i. */
export function skipBrackets(code: string, i: number): number {
  let depth = 0;
  for (; i < code.length; i++) {
    if (code[i] === '[') depth++;
    if (code[i] === ']' && --depth === 0) return i + 1;
  }
  return i;
}

/** The arguments of a call whose '(' is just before `start` (top-level commas split them), and the index of its ')'. */
export function callArguments(
  code: string,
  start: number,
): { args: { from: number; to: number }[]; close: number } | null {
  const args: { from: number; to: number }[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      args.push({ from, to: i });
      from = i + 1;
    } else if (c === ')') {
      if (code.slice(from, i).trim() !== '') args.push({ from, to: i });
      return { args, close: i };
    }
  }
  return null;
}

/** The top-level comma-separated parts of code[from, to), as offsets (a blanked string is one). */
export function topLevelParts(
  code: string,
  from: number,
  to: number,
): { from: number; to: number }[] {
  const parts: { from: number; to: number }[] = [];
  let depth = 0;
  let start = from;
  const part = (end: number) => {
    parts.push({ from: start, to: end });
    start = end + 1;
  };
  for (let i = from; i < to; i++) {
    const c = code[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) part(i);
  }
  part(to);
  return parts;
}
