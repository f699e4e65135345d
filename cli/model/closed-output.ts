// Writing to an output whose reader has gone (`heat-record export run.db | head -2`): the write
// fails with EPIPE, or the stream is already destroyed. That ends the output, not in an error.

import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Whether an error only says that whoever read our output stopped reading. */
export function isClosedOutput(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END'
  );
}

/** Writes text, waiting for the stream to drain when it asks; rejects (isClosedOutput) once the reader has gone. */
export async function writeText(out: Writable, text: string): Promise<void> {
  failIfClosed(out);
  if (out.write(text)) return;
  failIfClosed(out);
  await once(out, 'drain'); // rejects with the stream's error if it fails meanwhile
}

function failIfClosed(out: Writable): void {
  if (out.errored) throw out.errored;
  if (out.destroyed)
    throw Object.assign(new Error('the output was closed'), { code: 'ERR_STREAM_DESTROYED' });
}
