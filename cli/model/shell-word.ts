// A file name or argument as a shell would need it typed, so a printed hint runs as printed.

const PLAIN = /^[\w@%+=:,./-]+$/;

/** `run.db` as is; `my run.db` as `'my run.db'` (single quotes, with ' written as '\''). */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
