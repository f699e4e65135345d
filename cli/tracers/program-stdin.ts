// Hands a tracer its program as stdin, for tracers that only read programs from files
// (dtrace -s /dev/stdin). The text goes into a temp file that is unlinked as soon as it is open:
// the tracer reads it through the open descriptor, and nothing is left in /tmp however the run
// ends (kill -9 included). Node's 'pipe' is a socket, which /dev/stdin cannot open on Linux.

import { openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A read-only descriptor of an unlinked file holding `text`; the caller closes it after spawning. */
export function programOnStdin(text: string): number {
  const file = join(
    tmpdir(),
    `.heat-record-program-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  try {
    return openSync(file, 'r');
  } finally {
    rmSync(file, { force: true });
  }
}
