// Classifies what dtrace(1) writes to stderr while it runs. Every message starts with "dtrace: ";
// drop counts come from libdtrace's drop handler (dt_handle.c), e.g.
//   dtrace: 12 drops on CPU 0
//   dtrace: 3 aggregation drops on CPU 1
//   dtrace: 5 dynamic variable drops with non-empty dirty list
//   dtrace: error on enabled probe ID 3 (ID 812: syscall::read:return): invalid address (0x0) in action #1
//   dtrace: failed to compile script /tmp/x.d: line 3: syntax error near "}"

import type { HealthEvent } from '../model/snapshot.js';

/** Each pattern's first group is the number of events lost. */
const DROPS = [
  /^(\d+) (?:aggregation )?drops? on CPU \d+/,
  /^(\d+) dynamic variable drops?/,
  /^(\d+) speculative drops?/,
  /^(\d+) failed speculations?/,
];
/** Progress notes that are not problems (printed without -q). */
const INFO = /matched \d+ probes?$/;
const ERROR_WORDS = /\b(error|failed|fail|abort(?:ed)?|cannot|invalid|not permitted|denied)\b/i;

/** A health event for one stderr line, or null for blank lines and progress notes. */
export function parseDtraceStderrLine(line: string): HealthEvent | null {
  const text = line.trim();
  if (text === '') return null;
  const message = text.replace(/^dtrace:\s*/, '');
  if (INFO.test(message)) return null;
  for (const re of DROPS) {
    const m = re.exec(message);
    if (m) return { kind: 'drop', message: text, count: Number(m[1]) };
  }
  return { kind: ERROR_WORDS.test(message) ? 'error' : 'warning', message: text, count: 1 };
}
