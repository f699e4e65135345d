// Splits the key line above a dtrace(1) distribution table into key elements. dtrace prints each
// element in a field: strings as `  %-50s` (padded with trailing spaces), integers right-aligned
// in 4, 6, 9 or 17 columns by type size, all on one line and with no separator of their own:
//   `  sshd                                              `                 -> ["sshd"]
//   `  cat                                                              -1` -> ["cat", "-1"]
//   `        0`                                                           -> ["0"]
// A run of two or more spaces ends an element; a string key may hold single spaces
// ("quantized countdown"), but integers can sit one space apart (`               5 254`).

const INTEGERS = /^-?\d+(?: -?\d+)+$/;

/** The key elements of a key line, outer spaces stripped; [] for an empty line. */
export function parseKeyLine(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split(/ {2,}/).flatMap((part) => (INTEGERS.test(part) ? part.split(' ') : [part]));
}
